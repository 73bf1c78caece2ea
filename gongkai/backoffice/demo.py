"""The demo deployment: a fictional city and county with departments, townships and staff in every role.

Idempotent: organisations are matched by code, users by username; nothing is duplicated on a re-run.
Later capabilities extend this module so the demo always shows them.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from types import ModuleType

from django.db import transaction

from gongkai.accounts import services as account_services
from gongkai.accounts.models import User
from gongkai.core.actors import SYSTEM_DEMO
from gongkai.orgs import services as org_services
from gongkai.orgs.codes import org_code_check_char, uscc_check_char
from gongkai.orgs.models import Level, Membership, Organisation, OrgKind, Role
from gongkai.orgs.services import membership_grant

# Demo-only password (printed by `make demo`); override with GONGKAI_DEMO_PASSWORD.
DEFAULT_DEMO_PASSWORD = "Gongkai@Demo2026"  # noqa: S105 (public demo login, printed)
REGION = "339901"  # fictional 行政区划代码 for 青山县


def uscc(serial: int, region: str = REGION) -> str:
    """A valid 统一社会信用代码 of a 机关 (登记管理部门 1, 机构类别 1) with a fictional org code."""
    body = f"{serial:08d}"
    org_code = body + org_code_check_char(body)
    first17 = "11" + region + org_code
    return first17 + uscc_check_char(first17)


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    short: str
    level: str
    kind: str
    parent: str | None


CITY = DemoOrg("city", "江川市人民政府", "江川市政府", Level.CITY, OrgKind.GOVERNMENT, None)
COUNTY = DemoOrg("county", "青山县人民政府", "青山县政府", Level.COUNTY, OrgKind.GOVERNMENT, "city")
DEPARTMENTS = [
    ("office", "青山县人民政府办公室", "县政府办"),
    ("finance", "青山县财政局", "县财政局"),
    ("education", "青山县教育局", "县教育局"),
    ("health", "青山县卫生健康局", "县卫健局"),
    ("natres", "青山县自然资源和规划局", "县自然资源局"),
    ("housing", "青山县住房和城乡建设局", "县住建局"),
    ("hrss", "青山县人力资源和社会保障局", "县人社局"),
    ("civil", "青山县民政局", "县民政局"),
    ("env", "青山县生态环境分局", "县生态环境分局"),
    ("market", "青山县市场监督管理局", "县市场监管局"),
    ("transport", "青山县交通运输局", "县交通运输局"),
    ("agri", "青山县农业农村局", "县农业农村局"),
]
TOWNSHIPS = [
    ("t_chengguan", "青山县城关镇人民政府", "城关镇"),
    ("t_shiqiao", "青山县石桥镇人民政府", "石桥镇"),
    ("t_liushu", "青山县柳树乡人民政府", "柳树乡"),
    ("t_baiyun", "青山县白云镇人民政府", "白云镇"),
    ("t_hexi", "青山县河西乡人民政府", "河西乡"),
    ("t_dongling", "青山县东岭镇人民政府", "东岭镇"),
]


def demo_orgs() -> list[DemoOrg]:
    orgs = [CITY, COUNTY]
    orgs += [DemoOrg(k, n, s, Level.COUNTY, OrgKind.DEPARTMENT, "county") for k, n, s in DEPARTMENTS]
    orgs += [DemoOrg(k, n, s, Level.TOWNSHIP, OrgKind.GOVERNMENT, "county") for k, n, s in TOWNSHIPS]
    return orgs


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    org: str
    role: str


DEMO_USERS = [
    DemoUser("admin", "系统管理员", "county", Role.SYSTEM_ADMIN),
    DemoUser("gkb", "王公开", "county", Role.OFFICE_ADMIN),
    DemoUser("jbr", "李经办", "office", Role.CLERK),
    DemoUser("shr", "张审核", "office", Role.REVIEWER),
    DemoUser("bmsc", "赵保密", "office", Role.SECRECY_REVIEWER),
    DemoUser("czj", "钱财政", "finance", Role.CLERK),
    DemoUser("cgz", "孙城关", "t_chengguan", Role.CLERK),
    DemoUser("shiji", "周督查", "city", Role.SUPERVISOR),
]


def _contact(spec: DemoOrg, serial: int) -> dict[str, str]:
    city = spec.key == "city"
    return {
        "office_name": f"{spec.short}政务公开办公室"
        if spec.kind == OrgKind.GOVERNMENT
        else f"{spec.short}办公室",
        "address": ("江川市人民路1号" if city else f"青山县青山大道{serial}号"),
        "office_hours": "工作日 上午8:30-12:00，下午14:30-17:30（法定节假日除外）",
        "phone": f"0579-88{serial:06d}"[:13],
        "fax": f"0579-87{serial:06d}"[:13],
        "email": f"gk{serial}@example.gov.cn",
        "postcode": "339900" if not city else "339000",
        "review_body": "" if city else ("江川市人民政府" if spec.key == "county" else "青山县人民政府"),
        "court": "江川市中级人民法院" if spec.key in {"city", "county"} else "青山县人民法院",
    }


# Apps that extend the demo, in dependency order; each has demo.load_demo(*, orgs) -> list[str].
DEMO_APPS = ("catalog", "applications", "reports")


@dataclass
class DemoResult:
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, password, role, org
    notes: list[str] = field(default_factory=list)


def _app_demo(app: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"gongkai.{app}.demo")
    except ModuleNotFoundError as exc:
        if exc.name != f"gongkai.{app}.demo":
            raise
        return None


@transaction.atomic
def load_demo(*, password: str | None = None) -> DemoResult:
    """Create (or complete) the demo tree, staff and every app's demo records; idempotent."""
    password = password or os.environ.get("GONGKAI_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    created: dict[str, Organisation] = {}
    for serial, spec in enumerate(demo_orgs(), start=1):
        code = uscc(10000000 + serial)
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            org = org_services.org_create(
                actor=SYSTEM_DEMO, name=spec.name, short_name=spec.short, code=code,
                parent=created.get(spec.parent) if spec.parent else None, level=spec.level, kind=spec.kind,
                sort_order=serial, **_contact(spec, serial),
            )  # fmt: skip
        created[spec.key] = org
    # The 县政府办 is the 政府信息公开工作机构 that handles the applications made to the 县政府.
    county, office = created["county"], created["office"]
    if county.handling_office_id != office.pk:
        created["county"] = org_services.org_set_handling_office(actor=SYSTEM_DEMO, org=county, office=office)
    result = DemoResult()
    for du in DEMO_USERS:
        org = created[du.org]
        user = User.objects.filter(username=du.username).first()
        if user is None:
            user = account_services.user_create(
                actor=SYSTEM_DEMO, username=du.username, password=password, org=org, role=du.role,
                full_name=du.full_name, email=f"{du.username}@example.gov.cn",
            )  # fmt: skip
        elif not Membership.objects.filter(user=user, org=org, role=du.role).exists():
            membership_grant(actor=SYSTEM_DEMO, user=user, org=org, role=du.role)
        result.logins.append((du.username, password, Role(du.role).label, org.name))
    for app in DEMO_APPS:
        module = _app_demo(app)
        if module is not None:
            result.notes.extend(module.load_demo(orgs=created))
    return result
