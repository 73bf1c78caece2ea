"""The organisation tree (集约化: one deployment, a whole county or city) and staff memberships."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from gongkai.core.fields import NamedInChinese

from .codes import code_error, normalise
from .handling import handling_office_error
from .report_deadlines import override_error


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县"
    TOWNSHIP = "township", "乡"


class OrgKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府部门"
    AGENCY = "agency", "派出机构"
    OTHER = "other", "其他"


def validate_code(value: str) -> None:
    if reason := code_error(value):
        raise ValidationError(reason, code="invalid_code")


class ExtensionApproval(models.TextChoices):
    """How the 负责人's consent to extend the reply period (第三十三条第二款) is given under the 双人审核 rule."""

    SYSTEM = "system", "系统内审批"
    UPLOAD = "upload", "上传审批单"


class Organisation(models.Model):
    """An administrative body that discloses information (行政机关) and its 公开工作机构.

    ``path`` is the chain of codes from the root (``/A/B/C/``): subtree queries are one
    ``path__startswith``. Services keep it in step with ``parent``.
    """

    name = models.CharField("全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.CharField(
        "机构代码",
        max_length=18,
        unique=True,
        validators=[validate_code],
        help_text="9位组织机构代码或18位统一社会信用代码",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    kind = models.CharField("类型", max_length=12, choices=OrgKind.choices)
    path = models.CharField(max_length=800, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.IntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    # Who handles the applications made to this organisation (its 政府信息公开工作机构, e.g. the 县政府办 for
    # the 县政府); empty: the organisation itself. Letters stay in the name of the organisation applied to.
    handling_office = models.ForeignKey(
        "self",
        verbose_name="办理申请的工作机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_orgs",
        help_text="办理向本机关提出的政府信息公开申请的政府信息公开工作机构（如县政府办公室办理向县人民政府提出的申请）。"
        "该机构的工作人员可以查看、办理这些申请；答复等文书仍以本机关名义出具。留空即由本机关自行办理。",
    )
    # 政府信息公开工作机构 contact details (used by the 指南 and letters).
    office_name = models.CharField("政府信息公开工作机构", max_length=100, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("电话", max_length=50, blank=True)
    fax = models.CharField("传真", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    postcode = models.CharField("邮编", max_length=6, blank=True)
    website = models.URLField("网站", blank=True)
    # Remedy bodies named in reply letters (第五十一条).
    review_body = models.CharField("行政复议机关", max_length=100, blank=True)
    vertically_led = models.BooleanField(
        "垂直领导机关",
        default=False,
        help_text="海关、金融、外汇管理等实行垂直领导的机关和税务、国家安全机关（《中华人民共和国行政复议法》"
        "第二十七条）的行政复议机关是上一级主管部门，不能由机构树推定，须在“行政复议机关”中填写。",
    )
    court = models.CharField("人民法院", max_length=100, blank=True)
    # Annual-report deadline where a local rule sets it (reports/.. via orgs/report_deadlines.py).
    report_deadline = models.CharField(
        "年度报告发布期限（本地规定）",
        max_length=5,
        blank=True,
        help_text="按“月-日”填写，例如 02-28，指报告年度次年的该日（含当日）。留空则县级以上人民政府部门按第四十九条"
        "第一款（1月31日），县级以上地方人民政府按第四十九条第二款（3月31日）；乡镇、街道、派出机构等第四十九条"
        "未列明的机构按本平台配置的本地规定，未配置的参照第四十九条（人民政府3月31日，其他1月31日）。"
        "对第四十九条所列机关，本地期限只能提前。",
    )
    report_deadline_basis = models.CharField(
        "本地期限依据", max_length=200, blank=True, help_text="规定该期限的本地文件名称和文号"
    )

    # Separation of duties (services enforce it: gongkai/orgs/duties.py).
    four_eyes = models.BooleanField(
        "双人审核",
        default=True,
        help_text="开启后，起草人不能审核、保密审查自己起草的信息，不能审核自己起草或提交的年度报告；"
        "申请延期须经他人批准。",
    )
    extension_approval = models.CharField(
        "延期审批方式",
        max_length=8,
        choices=ExtensionApproval.choices,
        default=ExtensionApproval.SYSTEM,
        help_text="双人审核开启时适用：系统内审批＝由经办人以外的审核人或公开办管理员在系统内批准；"
        "上传审批单＝上传经负责人签字的审批单。",
    )
    # PIPL 第十九条: applicants' personal data kept no longer than necessary (applications/retention.py).
    personal_data_retention_years = models.PositiveSmallIntegerField(
        "申请人个人信息保存期限（年）",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="申请办结满该年数后，删除申请人的姓名、证件号码、联系方式、地址和申请材料附件（统计数据和审计日志不受影响）。"
        "留空则使用平台默认设置；平台也未设置的，不自动删除。",
    )

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta(NamedInChinese):
        verbose_name = "机构"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="org_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        self.code = normalise(self.code)
        if self.postcode and not (self.postcode.isdigit() and len(self.postcode) == 6):
            raise ValidationError({"postcode": "邮编应为6位数字。"})
        self.report_deadline = self.report_deadline.strip()
        if errors := override_error(self.report_deadline, self.report_deadline_basis, self.kind, self.level):
            raise ValidationError(errors)
        if errors := handling_office_error(self):
            raise ValidationError(errors)

    def is_descendant_of(self, other: Organisation) -> bool:
        return self.path.startswith(other.path) and self.pk != other.pk


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    OFFICE_ADMIN = "office_admin", "公开办管理员"
    CLERK = "clerk", "经办人"
    REVIEWER = "reviewer", "审核人"
    SECRECY_REVIEWER = "secrecy_reviewer", "保密审查员"
    SUPERVISOR = "supervisor", "只读（上级监督）"


class Membership(models.Model):
    """A user's role in one organisation; what the role reaches is defined in permissions.py."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    org = models.ForeignKey(
        Organisation, verbose_name="机构", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField("授权时间", auto_now_add=True)

    class Meta(NamedInChinese):
        verbose_name = "岗位授权"
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.org}: {self.get_role_display()}"
