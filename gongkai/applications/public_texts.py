"""What the applicant reads on the status page and the 回执, as data: each outcome in plain words (not the 表三
wording, which carries row numbers and counting notes such as 「区分处理的，只计这一情形，不计其他情形」 and statistical
shorthand such as 「三安全一稳定」), what each status means for them, and what the reply period is."""

from __future__ import annotations

from .states import Status
from .vocab import Outcome, ReplyBasis

# One entry per Outcome (a test checks the keys): the result in the words of the 条例's articles.
PUBLIC_OUTCOMES: dict[str, str] = {
    Outcome.DISCLOSED: "予以公开",
    Outcome.PARTIAL: "部分公开（不予公开的部分及其理由见答复告知书）",
    Outcome.STATE_SECRET: "不予公开：属于国家秘密",
    Outcome.PROHIBITED_BY_LAW: "不予公开：法律、行政法规禁止公开",
    Outcome.SECURITY_STABILITY: "不予公开：公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    Outcome.THIRD_PARTY: "不予公开：涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    Outcome.INTERNAL_AFFAIRS: "不予公开：属于行政机关的人事管理、后勤管理、内部工作流程等内部事务信息",
    Outcome.PROCESS_INFO: "不予公开：属于行政机关履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    Outcome.ENFORCEMENT_FILE: "不予公开：属于行政执法案卷信息",
    Outcome.ADMIN_QUERY: "请按其他法定途径办理：有关法律、行政法规对该信息的获取有特别规定，办理途径见答复告知书",
    Outcome.NOT_HELD: "无法提供：本机关不掌握您申请的政府信息",
    Outcome.NEEDS_CREATION: "无法提供：需要对现有政府信息进行加工、分析或者另行制作",
    Outcome.STILL_UNCLEAR: "无法提供：补正后申请内容仍不明确",
    Outcome.PETITION: "不予处理：属于信访、投诉、举报等事项，请按有关法律、行政法规的规定办理",
    Outcome.REPEATED: "不予处理：重复申请公开相同的政府信息",
    Outcome.PUBLICATION: "不予处理：要求提供政府公报、报刊、书籍等公开出版物，获取途径见答复告知书",
    Outcome.EXCESSIVE: "不予处理：申请公开政府信息的数量、频次明显超过合理范围",
    Outcome.CONFIRMATION: "不予处理：要求行政机关确认或者重新出具已获取的信息",
    Outcome.NO_CORRECTION: "视为放弃申请：未在补正期限内补正",
    Outcome.FEE_UNPAID: "不再处理：未在缴费期限内缴纳信息处理费",
    Outcome.OTHER: "其他处理，详见告知书",
}

# Where one outcome covers two 第三十六条 items, the reply's basis says which (ReplyBasis).
PUBLIC_OUTCOMES_BY_BASIS: dict[tuple[str, str], str] = {
    (Outcome.DISCLOSED, ReplyBasis.PUBLISHED): "予以公开：该信息已经主动公开，获取方式和途径见答复告知书",
    (Outcome.DISCLOSED, ReplyBasis.PROVIDED): "予以公开",
    (Outcome.NOT_HELD, ReplyBasis.NOT_EXIST): "无法提供：经检索，您申请的政府信息不存在",
    (Outcome.NOT_HELD, ReplyBasis.NOT_OURS): "无法提供：不属于本机关负责公开，负责公开的机关见答复告知书",
}

# What each status means for the applicant, and what to do next.
STATUS_HINTS: dict[str, str] = {
    Status.REGISTERED: "办理机关已收到您的申请，将在答复期限内答复。",
    Status.AWAITING_CORRECTION: (
        "您的申请需要补正。请在补正期限内补正；答复期限自办理机关收到补正之日起重新计算"
        "（《中华人民共和国政府信息公开条例》第三十条）。"
    ),
    Status.IN_PROGRESS: "办理机关正在办理您的申请。",
    Status.AWAITING_FEE: "您的申请需要缴纳信息处理费，请查看收费通知书并按期缴纳。",
    Status.REPLIED: "办理机关已作出答复，请下载答复告知书查看具体内容和救济途径。",
    Status.ABANDONED: "您的申请已终止办理，请下载告知书查看原因。",
    Status.WITHDRAWN: "您已撤回申请。",
    Status.CLOSED: "您的申请已办结。",
}

# How the reply period runs (第三十三条、第三十条、第三十二条、第三十四条), said once for the 回执 and the status page.
REPLY_PERIOD_NOTE = (
    "办理机关自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知您，"
    "延长的期限最长不得超过20个工作日（第三十三条）。需要补正的，答复期限自收到补正之日起计算（第三十条）；"
    "征求第三方和其他机关意见所需时间不计算在答复期限内（第三十三条第三款）。"
)


def public_outcome(outcome: str, basis: str = "") -> str:
    """The outcome as the applicant reads it ("" while there is none)."""
    if not outcome:
        return ""
    return PUBLIC_OUTCOMES_BY_BASIS.get((outcome, basis)) or PUBLIC_OUTCOMES[outcome]
