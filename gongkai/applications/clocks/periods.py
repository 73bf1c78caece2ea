"""The statutory periods the clocks count, each with its source (《条例》第三十至三十五条, 国办函〔2020〕109号)."""

from __future__ import annotations

CORRECTION_NOTICE_DAYS = 7  # 第三十条: 补正 notice within 7 working days of receipt
REPLY_DAYS = 20  # 第三十三条第二款: reply within 20 working days
MAX_EXTENSION_DAYS = 20  # 第三十三条第二款: extension of at most 20 working days
# 第三十条 asks for 「合理的补正期限」 and names no length and no starting day; a notice may give a date or a number
# of working days after the applicant receives it (platform practice). The upper bound only catches typing slips.
MAX_CORRECTION_DAYS = 60
CORRECTION_PERIOD_NOTE = (
    "第三十条「合理的补正期限」；自申请人收到补正告知书之日起计算为本平台做法，条例未规定起算日"
)
CONSULTATION_DAYS = 15  # 第三十二条、第三十四条: the consulted party answers within 15 working days
# A consultation of another agency that did not co-produce the information: 第三十三条第三款 only says that the time
# needed is not counted; it sets no period and no deemed consent. The platform asks for an answer within the same
# 15 working days after receipt and resumes the reply clock when they end (platform practice, not a statutory rule).
OTHER_AGENCY_NOTE = "第三十三条第三款未规定期限，本平台按征询函请求的期限计算"
# Payment period of a 收费通知: 20 working days counted from the day after the applicant *receives* the notice.
# Source: the fee rules of 国办函〔2020〕109号 (its articles 6 ff.) were not found; the period is taken as restated
# by a provincial implementing document, 四川省财政厅、四川省发展改革委《关于政府信息公开信息处理费有关事项的通知》
# (2021-01-18) 第二点: "申请人应当在收到收费通知次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃申请"
# (docs/legal-basis.md §3.2, third-party mirror). Other provinces may word it differently.
FEE_PAYMENT_DAYS = 20
FEE_PAYMENT_SOURCE = (
    "四川省财政厅、四川省发展改革委《关于政府信息公开信息处理费有关事项的通知》（2021年1月18日）第二点"
)
FEE_RULE_NOTE = (
    f"国办函〔2020〕109号，按省级实施文件{FEE_PAYMENT_SOURCE}的表述："
    "“申请人应当在收到收费通知次日起20个工作日内缴纳费用，逾期未缴纳的视为放弃申请”"
)
# The reply clock stops from the day the fee notice is sent until the day of payment, both days excluded (the
# 收费通知书 says "自本通知发出之日至您缴纳费用之日，不计入答复期限"). Basis: 109号 as the platform applies it;
# the original wording of that rule was not found (docs/legal-basis.md §3.3 item 4) — to be checked.
FEE_PAUSE_NOTE = "国办函〔2020〕109号；该暂停计算规则的原文尚未找到，待核对"
# 第三十五条 (second branch): after asking for reasons, the agency may set a reasonable later reply date.
DELAY_ARTICLE = "第三十五条"
