"""Demo catalogue: published items for 青山县 so every section of its 专栏 has content (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.core.actors import SYSTEM_DEMO
from gongkai.orgs.models import Organisation
from gongkai.workdays.arithmetic import add_workdays

from . import services, workflow
from .models import Field, Item
from .search_sync import search_reindex
from .seed import seed_fields, seed_typos
from .vocab import DocKind, StatutoryItem, Topic

I = StatutoryItem  # noqa: E741 (short alias for the table below)

# (org key, statutory item, doc kind, topic, title, 文号, 领域, needs interpretation)
DEMO_ITEMS: tuple[tuple[str, str, str, str, str, str, str, bool], ...] = (
    (
        "county",
        "",
        DocKind.DISCLOSURE_RULE,
        Topic.GENERAL,
        "青山县人民政府政府信息公开工作制度",
        "青政办发〔2025〕3号",
        "",
        False,
    ),
    (
        "county",
        "",
        DocKind.DISCLOSURE_RULE,
        Topic.GENERAL,
        "青山县政府信息公开保密审查办法",
        "青政办发〔2025〕4号",
        "",
        False,
    ),
    (
        "county",
        I.A20_01,
        DocKind.NORMATIVE,
        Topic.CIVIL,
        "青山县城乡居民最低生活保障实施办法",
        "青政规〔2025〕1号",
        "社会救助",
        True,
    ),
    (
        "county",
        I.A20_01,
        DocKind.NORMATIVE,
        Topic.CONSTRUCTION,
        "青山县国有土地上房屋征收与补偿实施细则",
        "青政规〔2025〕2号",
        "国有土地上房屋征收与补偿",
        True,
    ),
    (
        "county",
        "",
        DocKind.INTERPRETATION,
        Topic.CIVIL,
        "《青山县城乡居民最低生活保障实施办法》政策解读",
        "",
        "社会救助",
        False,
    ),
    (
        "county",
        I.A20_02,
        DocKind.OTHER,
        Topic.GENERAL,
        "青山县人民政府机构职能、办公地址和联系方式",
        "",
        "",
        False,
    ),
    (
        "county",
        I.A20_03,
        DocKind.POLICY,
        Topic.ECONOMY,
        "青山县国民经济和社会发展第十五个五年规划纲要",
        "",
        "",
        False,
    ),
    (
        "county",
        I.A20_04,
        DocKind.OTHER,
        Topic.ECONOMY,
        "2025年青山县国民经济和社会发展统计公报",
        "",
        "",
        False,
    ),
    (
        "county",
        I.A20_05,
        DocKind.OTHER,
        Topic.GENERAL,
        "青山县政务服务事项办事指南（2025年版）",
        "",
        "",
        False,
    ),
    (
        "county",
        I.A20_06,
        DocKind.OTHER,
        Topic.JUSTICE,
        "青山县行政执法事项清单和行政处罚裁量基准",
        "",
        "城市综合执法",
        False,
    ),
    (
        "county",
        I.A20_07,
        DocKind.OTHER,
        Topic.FINANCE,
        "青山县2026年县级财政预算公开",
        "",
        "财政预决算",
        False,
    ),
    ("county", I.A20_08, DocKind.OTHER, Topic.FINANCE, "青山县行政事业性收费目录清单", "", "", False),
    (
        "county",
        I.A20_09,
        DocKind.OTHER,
        Topic.FINANCE,
        "青山县2026年政府集中采购目录及标准",
        "",
        "公共资源交易",
        False,
    ),
    (
        "county",
        I.A20_10,
        DocKind.OTHER,
        Topic.CONSTRUCTION,
        "青山县城区污水管网改造工程项目批准和实施情况",
        "",
        "重大建设项目",
        False,
    ),
    (
        "county",
        I.A20_11,
        DocKind.POLICY,
        Topic.LABOUR,
        "青山县促进高校毕业生就业创业若干措施",
        "",
        "就业",
        False,
    ),
    ("county", I.A20_12, DocKind.OTHER, Topic.GENERAL, "青山县突发事件总体应急预案", "", "救灾", False),
    (
        "county",
        I.A20_13,
        DocKind.OTHER,
        Topic.MARKET,
        "青山县2025年食品安全监督抽检情况通报",
        "",
        "食品药品监管",
        False,
    ),
    (
        "county",
        I.A20_14,
        DocKind.OTHER,
        Topic.LABOUR,
        "青山县2026年度考试录用公务员拟录用人员名单",
        "",
        "",
        False,
    ),
    ("county", I.A20_15, DocKind.OTHER, Topic.GENERAL, "青山县人民政府2025年重点工作任务分工", "", "", False),
    (
        "county",
        I.A21_MUNICIPAL,
        DocKind.OTHER,
        Topic.CONSTRUCTION,
        "青山县2026年城市道路维修计划",
        "",
        "市政服务",
        False,
    ),
    (
        "county",
        I.A21_PUBLIC_SERVICE,
        DocKind.OTHER,
        Topic.GENERAL,
        "青山县基本公共服务标准（2025年版）",
        "",
        "公共文化服务",
        False,
    ),
    (
        "county",
        I.A21_PUBLIC_WELFARE,
        DocKind.OTHER,
        Topic.CIVIL,
        "青山县2025年公益性岗位开发情况",
        "",
        "就业",
        False,
    ),
    (
        "county",
        I.A21_LAND_EXPROPRIATION,
        DocKind.OTHER,
        Topic.LAND,
        "青山县2025年第三批次城镇建设用地征收土地预公告",
        "",
        "征地补偿",
        False,
    ),
    (
        "county",
        I.A21_HOUSE_EXPROPRIATION,
        DocKind.OTHER,
        Topic.CONSTRUCTION,
        "青山县老城区棚户区改造项目房屋征收决定",
        "",
        "国有土地上房屋征收与补偿",
        False,
    ),
    (
        "county",
        I.A21_PUBLIC_SECURITY,
        DocKind.OTHER,
        Topic.JUSTICE,
        "青山县2025年社会治安综合治理工作情况",
        "",
        "",
        False,
    ),
    (
        "county",
        I.A21_SOCIAL_ASSISTANCE,
        DocKind.OTHER,
        Topic.CIVIL,
        "青山县2025年第四季度城乡低保资金发放情况",
        "",
        "社会救助",
        False,
    ),
    (
        "finance",
        I.A20_07,
        DocKind.OTHER,
        Topic.FINANCE,
        "青山县财政局2026年部门预算",
        "",
        "财政预决算",
        False,
    ),
    (
        "finance",
        I.A20_01,
        DocKind.NORMATIVE,
        Topic.FINANCE,
        "青山县县级财政专项资金管理办法",
        "青财规〔2025〕1号",
        "财政预决算",
        False,
    ),
    (
        "t_chengguan",
        I.A21_RURAL_POLICY,
        DocKind.OTHER,
        Topic.AGRICULTURE,
        "城关镇2025年耕地地力保护补贴发放情况",
        "",
        "涉农补贴",
        False,
    ),
    (
        "t_chengguan",
        I.A21_HOMESTEAD,
        DocKind.OTHER,
        Topic.LAND,
        "城关镇2025年农村宅基地审批情况公示",
        "",
        "",
        False,
    ),
)
BODY = (
    "<p>为贯彻落实《中华人民共和国政府信息公开条例》，进一步做好相关工作，现将有关事项公开如下。</p>"
    "<p>一、工作目标。坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。</p>"
    "<p>二、主要内容。{title}。</p><p>三、工作要求。各单位要高度重视，认真组织实施。</p>"
    '<p>相关内容见<a href="/gk/{code}/fdzdgknr/">法定主动公开内容</a>。</p>'
)


@transaction.atomic
def load_demo(*, orgs: dict[str, Organisation]) -> list[str]:
    """Create (once) the demo items, publish them through the workflow, and index them for search."""
    seed_fields(Field)
    from .models import TypoEntry

    seed_typos(TypoEntry)
    today = timezone.localdate()
    created = 0
    policies: dict[str, Item] = {}
    for n, (key, item, kind, topic, title, docno, field, interp) in enumerate(DEMO_ITEMS):
        org = orgs.get(key)
        if org is None:
            continue
        existing = Item.objects.filter(org=org, title=title).first()
        if existing is not None:
            if interp:
                policies[title] = existing
            continue
        formed = today - dt.timedelta(days=12 + 9 * n)
        published = add_workdays(formed, 2 + n % 5)
        published = min(published, today)
        interprets = next(iter(policies.values()), None) if kind == DocKind.INTERPRETATION else None
        fields = list(Field.objects.filter(name=field)) if field else []
        draft = services.item_create(
            actor=SYSTEM_DEMO, org=org, title=title, doc_number=docno, statutory_item=item, doc_kind=kind, topic=topic,
            written_on=formed, formed_on=formed, summary=f"{title}。",
            body=BODY.format(title=title, code=org.code), needs_interpretation=interp, interprets=interprets,
            keywords="政府信息公开", fields=fields,
        )  # fmt: skip
        for step in ("submit", "secrecy_pass"):
            draft = workflow.item_transition(actor=SYSTEM_DEMO, item=draft, step=step)
        at = dt.datetime.combine(published, dt.time(9, 30), tzinfo=timezone.get_current_timezone())
        draft = workflow.item_transition(actor=SYSTEM_DEMO, item=draft, step="publish", published_at=at)
        if interp:
            policies[title] = draft
        created += 1
    transaction.on_commit(search_reindex)
    total = Item.objects.filter(org__in=orgs.values()).count()
    return [f"主动公开信息：新建 {created} 条，演示机构共 {total} 条（已建立全文检索索引）。"]
