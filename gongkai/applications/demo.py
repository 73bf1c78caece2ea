"""Demo 依申请公开: a year of applications for 青山县 through the real services (idempotent; figures derived)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.applications.clocks import Consulted
from gongkai.core.actors import SYSTEM_DEMO, Actor, is_system
from gongkai.orgs.models import Organisation
from gongkai.workdays.arithmetic import add_workdays, workdays_between

from . import demo_stamps
from .models import Application, RemedyCase
from .services import consultations, extensions, fee_notices, intake, remedies, replies, steps
from .vocab import (
    ApplicantType,
    Channel,
    DeliveryMethod,
    FeeMethod,
    IdType,
    Outcome,
    RemedyKind,
    RemedyResult,
    ReplyBasis,
    outcome_display,
)

DEMO_ORGS = ("office", "natres", "housing", "finance", "education", "t_chengguan")
TITLES = {
    "office": [
        "青山县2025年重点民生实事项目完成情况",
        "县政府常务会议关于老旧小区改造的议定事项",
        "青山县政府信息公开工作年度报告相关数据",
    ],
    "natres": [
        "城关镇新区地块国有建设用地使用权出让合同",
        "青山县国土空间总体规划（2021—2035年）",
        "石桥镇某村土地征收批复及补偿标准",
    ],
    "housing": [
        "某小区建设工程规划许可证及附图",
        "县城棚户区改造项目房屋征收补偿方案",
        "2025年保障性租赁住房分配名单",
    ],
    "finance": ["2025年县级一般公共预算支出明细", "县本级“三公”经费决算说明", "政府采购某项目中标结果及合同"],
    "education": [
        "县第一中学新校区建设项目立项批复",
        "2026年义务教育阶段招生划片方案",
        "教师招聘面试成绩及录用名单",
    ],
    "t_chengguan": ["城关镇2025年村级财务公开情况", "某村宅基地审批材料", "城关镇防汛应急预案"],
}
NAMES = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周婷", "吴强"]
COMPANIES = {
    ApplicantType.COMMERCIAL: "青山县恒通建材有限公司",
    ApplicantType.RESEARCH: "江川大学公共管理研究所",
    ApplicantType.PUBLIC_WELFARE: "江川市绿色家园环保志愿者协会",
    ApplicantType.LEGAL_SERVICE: "江川正言律师事务所",
    ApplicantType.OTHER: "城关镇东街社区居民委员会",
}
# Each outcome's path: "reply" (plain), or the special procedures that produce it.
PATHS: dict[str, str] = {o.value: "reply" for o in Outcome}
PATHS.update(
    {
        "3.4": "consult",
        "4.3": "correct_then_reply",
        "5.4": "reasons",
        "6.1": "abandon",
        "6.2": "unpaid",
        "6.3": "withdraw",
    }
)
# Requests whose subject must fit their reply (the other titles are drawn per organisation).
FITTING_TITLES = {
    "3.8": "城关镇某小区3幢2单元501室不动产登记簿记载的权利人及抵押登记情况",
    "4.1.36.5": "城关镇东街社区某户居民户籍迁移登记材料",
}


def _applicant(rng: random.Random, kind: ApplicantType, i: int) -> intake.ApplicantData:
    if kind == ApplicantType.NATURAL_PERSON:
        body = f"339901198{i % 10}0{1 + i % 9}1{i % 10}{100 + i:03d}"
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
        return intake.ApplicantData(
            applicant_type=kind,
            name=rng.choice(NAMES),
            id_type=IdType.RESIDENT_ID,
            id_number=body + check,
            phone=f"139{rng.randrange(10**8):08d}",
            address="青山县城关镇人民路88号",
        )
    return intake.ApplicantData(
        applicant_type=kind,
        name=COMPANIES[kind],
        contact_person=rng.choice(NAMES),
        id_type=IdType.CREDIT_CODE,
        id_number=f"91339901MA{rng.randrange(10**8):08d}",
        phone=f"0571-{rng.randrange(10**7):07d}",
        email="contact@example.com",
    )


# Reasons of the withheld part per 不予公开 ground (the reply must give them: 第三十六条第三项, 第三十七条).
REASONS = {
    "3.1": "所申请信息已由定密责任人依法确定为秘密级国家秘密，保密期限未满。",
    "3.2": "所申请信息为统计调查中获得的能够识别单个统计调查对象身份的资料，《中华人民共和国统计法》规定"
    "不得对外提供。",
    "3.3": "所申请信息为防汛重点设施的具体布防位置，公开后可能危及公共安全。",
    "3.5": "所申请信息为本机关干部考核内部打分记录，属于人事管理信息。",
    "3.6": "所申请信息为会议讨论记录和内部请示，相关事项尚在研究中。",
    "3.7": "所申请信息为行政处罚案件的调查询问笔录等案卷材料。",
}


def _title(rng: random.Random, org: Organisation, orgs: dict[str, Organisation], outcome: str, i: int) -> str:
    """The information sought: drawn from the organisation's titles, or one that fits the reply (3.8, 第五项)."""
    drawn = rng.choice(TITLES[next(k for k in DEMO_ORGS if orgs.get(k) == org)])
    if outcome == "3.8":
        return FITTING_TITLES["3.8"]
    if outcome == "4.1" and i % 2 == 0:
        return FITTING_TITLES["4.1.36.5"]
    return drawn


def _details(a: Application, outcome: str) -> dict[str, Any]:
    """What the reply letter must state besides the outcome (services.replies.reply_requirements)."""
    if outcome == "1" and a.pk % 4 == 1:
        return {
            "basis": ReplyBasis.PUBLISHED,
            "access_route": "青山县人民政府门户网站“政府信息公开”专栏（http://www.qingshan.gov.cn/zwgk/），"
            "或者到青山县政务服务中心政府信息公开查阅点查阅",
        }
    if outcome == "2":
        return {
            "withheld_grounds": ["3.4"],
            "summary": "所申请材料中的申请人身份证号码、联系电话、家庭住址属于个人隐私，公开会对第三方合法权益"
            "造成损害，且权利人不同意公开，本机关已作区分处理。",
        }
    if outcome in REASONS:
        return {"summary": REASONS[outcome]}
    if outcome == "3.8":
        return {
            "other_procedure": "不动产登记资料查询，依照《不动产登记暂行条例》及其实施细则，"
            "向青山县不动产登记中心申请查询（地址：青山县青山大道18号）"
        }
    if outcome == "4.1":
        if a.info_title != FITTING_TITLES["4.1.36.5"]:
            return {"basis": ReplyBasis.NOT_EXIST}
        return {
            "basis": ReplyBasis.NOT_OURS,
            "summary": "所申请信息由县级公安机关在户籍管理中制作并保存，本机关未制作或者获取，不负责公开。",
            "referral_name": "青山县公安局",
            "referral_contact": "电话：0579-88000110，地址：青山县人民路20号",
        }
    return {}


def _play(a: Application, outcome: str, r: dt.date, actor: Actor, today: dt.date) -> None:
    """Drive one application to ``outcome`` through the services, on dates after its receipt ``r``."""
    path = PATHS[outcome]
    day = lambda n: add_workdays(r, n)  # noqa: E731
    if path == "reply":
        if outcome in ("1", "2") and a.pk % 3 == 0:
            # 双人审核 (on by default, 系统内审批): the reviewer approves the clerk's extension in the system.
            approver = (
                actor if is_system(actor) else User.objects.filter(username="shr").first() or SYSTEM_DEMO
            )
            extensions.extension_approve(
                actor=approver,
                application=a,
                days=15,
                approved_by="县政府办主任 周明",
                reason="所需信息涉及多个科室，需检索汇总",
                date=day(15),
            )
        replies.application_reply(
            actor=actor,
            application=a,
            outcome=outcome,
            date=day(12 if a.pk % 3 else 25),
            **_details(a, outcome),
        )
    elif path == "consult":
        consultations.consultation_send(
            actor=actor,
            application=a,
            party="青山县恒通建材有限公司",
            consulted=Consulted.THIRD_PARTY,
            date=day(3),
        )
        consultations.consultation_answer(
            actor=actor,
            application=a,
            party="青山县恒通建材有限公司",
            date=day(10),
            note="不同意公开，涉及商业秘密",
            objected=True,
        )
        replies.application_reply(
            actor=actor,
            application=a,
            outcome=outcome,
            summary="第三方书面答复不同意公开，理由合理。",
            date=day(16),
        )
    elif path == "reasons":
        # 第三十五条: ask for reasons first; the reasons given are found unsound → 不予处理.
        steps.reasons_request(actor=actor, application=a, until=day(8), date=day(2))
        steps.reasons_receive(actor=actor, application=a, date=day(6), note="申请人称系个人研究需要")
        replies.application_reply(
            actor=actor,
            application=a,
            outcome=outcome,
            summary="您本月已向本机关提交同类申请六十余件，说明的理由为“个人研究需要”，未说明与所申请信息数量、"
            "频次相称的具体用途。",
            date=day(12),
        )
    elif path == "correct_then_reply":
        steps.correction_request(
            actor=actor,
            application=a,
            items="请写明所需信息的名称、文号或者其他特征性描述。",
            until=day(15),
            date=day(3),
        )
        steps.correction_receive(actor=actor, application=a, date=day(8))
        replies.application_reply(actor=actor, application=a, outcome=outcome, date=day(18))
    elif path == "abandon":
        steps.correction_request(
            actor=actor, application=a, items="请提供所需信息的具体特征描述。", until=day(12), date=day(2)
        )
        steps.correction_abandoned(actor=actor, application=a, date=day(13))
    elif path == "unpaid":
        fee_notices.fee_notify(actor=actor, application=a, method=FeeMethod.PER_PAGE, pages=260, date=day(5))
        a.refresh_from_db()
        assert a.fee_due is not None
        fee_notices.fee_unpaid(actor=actor, application=a, date=add_workdays(a.fee_due, 1))
    else:
        steps.application_withdraw(actor=actor, application=a, date=day(4), note="申请人书面撤回申请")


@transaction.atomic
def load_demo(*, orgs: dict[str, Organisation], today: dt.date | None = None) -> list[str]:
    """A realistic year for 青山县: every outcome, some open, one overdue, remedy cases (idempotent)."""
    today = today or timezone.localdate()
    handling = [orgs[k] for k in DEMO_ORGS if k in orgs]
    if Application.objects.filter(org__in=handling).exists():
        return ["依申请公开：演示数据已存在，未重复生成。"]
    rng = random.Random(2026)
    clerk = User.objects.filter(username="jbr").first()
    start = dt.date(today.year, 1, 5)
    closing_horizon = add_workdays(today, -30)  # closed cases are received early enough to finish by today
    kinds = list(ApplicantType)
    outcomes = [o.value for o in Outcome] + ["1"] * 14 + ["2"] * 5 + ["4.1"] * 6 + ["5.2"] * 2 + ["3.6"] * 2
    span = workdays_between(start, closing_horizon)
    created: list[Application] = []
    for i, outcome in enumerate(outcomes):
        org = handling[i % len(handling)]
        actor: Actor = clerk if clerk and org == orgs.get("office") else SYSTEM_DEMO
        kind = kinds[0] if i % 3 else kinds[1 + (i // 3) % (len(kinds) - 1)]
        r = add_workdays(start, (i * span) // len(outcomes))
        a = intake.application_register(
            actor=actor,
            org=org,
            channel=[Channel.IN_PERSON, Channel.POST, Channel.INTERNET][i % 3],
            channel_note="电子邮件" if i % 6 == 2 else "",
            applicant=_applicant(rng, kind, i),
            request=intake.RequestData(
                info_title=_title(rng, org, orgs, outcome, i),
                delivery_method=DeliveryMethod.POST,
            ),
            submitted_on=r,
            signed_for_on=r,
            confirmed_on=r,
            today=today,
        )
        _play(a, outcome, r, actor, today)
        created.append(a)
    # Open cases: recent ones in progress, and one left overdue (received 25 working days ago, no reply).
    for n, back in enumerate((25, 12, 6, 3, 1)):
        org = handling[n % len(handling)]
        r = add_workdays(today, -back)
        a = intake.application_register(
            actor=SYSTEM_DEMO, org=org, channel=Channel.IN_PERSON, applicant=_applicant(rng, ApplicantType.NATURAL_PERSON, 100 + n),
            request=intake.RequestData(info_title=f"{rng.choice(TITLES['natres'])}（第{n + 1}批）"), submitted_on=r, today=today,
        )  # fmt: skip
        if clerk and org == orgs.get("office"):
            steps.application_assign(actor=SYSTEM_DEMO, application=a, assignee=clerk)
    notes = _county_online(orgs, today)
    # Every organisation whose letters the demo issues has a (drawn, 演示) 电子印章.
    demo_stamps.load_seals([*handling, *([orgs["county"]] if "county" in orgs else [])])
    # Remedies: a 行政复议 against a 不予公开 reply (pending) and a direct lawsuit decided 结果纠正.
    withheld = (
        Application.objects.filter(org__in=handling, outcome=Outcome.PROCESS_INFO)
        .order_by("closed_on")
        .first()
    )
    assert withheld is not None and withheld.closed_on is not None
    # The reply each case challenges was issued, posted, signed for two working days later and sealed.
    demo_stamps.issue_reply(withheld, received_on=min(add_workdays(withheld.closed_on, 2), today),
                            tracking_number="1190035512026")  # fmt: skip
    # Each with the day the copy reached the agency and its answer (复议法第四十八条, 诉讼法第六十七条), on time.
    filed = add_workdays(withheld.closed_on, 10)
    copy = min(add_workdays(filed, 3), today)
    answered = add_workdays(copy, 8)
    remedies.remedy_create(actor=SYSTEM_DEMO, org=withheld.org, kind=RemedyKind.REVIEW, filed_on=filed,
                    body=withheld.org.review_body or "青山县人民政府", case_number=f"青政复〔{today.year}〕12号",
                    application=withheld, copy_received_on=copy, answer_submitted_on=answered if answered <= today else None)  # fmt: skip
    not_held = Application.objects.filter(org__in=handling, outcome="4.1").order_by("closed_on").first()
    assert not_held is not None and not_held.closed_on is not None
    demo_stamps.issue_reply(not_held, received_on=min(add_workdays(not_held.closed_on, 2), today),
                            tracking_number="1190035512033")  # fmt: skip
    filed = add_workdays(not_held.closed_on, 15)
    answered = filed + dt.timedelta(days=12)
    remedies.remedy_create(actor=SYSTEM_DEMO, org=not_held.org, kind=RemedyKind.SUIT_DIRECT, filed_on=filed,
                    body=not_held.org.court or "青山县人民法院", case_number=f"（{today.year}）青0101行初5号",
                    result=RemedyResult.CORRECTED, closed_on=add_workdays(not_held.closed_on, 60), application=not_held,
                    copy_received_on=min(filed, today), answer_submitted_on=answered if answered <= today else None)  # fmt: skip
    return _summary(handling, today) + notes


COUNTY_ONLINE_TITLE = "青山县人民政府2026年政府工作报告重点任务分工方案"


def _county_online(orgs: dict[str, Organisation], today: dt.date) -> list[str]:
    """A citizen's online application to 青山县人民政府, left 新收 and unassigned: the county's applications are
    handled by the 县政府办 (its ``handling_office``), so it is in the 县政府办 经办人's inbox."""
    county = orgs.get("county")
    if county is None:
        return []
    intake.application_submit_public(
        org=county,
        applicant=intake.ApplicantData(
            applicant_type=ApplicantType.NATURAL_PERSON, name="陈静", id_type=IdType.RESIDENT_ID,
            id_number="339901198506120429", phone="13905790123",
            email="chenjing@example.com", address="青山县城关镇东街12号",
        ),
        request=intake.RequestData(info_title=COUNTY_ONLINE_TITLE, delivery_method=DeliveryMethod.EMAIL),
        today=today,
    )  # fmt: skip
    return ["网上申请：青山县人民政府收到 1 件（由县政府办办理），在县政府办经办人的收件箱“新收”中。"]


def _summary(handling: list[Organisation], today: dt.date) -> list[str]:
    qs = Application.objects.filter(org__in=handling)
    by_outcome = Counter(qs.exclude(outcome="").values_list("outcome", flat=True))
    open_count = qs.filter(outcome="").count()
    overdue = qs.filter(outcome="", reply_due__lt=today).count()
    lines = [
        f"依申请公开：{qs.count()} 件申请（{len(handling)} 个机关），已办结 {sum(by_outcome.values())} 件，未办结 {open_count} 件，其中逾期 {overdue} 件。"
    ]
    lines.append(
        "办理结果：" + "，".join(f"{outcome_display(code)} {n} 件" for code, n in sorted(by_outcome.items()))
    )
    lines.append(f"行政复议、行政诉讼：{RemedyCase.objects.filter(org__in=handling).count()} 件。")
    return lines
