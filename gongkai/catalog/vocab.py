"""The catalogue's vocabularies, each defined once with the exact statutory or customary label."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from gongkai.core.scans import Severity as Severity  # re-exported: TypoEntry.severity (处理)


class Topic(models.TextChoices):
    """主题分类 — the gov.cn 政策文件 topic list (customary, not statutory)."""

    ORGANS = "organs", "国务院组织机构"
    GENERAL = "general", "综合政务"
    ECONOMY = "economy", "国民经济管理、国有资产监管"
    FINANCE = "finance", "财政、金融、审计"
    LAND = "land", "国土资源、能源"
    AGRICULTURE = "agriculture", "农业、林业、水利"
    INDUSTRY = "industry", "工业、交通"
    COMMERCE = "commerce", "商贸、海关、旅游"
    MARKET = "market", "市场监管、安全生产监管"
    CONSTRUCTION = "construction", "城乡建设、环境保护"
    SCIENCE = "science", "科技、教育"
    CULTURE = "culture", "文化、广电、新闻出版"
    HEALTH = "health", "卫生、体育"
    POPULATION = "population", "人口与计划生育、妇女儿童工作"
    LABOUR = "labour", "劳动、人事、监察"
    JUSTICE = "justice", "公安、安全、司法"
    CIVIL = "civil", "民政、扶贫、救灾"
    ETHNIC = "ethnic", "民族、宗教"
    FOREIGN = "foreign", "对外事务"
    HMT = "hmt", "港澳台侨工作"
    DEFENCE = "defence", "国防"
    OTHER = "other", "其他"


class StatutoryItem(models.TextChoices):
    """The 主动公开 content items of 《条例》第二十条 (1–15) and 第二十一条 (labels exact)."""

    A20_01 = "a20_01", "行政法规、规章和规范性文件"
    A20_02 = "a20_02", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"
    A20_03 = "a20_03", "国民经济和社会发展规划、专项规划、区域规划及相关政策"
    A20_04 = "a20_04", "国民经济和社会发展统计信息"
    A20_05 = "a20_05", "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"
    A20_06 = (
        "a20_06",
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    )
    A20_07 = "a20_07", "财政预算、决算信息"
    A20_08 = "a20_08", "行政事业性收费项目及其依据、标准"
    A20_09 = "a20_09", "政府集中采购项目的目录、标准及实施情况"
    A20_10 = "a20_10", "重大建设项目的批准和实施情况"
    A20_11 = "a20_11", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"
    A20_12 = "a20_12", "突发公共事件的应急预案、预警信息及应对情况"
    A20_13 = "a20_13", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"
    A20_14 = "a20_14", "公务员招考的职位、名额、报考条件等事项以及录用结果"
    A20_15 = "a20_15", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"
    # 第二十一条: 设区的市级、县级人民政府及其部门 / 乡（镇）人民政府 (土地征收、房屋征收、社会救助 are in both).
    A21_MUNICIPAL = "a21_szjs", "市政建设"
    A21_PUBLIC_SERVICE = "a21_ggfw", "公共服务"
    A21_PUBLIC_WELFARE = "a21_gysy", "公益事业"
    A21_LAND_EXPROPRIATION = "a21_tdzs", "土地征收"
    A21_HOUSE_EXPROPRIATION = "a21_fwzs", "房屋征收"
    A21_PUBLIC_SECURITY = "a21_zagl", "治安管理"
    A21_SOCIAL_ASSISTANCE = "a21_shjz", "社会救助"
    A21_RURAL_POLICY = "a21_nync", "贯彻落实农业农村政策"
    A21_IRRIGATION = "a21_ntsl", "农田水利工程建设运营"
    A21_LAND_CONTRACT = "a21_tdcb", "农村土地承包经营权流转"
    A21_HOMESTEAD = "a21_zjd", "宅基地使用情况审核"
    A21_FUNDRAISING = "a21_czcl", "筹资筹劳"


CHINESE_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                    "十一", "十二", "十三", "十四", "十五")  # fmt: skip

# 第二十一条 items by level: 设区的市级、县级 (city/county) and 乡（镇） (township).
A21_CITY_COUNTY = (
    StatutoryItem.A21_MUNICIPAL, StatutoryItem.A21_PUBLIC_SERVICE, StatutoryItem.A21_PUBLIC_WELFARE,
    StatutoryItem.A21_LAND_EXPROPRIATION, StatutoryItem.A21_HOUSE_EXPROPRIATION,
    StatutoryItem.A21_PUBLIC_SECURITY, StatutoryItem.A21_SOCIAL_ASSISTANCE,
)  # fmt: skip
A21_TOWNSHIP = (
    StatutoryItem.A21_RURAL_POLICY, StatutoryItem.A21_IRRIGATION, StatutoryItem.A21_LAND_CONTRACT,
    StatutoryItem.A21_HOMESTEAD, StatutoryItem.A21_LAND_EXPROPRIATION, StatutoryItem.A21_HOUSE_EXPROPRIATION,
    StatutoryItem.A21_FUNDRAISING, StatutoryItem.A21_SOCIAL_ASSISTANCE,
)  # fmt: skip
A20_ITEMS = tuple(i for i in StatutoryItem if i.value.startswith("a20_"))


def item_article(item: str) -> str:
    """The citation of an item: ``第二十条第（一）项`` or ``第二十一条``."""
    if item.startswith("a20_"):
        return f"第二十条第（{CHINESE_NUMERALS[int(item[4:]) - 1]}）项"
    return "第二十一条"


def items_for_level(level: str) -> tuple[StatutoryItem, ...]:
    """第二十条 items for every body; 第二十一条 items for city/county or township governments and departments."""
    if level in ("city", "county"):
        return A20_ITEMS + A21_CITY_COUNTY
    if level == "township":
        return A20_ITEMS + A21_TOWNSHIP
    return A20_ITEMS


class DocKind(models.TextChoices):
    """文种类别: decides the 专栏 column and the 表二 row an item counts in."""

    REGULATION = "regulation", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    POLICY = "policy", "其他政策文件"
    DISCLOSURE_RULE = "disclosure_rule", "政府信息公开制度"
    INTERPRETATION = "interpretation", "政策解读"
    OTHER = "other", "其他信息"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    REPEALED = "repealed", "废止"
    AMENDED = "amended", "已修改"


class DisclosureMethod(models.TextChoices):
    """公开方式 (《条例》第二十三条 channels)."""

    WEBSITE = "website", "政府网站"
    GAZETTE = "gazette", "政府公报"
    PRESS = "press", "新闻发布会"
    NEW_MEDIA = "new_media", "政务新媒体"
    MEDIA = "media", "报刊、广播、电视"
    READING_ROOM = "reading_room", "政府信息公开查阅场所"


class DisclosureAttr(models.TextChoices):
    """公开属性, fixed at drafting (《条例》第十三条)."""

    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    WITHHELD = "withheld", "不予公开"


class Status(models.TextChoices):
    DRAFT = "draft", "起草"
    SECRECY_REVIEW = "secrecy_review", "保密审查"
    REVIEW = "review", "审核"
    PUBLISHED = "published", "已发布"
    FILED = "filed", "已审核（不主动公开）"
    WITHDRAWN = "withdrawn", "已撤回"
    REPEALED = "repealed", "已废止"


class TypoKind(models.TextChoices):
    TYPO = "typo", "错别字"
    ORGAN_NAME = "organ_name", "国家机关名称错误"
    LEADER = "leader", "领导人姓名职务错误"
    OUTDATED = "outdated", "过时表述"
    SERIOUS = "serious", "严重表述错误"


@dataclass(frozen=True)
class PilotField:
    name: str
    alias: str = ""


# 国办发〔2017〕42号 / 国办发〔2019〕54号: the 26 试点领域 (names as commonly used; wording [unverified]).
PILOT_FIELDS: tuple[PilotField, ...] = (
    PilotField("重大建设项目"), PilotField("公共资源交易"), PilotField("财政预决算"), PilotField("安全生产"),
    PilotField("税收管理"), PilotField("征地补偿"), PilotField("国有土地上房屋征收与补偿"),
    PilotField("农村危房改造"), PilotField("城乡规划"), PilotField("保障性住房"),
    PilotField("环境保护", "生态环境"), PilotField("公共文化服务"), PilotField("公共法律服务"),
    PilotField("扶贫"), PilotField("救灾"), PilotField("食品药品监管"), PilotField("城市综合执法"),
    PilotField("就业"), PilotField("社会救助"), PilotField("养老服务"), PilotField("户籍管理"),
    PilotField("涉农补贴"), PilotField("医疗卫生", "卫生健康"), PilotField("市政服务"),
    PilotField("义务教育"), PilotField("社会保险"),
)  # fmt: skip
