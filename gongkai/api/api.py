"""The JSON API: the same services as the back office, behind an OpenAPI schema at /api/docs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from gongkai.accounts.services import api_token_user
from gongkai.backoffice.audit.selectors import audit_entries_for
from gongkai.core.params import Limit, Offset
from gongkai.core.schemas import InputSchema, PatchSchema
from gongkai.orgs import services as org_services
from gongkai.orgs.models import ExtensionApproval, Level, Organisation, OrgKind
from gongkai.orgs.permissions import Action, can, orgs_where
from gongkai.orgs.selectors import org_by_code


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `gongkai api_token USERNAME`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Gongkai 政府信息公开平台 API",
    version="1",
    description=(
        "工作人员接口。认证：`Authorization: Bearer <令牌>`（令牌在后台「API 令牌」页面创建，或由"
        " `gongkai api_token 用户名` 生成，到期自动失效，可随时吊销），或已登录的会话。"
    ),
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, message: str, details: Any = None) -> HttpResponse:
    return api.create_response(request, {"detail": message, "errors": details or {}}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 400, "提交的数据有误。", details)


# pydantic's error types, in Chinese: ninja's own 422 answer is pydantic's English.
_INPUT_MESSAGES = {
    "missing": "必填。",
    "int_parsing": "应为整数。",
    "int_type": "应为整数。",
    "int_from_float": "应为整数。",
    "float_parsing": "应为数字。",
    "float_type": "应为数字。",
    "bool_parsing": "应为 true 或 false。",
    "bool_type": "应为 true 或 false。",
    "string_type": "应为文本。",
    "date_parsing": "应为日期（年-月-日）。",
    "date_from_datetime_parsing": "应为日期（年-月-日）。",
    "date_type": "应为日期（年-月-日）。",
    "datetime_parsing": "应为日期时间。",
    "datetime_from_date_parsing": "应为日期时间。",
    "datetime_type": "应为日期时间。",
    "enum": "不是可选的值。",
    "literal_error": "不是可选的值。",
    "list_type": "应为列表。",
    "dict_type": "应为对象。",
    "model_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "json_invalid": "不是有效的 JSON。",
    "json_type": "不是有效的 JSON。",
    "extra_forbidden": "不是可提交的项。",
}


def _input_message(error: dict[str, Any]) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于{'或等于' if kind == 'greater_than' else ''} {ctx.get('ge', ctx.get('gt'))}。"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于{'或等于' if kind == 'less_than' else ''} {ctx.get('le', ctx.get('lt'))}。"
    if kind in ("string_too_long", "too_long"):
        return f"过长：最多 {ctx.get('max_length')} 个。"
    if kind in ("string_too_short", "too_short"):
        return f"过短：至少 {ctx.get('min_length')} 个。"
    if kind == "value_error":  # our validators raise ValueError with a Chinese message
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return _INPUT_MESSAGES.get(kind, "取值无效。")


@api.exception_handler(NinjaValidationError)
def on_input_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """The request did not match the endpoint's schema: 422, with a Chinese message per offending field."""
    details: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form", "payload")]
        if loc and loc[0] in ("filters", "q"):  # the Query[...] parameter's own name
            loc = loc[1:]
        details.setdefault(".".join(loc) or "__all__", []).append(_input_message(error))
    return _error(request, 422, "提交的数据有误。", details)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "没有权限。")


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "未认证：请提供有效的 API 令牌或先登录。")


class MembershipOut(Schema):
    org_code: str
    org_name: str
    role: str
    role_label: str


class MeOut(Schema):
    username: str
    full_name: str
    memberships: list[MembershipOut]


class OrgOut(Schema):
    code: str
    name: str
    short_name: str
    parent_code: str | None
    level: str
    level_label: str
    kind: str
    kind_label: str
    is_active: bool
    office_name: str
    address: str
    office_hours: str
    phone: str
    fax: str
    email: str
    postcode: str
    website: str
    review_body: str
    vertically_led: bool
    court: str
    four_eyes: bool
    extension_approval: str
    extension_approval_label: str
    report_deadline: str
    report_deadline_basis: str
    # Who handles its 依申请公开 applications (orgs/handling.py); null: the organisation itself.
    handling_office_code: str | None
    handling_office_name: str | None


class OrgIn(InputSchema):
    name: str
    code: str
    parent_code: str | None = None
    level: Level
    kind: OrgKind
    short_name: str = ""
    office_name: str = ""
    address: str = ""
    office_hours: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    postcode: str = ""
    website: str = ""
    review_body: str = ""
    vertically_led: bool = False
    court: str = ""
    four_eyes: bool = True
    extension_approval: ExtensionApproval = ExtensionApproval.SYSTEM
    report_deadline: str = ""
    report_deadline_basis: str = ""
    handling_office_code: str | None = None  # null or "": the organisation handles its own applications


class OrgPatch(PatchSchema):
    # null: a top-level organisation; the organisation handles its own applications
    nullable = frozenset({"parent_code", "handling_office_code"})

    name: str | None = None
    short_name: str | None = None
    parent_code: str | None = None
    level: Level | None = None
    kind: OrgKind | None = None
    is_active: bool | None = None
    office_name: str | None = None
    address: str | None = None
    office_hours: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    postcode: str | None = None
    website: str | None = None
    review_body: str | None = None
    vertically_led: bool | None = None
    court: str | None = None
    four_eyes: bool | None = None
    extension_approval: ExtensionApproval | None = None
    report_deadline: str | None = None
    report_deadline_basis: str | None = None
    handling_office_code: str | None = None


class AuditOut(Schema):
    id: int
    created_at: dt.datetime
    actor_name: str
    org_code: str
    object_type: str
    object_id: str
    object_repr: str
    action: str
    changes: dict[str, Any]
    ip: str | None


class AuditFilter(InputSchema):
    org: str | None = None
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: Limit = 100
    offset: Offset = 0


def _org_out(org: Organisation) -> dict[str, Any]:
    data = {f: getattr(org, f) for f in OrgOut.model_fields if hasattr(org, f) and f != "parent_code"}
    office = org.handling_office if org.handling_office_id else None
    data.update(
        parent_code=org.parent.code if org.parent_id and org.parent else None,
        handling_office_code=office.code if office else None,
        handling_office_name=office.name if office else None,
        level_label=org.get_level_display(),
        kind_label=org.get_kind_display(),
        extension_approval_label=org.get_extension_approval_display(),
    )
    return data


def _parent(code: str | None) -> Organisation | None:
    if not code:
        return None
    parent = org_by_code(code)
    if parent is None:
        raise ValidationError({"parent_code": f"上级机构代码「{code}」不存在。"})
    return parent


def _office(request: HttpRequest, code: str | None) -> Organisation | None:
    """The handling office named by code (None: the organisation itself); the service checks the rest as it
    does for the form (MANAGE on the office, active, no chain, no cycle: orgs/handling.py)."""
    if not code:
        return None
    office = org_by_code(code)
    if office is None or not can(request.user, Action.VIEW, office):
        raise ValidationError({"handling_office_code": f"机构代码「{code}」不存在或您无权查看。"})
    return office


def _org_fields(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The payload as service fields: organisations by code turned into organisations."""
    if "parent_code" in data:
        data["parent"] = _parent(data.pop("parent_code"))
    if "handling_office_code" in data:
        data["handling_office"] = _office(request, data.pop("handling_office_code"))
    return data


@contextmanager
def _payload_errors() -> Iterator[None]:
    """The service's errors under the payload's names (``parent`` → ``parent_code``, …)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError({_PAYLOAD_NAMES.get(k, k): v for k, v in exc.error_dict.items()}) from exc


_PAYLOAD_NAMES = {"parent": "parent_code", "handling_office": "handling_office_code"}


me_router = Router(tags=["账号"])
orgs_router = Router(tags=["机构"])
audit_router = Router(tags=["审计日志"])


@me_router.get("", response=MeOut, summary="当前用户")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "username": user.username,
        "full_name": user.full_name,
        "memberships": [
            {
                "org_code": m.org.code,
                "org_name": m.org.name,
                "role": m.role,
                "role_label": m.get_role_display(),
            }
            for m in user.memberships.select_related("org")
        ],
    }


@orgs_router.get("", response=list[OrgOut], summary="可查看的机构")
def org_list(request: HttpRequest) -> list[dict[str, Any]]:
    orgs = orgs_where(request.user, Action.VIEW).select_related("parent", "handling_office").order_by("path")
    return [_org_out(o) for o in orgs]


def _visible_org(request: HttpRequest, code: str) -> Organisation:
    org = org_by_code(code)
    if org is None or not can(request.user, Action.VIEW, org):
        raise PermissionDenied(f"机构「{code}」不存在或您无权查看。")
    return org


@orgs_router.get("/{code}", response=OrgOut, summary="机构详情")
def org_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _org_out(_visible_org(request, code))


@orgs_router.post("", response={201: OrgOut}, summary="新增机构")
def org_create(request: HttpRequest, payload: OrgIn) -> Status[dict[str, Any]]:
    data = _org_fields(request, payload.model_dump())
    with _payload_errors():
        org = org_services.org_create(actor=request.user, **data)
    return Status(201, _org_out(org))


@orgs_router.patch("/{code}", response=OrgOut, summary="修改机构")
def org_update(request: HttpRequest, code: str, payload: OrgPatch) -> dict[str, Any]:
    org = _visible_org(request, code)
    data = _org_fields(request, payload.model_dump(exclude_unset=True))
    with _payload_errors():
        org = org_services.org_update(actor=request.user, org=org, **data)
    return _org_out(org)


@audit_router.get("", response=list[AuditOut], summary="审计日志（按机构、对象、操作人、日期筛选）")
def audit_list(request: HttpRequest, filters: Query[AuditFilter]) -> list[Any]:
    org_id = None
    if filters.org:
        org_id = _visible_org(request, filters.org).pk
    qs = audit_entries_for(
        request.user, org_id=org_id, **filters.model_dump(exclude={"org", "limit", "offset"})
    )
    return list(qs[filters.offset : filters.offset + filters.limit])


api.add_router("/me", me_router)
api.add_router("/orgs", orgs_router)
api.add_router("/audit", audit_router)
api.add_router("/applications", "gongkai.applications.api.router")
api.add_router("/evidence", "gongkai.applications.evidence.api.router")
api.add_router("/catalog", "gongkai.catalog.api.router")
api.add_router("/reports", "gongkai.reports.api.router")
