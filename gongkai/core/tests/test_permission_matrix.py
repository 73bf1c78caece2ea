"""Permission matrix: every staff URL and every API operation × every role × org relation of the target.

The expectations are written by hand from the policy (a small rule table below), never derived from the
production permission code (gongkai/orgs/permissions.py and friends), so a change to that code that widens
access shows up here as a failure. A staff URL (anything under /admin/ in the URL conf) or an API operation
(the OpenAPI schema) without an entry in ``URLS``/``API`` fails ``test_every_*_has_an_entry`` by name.

Requests are authorisation probes only: each runs inside a savepoint that is rolled back, so mutating views
never change the shared world; POSTs carry an empty or minimal body and only the outcome class is checked
(login redirect / 401, 403, 404, a permission error message, or "allowed").
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.models import ApiToken
from gongkai.accounts.services import api_token_create
from gongkai.api.api import api
from gongkai.applications.letters import letter_draft
from gongkai.applications.models import Attachment as ApplicationAttachment
from gongkai.applications.models import EvidenceBundle, LetterDelivery, LetterStamp, OrganisationSeal
from gongkai.applications.tests.factories import ApplicationFactory, RemedyCaseFactory
from gongkai.archives.services import archive_file
from gongkai.catalog import attachments as catalog_attachments
from gongkai.catalog.tests.factories import draft_item, published_item
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.models import Job, JobStatus
from gongkai.notifications.services import enqueue
from gongkai.orgs.models import Level, Membership, OrgKind
from gongkai.orgs.tests.factories import OrganisationFactory, UserFactory, staff, valid_org_code
from gongkai.reports.tests.factories import ReportFactory

# --- The hand-written policy ---------------------------------------------------------------------

ROLES = ("system_admin", "office_admin", "clerk", "reviewer", "secrecy_reviewer", "supervisor")
PRINCIPALS = (*ROLES, "no_role", "anonymous")  # every role holder sits in the "own" county
# "handled": an organisation outside the county's tree whose applications the county handles (its
# ``handling_office`` is "own", as the 县政府办 handles the 县政府's): applications and remedy cases only.
RELATIONS = ("own", "child", "parent", "sibling", "unrelated", "handled")

ACTIONS: dict[str, set[str]] = {
    "system_admin": {"view", "edit", "review", "secrecy_review", "manage"},
    "office_admin": {"view", "edit", "manage"},
    "clerk": {"view", "edit"},
    "reviewer": {"view", "review"},
    "secrecy_reviewer": {"view", "secrecy_review"},
    "supervisor": {"view"},
}
REACH: dict[str, set[str]] = {
    "system_admin": set(RELATIONS),
    "office_admin": {"own", "child"},  # its county and everything below
    "clerk": {"own"},
    "reviewer": {"own"},
    "secrecy_reviewer": {"own"},
    "supervisor": {"own", "child"},  # read-only over its subtree
}
# Applicant data (names, letters, uploaded files) is seen by the handling organisation's staff and the
# 公开办管理员 over it — not by 系统管理员 nor 上级 supervisors, who see the record only.
APPLICANT_DATA: dict[str, set[str]] = {
    "office_admin": {"own", "child", "handled"},
    "clerk": {"own", "handled"},
    "reviewer": {"own", "handled"},
    "secrecy_reviewer": {"own", "handled"},
}
# Applications (and remedy cases) of an organisation are reached by whoever reaches it or its handling office.
APP_REACH: dict[str, set[str]] = {p: REACH[p] | {"handled"} for p in ROLES}
# Managing people: 系统管理员 > 公开办管理员 > everyone else. A manager may change a user only if every role
# that user holds is within the manager's reach and below the manager's rank; a 公开办管理员 also stands
# above another 公开办管理员 of an organisation strictly below its own. Users without any role: 系统管理员 only.
RANK = {
    "system_admin": 3,
    "office_admin": 2,
    "clerk": 1,
    "reviewer": 1,
    "secrecy_reviewer": 1,
    "supervisor": 1,
}
# Target users of the user-management URLs: (role, relation) pairs they hold.
USER_TARGETS: dict[str, tuple[tuple[str, str], ...]] = {
    **{rel: (("clerk", rel),) for rel in RELATIONS},
    "peer_office_admin": (("office_admin", "own"),),
    "child_office_admin": (("office_admin", "child"),),
    "peer_system_admin": (("system_admin", "own"),),
    "mixed_own_sibling": (("clerk", "own"), ("clerk", "sibling")),
    "no_role_user": (),
}


def _is_role(p: str) -> bool:
    return p in ROLES


def _may_manage_user(p: str, held: tuple[tuple[str, str], ...]) -> bool:
    if p == "system_admin":
        return True
    if p != "office_admin" or not held:
        return False
    return all(
        rel in REACH[p] and (RANK[role] < RANK[p] or (RANK[role] == RANK[p] and rel != "own"))
        for role, rel in held
    )


Rule = Callable[[str, str], bool]  # (principal, target) -> allowed


def public(p: str, t: str) -> bool:
    return True


def login(p: str, t: str) -> bool:
    return p != "anonymous"


def staff_only(p: str, t: str) -> bool:
    return _is_role(p)


def system_admin_only(p: str, t: str) -> bool:
    return p == "system_admin"


def anywhere(action: str) -> Rule:
    """The principal holds ``action`` on at least one organisation."""
    return lambda p, t: _is_role(p) and action in ACTIONS[p]


def on(*actions: str) -> Rule:
    """One of ``actions`` on the target's organisation."""
    return lambda p, t: _is_role(p) and t in REACH[p] and bool(ACTIONS[p] & set(actions))


def on_app(*actions: str) -> Rule:
    """One of ``actions`` on the applications of the target's organisation (its handling office counts)."""
    return lambda p, t: _is_role(p) and t in APP_REACH[p] and bool(ACTIONS[p] & set(actions))


def on_parent_of(action: str) -> Rule:
    """``action`` on the target's parent organisation (or the target itself when it is a root)."""
    parent_of = {
        "own": "parent",
        "child": "own",
        "parent": "parent",
        "sibling": "parent",
        "unrelated": "unrelated",
        "handled": "parent",
    }
    return lambda p, t: on(action)(p, parent_of[t])


def _year(w: Any, t: str, year: int | None = None) -> dict[str, Any]:
    """An organisation's archive year: the year of its filed record (or ``year``, one with nothing in it)."""
    return {"code": w.orgs[t].code, "year": year or w.archives[t].year}


def _transfer_form() -> dict[str, str]:
    return {
        "transferred_on": "2026-03-05",
        "archive_name": "矩阵档案馆",
        "receiver": "甲",
        "receipt_number": "1",
    }


def applicant_data(p: str, t: str) -> bool:
    return t in APPLICANT_DATA.get(p, set())


def edit_and_applicant_data(p: str, t: str) -> bool:
    return on_app("edit")(p, t) and applicant_data(p, t)


def manage_user(p: str, t: str) -> bool:
    return _may_manage_user(p, USER_TARGETS[t])


def own_job(p: str, t: str) -> bool:
    """The target is a job started by principal ``t``."""
    return p == t


# --- Entries ------------------------------------------------------------------------------------

DENIED_403 = frozenset({"403"})
DENIED_404 = frozenset({"404"})
DENIED_MSG = frozenset({"msg"})  # the view redirects with a permission error message


@dataclass(frozen=True)
class Probe:
    """What one (URL or operation, method) must answer."""

    rule: Rule
    deny: frozenset[str] = DENIED_403
    hide: Rule | None = None  # when given and false: the object is hidden (404)
    data: Callable[[World, str], Any] | None = None  # body builder (API: JSON; views: form data)
    ok: frozenset[str] = frozenset({"ok"})
    multipart: bool = False  # API operations taking a form instead of JSON


@dataclass(frozen=True)
class Entry:
    probes: dict[str, Probe]  # method → probe
    kwargs: Callable[[World, str], dict[str, Any]] | None = None
    target: str = "none"


def _get(rule: Rule, **kw: Any) -> dict[str, Probe]:
    return {"GET": Probe(rule, **kw)}


def _get_post(rule: Rule, **kw: Any) -> dict[str, Probe]:
    return {"GET": Probe(rule, **kw), "POST": Probe(rule, **kw)}


def _post(rule: Rule, **kw: Any) -> dict[str, Probe]:
    return {"POST": Probe(rule, **kw)}


VIEW_HIDE = on("view")
APP_HIDE = on_app("view")

URLS: dict[str, Entry] = {
    # accounts
    "accounts:login": Entry(_get(public)),
    "accounts:verify": Entry(_get(public)),  # without a pending login it redirects to the login page
    "accounts:logout": Entry(_post(public)),
    "accounts:two_factor": Entry(_get_post(login)),
    "accounts:password_change": Entry(_get_post(login)),  # one's own password
    "accounts:tokens": Entry(_get_post(login)),  # one's own API tokens
    # another user's token: whoever may manage its owner
    "accounts:token_revoke": Entry(_post(manage_user), lambda w, t: {"pk": w.user_tokens[t].pk}, "user"),
    "accounts:user_list": Entry(_get(anywhere("manage"))),
    "accounts:user_create": Entry(_get_post(anywhere("manage"))),
    "accounts:user_detail": Entry(_get_post(manage_user), lambda w, t: {"pk": w.users[t].pk}, "user"),
    "accounts:user_unlock": Entry(_post(manage_user), lambda w, t: {"pk": w.users[t].pk}, "user"),
    # a lost phone: 系统管理员 only (an office admin who manages the user gets the refusal as a message)
    "accounts:user_two_factor_clear": Entry(
        _post(lambda p, t: p == "system_admin" and manage_user(p, t), deny=frozenset({"403", "msg"})),
        lambda w, t: {"pk": w.users[t].pk},
        "user",
    ),
    "accounts:membership_revoke": Entry(
        _post(manage_user, deny=DENIED_MSG), lambda w, t: {"pk": w.memberships[t].pk}, "membership"
    ),
    # organisations
    "orgs:list": Entry(_get(login)),
    "orgs:create": Entry(_get_post(anywhere("manage"))),
    "orgs:edit": Entry(_get_post(on("manage")), lambda w, t: {"pk": w.orgs[t].pk}, "org"),
    "orgs:delete": Entry(
        _post(on_parent_of("manage"), deny=DENIED_MSG), lambda w, t: {"pk": w.orgs[t].pk}, "org"
    ),
    "orgs:import": Entry(_get_post(anywhere("manage"))),
    "orgs:export": Entry(_get(login)),  # scoped to the visible organisations
    # audit, calendar, dashboard, report check
    "backoffice:audit": Entry(_get(login)),  # scoped to the visible organisations
    "workdays:calendar": Entry(_get(login)),
    "workdays:year": Entry(_get(login), lambda w, t: {"year": 2026}),
    "workdays:load": Entry(_get_post(system_admin_only)),
    "workdays:load_confirm": Entry(_post(system_admin_only)),
    "backoffice:dashboard": Entry(_get(login)),
    "report_check:upload": Entry(_get_post(staff_only)),
    # A finding's cell in the uploaded report: the job's owner only (others: 404, as the job page); the world's
    # jobs are not report checks, so the owner gets a 400 naming that (allowed, nothing to show).
    "report_check:cell_source": Entry(
        _get(own_job, deny=DENIED_404), lambda w, t: {"pk": w.jobs[t].pk}, "job"
    ),
    # background jobs: only the user who started one sees it (its page, its progress) or retries it; anyone
    # else, 系统管理员 included, gets 404 — a job's result may carry another office's data or file names
    # 「继续使用」 before the idle timeout: any signed-in user renews their own session (204), nothing else
    "backoffice:keepalive": Entry(_get(login)),
    "backoffice:job": Entry(_get(own_job, deny=DENIED_404), lambda w, t: {"pk": w.jobs[t].pk}, "job"),
    "backoffice:job_status": Entry(_get(own_job, deny=DENIED_404), lambda w, t: {"pk": w.jobs[t].pk}, "job"),
    "backoffice:job_retry": Entry(_post(own_job, deny=DENIED_404), lambda w, t: {"pk": w.jobs[t].pk}, "job"),
    # catalogue
    "catalog:list": Entry(_get(login)),
    "catalog:create": Entry(_get_post(anywhere("edit"))),
    "catalog:detail": Entry(_get(on("view"), deny=DENIED_404), lambda w, t: {"pk": w.drafts[t].pk}, "org"),
    "catalog:edit": Entry(_get_post(on("edit"), hide=VIEW_HIDE), lambda w, t: {"pk": w.drafts[t].pk}, "org"),
    "catalog:step": Entry(
        _post(on("edit"), hide=VIEW_HIDE, deny=DENIED_MSG),
        lambda w, t: {"pk": w.drafts[t].pk, "step": "submit"},
        "org",
    ),
    "catalog:amended": Entry(
        _post(on("review", "manage"), hide=VIEW_HIDE, deny=DENIED_MSG),
        lambda w, t: {"pk": w.published[t].pk},
        "org",
    ),
    "catalog:attachment_upload": Entry(
        {
            "POST": Probe(
                on("edit"),
                hide=VIEW_HIDE,
                deny=DENIED_MSG,
                data=lambda w, t: {"file": ContentFile(png_bytes(), name="b.png")},
            )
        },
        lambda w, t: {"pk": w.drafts[t].pk},
        "org",
    ),
    "catalog:image_upload": Entry(
        {
            "POST": Probe(
                on("edit"),
                hide=VIEW_HIDE,
                data=lambda w, t: {"image": ContentFile(png_bytes(), name="b.png")},
            )
        },
        lambda w, t: {"pk": w.drafts[t].pk},
        "org",
    ),
    "catalog:attachment": Entry(
        _get(on("view"), deny=DENIED_404),
        lambda w, t: {"pk": w.drafts[t].pk, "aid": w.item_attachments[t].pk},
        "org",
    ),
    "catalog:attachment_delete": Entry(
        _post(on("edit"), hide=VIEW_HIDE, deny=DENIED_MSG),
        lambda w, t: {"pk": w.drafts[t].pk, "aid": w.item_attachments[t].pk},
        "org",
    ),
    "catalog:checks": Entry(_get(anywhere("manage"))),
    "catalog:reindex": Entry(_get_post(system_admin_only)),  # the index serves every organisation
    # the vocabularies are deployment-wide: everyone reads them, any MANAGE grant maintains them
    "catalog:dictionary": Entry({"GET": Probe(login), "POST": Probe(anywhere("manage"))}),
    "catalog:fields": Entry({"GET": Probe(login), "POST": Probe(anywhere("manage"))}),
    # applications
    "applications:list": Entry(_get(login)),
    "applications:dashboard": Entry(_get(login)),
    "applications:inbox": Entry(_get(login)),  # scoped to the applications the user may see
    "applications:register": Entry(_get_post(anywhere("edit"))),
    "applications:detail": Entry(
        _get(on_app("view"), deny=DENIED_404), lambda w, t: {"pk": w.applications[t].pk}, "org"
    ),
    "applications:act": Entry(
        _post(on_app("edit"), hide=APP_HIDE),
        lambda w, t: {"pk": w.applications[t].pk, "action": "assign"},
        "org",
    ),
    "applications:letter": Entry(
        _get_post(applicant_data, deny=DENIED_404), lambda w, t: {"pk": w.letters[t].pk}, "org"
    ),
    "applications:letter_download": Entry(
        _get(applicant_data, deny=DENIED_404), lambda w, t: {"pk": w.letters[t].pk, "fmt": "docx"}, "org"
    ),
    "applications:attachment": Entry(
        _get(applicant_data, deny=DENIED_404), lambda w, t: {"pk": w.app_attachments[t].pk}, "org"
    ),
    "applications:remedies": Entry(_get(login)),
    "applications:remedy_new": Entry(_get_post(anywhere("edit"))),
    "applications:remedy_edit": Entry(
        _get_post(on_app("edit"), deny=DENIED_404), lambda w, t: {"pk": w.remedies[t].pk}, "org"
    ),
    # the import page offers only the organisations the user may edit (an empty choice otherwise)
    "applications:ledger": Entry(_get_post(login)),
    # the ledger carries applicants' names: the handling office only (not 系统管理员, not supervisors)
    "applications:ledger_export": Entry(
        _get(edit_and_applicant_data, deny=DENIED_404),
        lambda w, t: {"code": w.orgs[t].code, "kind": "applications", "fmt": "csv"},
        "org",
    ),
    # applicant notifications: the list is scoped to the visible organisations (no recipient in clear);
    # 重新发送 needs EDIT on the message's organisation, and a message out of sight is not found
    "notifications:outbox": Entry(_get(login)),
    "notifications:retry": Entry(
        _post(on_app("edit"), hide=APP_HIDE), lambda w, t: {"pk": w.notices[t].pk}, "org"
    ),
    # 归档: the list is scoped; filing needs EDIT (the probe's application is open: refused with a message, still
    # "ok"); the package carries applicant data: the handling office only
    # the 登记回执 for a paper application names the applicant: the handling office only
    "applications:registration_receipt": Entry(
        _get(applicant_data, deny=DENIED_404), lambda w, t: {"pk": w.applications[t].pk, "fmt": "html"}, "org"
    ),
    "archives:list": Entry(_get(login)),
    "archives:file": Entry(
        _post(on_app("edit"), hide=APP_HIDE), lambda w, t: {"pk": w.applications[t].pk}, "org"
    ),
    "archives:package": Entry(
        _get(applicant_data, deny=DENIED_404), lambda w, t: {"pk": w.archives[t].pk}, "org"
    ),
    # an organisation's year (issue 17): the page and its dry run to whoever sees the applications (404
    # otherwise); 批量归档 and 提出销毁 need EDIT, 登记移交 and 审批销毁 need MANAGE (refused with a message by
    # the service; the probe's year has nothing to transfer or destroy, so an allowed probe ends "ok" with a
    # notice); the 目录 and the transfer package carry applicant data: the handling office only
    "archives:year": Entry(_get(on_app("view"), deny=DENIED_404), lambda w, t: _year(w, t), "org"),
    "archives:bulk": Entry(_post(on_app("edit"), deny=DENIED_404), lambda w, t: _year(w, t), "org"),
    "archives:directory": Entry(
        _get(applicant_data, deny=DENIED_404), lambda w, t: {**_year(w, t), "fmt": "xlsx"}, "org"
    ),
    "archives:transfer": Entry(
        _post(on_app("manage"), hide=APP_HIDE, deny=DENIED_MSG, data=lambda w, t: _transfer_form()),
        lambda w, t: _year(w, t, 2031),
        "org",
    ),
    "archives:transfer_package": Entry(
        _post(applicant_data, deny=DENIED_404), lambda w, t: _year(w, t), "org"
    ),
    "archives:destruction_propose": Entry(
        _post(on_app("edit"), hide=APP_HIDE, deny=DENIED_MSG), lambda w, t: _year(w, t), "org"
    ),
    "archives:destruction_approve": Entry(
        _post(on_app("manage"), hide=APP_HIDE, deny=DENIED_MSG), lambda w, t: _year(w, t), "org"
    ),
    # proof of delivery, stamped letters, the 电子印章 (issue 17): the handling office writes; the files go to
    # whoever sees the applicant's data; the seal to those who manage the organisation
    "applications:letter_delivery": Entry(
        _post(
            edit_and_applicant_data,
            hide=applicant_data,
            deny=DENIED_MSG,
            data=lambda w, t: {
                f"delivery-{w.letters[t].pk}-method": "in_person",
                f"delivery-{w.letters[t].pk}-sent_on": "2026-03-05",
            },
        ),
        lambda w, t: {"pk": w.letters[t].pk},
        "org",
    ),
    "applications:delivery_proof": Entry(
        _get(applicant_data, deny=DENIED_404), lambda w, t: {"pk": w.letters[t].pk}, "org"
    ),
    "applications:letter_stamped": Entry(
        _post(
            edit_and_applicant_data,
            hide=applicant_data,
            deny=DENIED_MSG,
            data=lambda w, t: {f"stamp-{w.letters[t].pk}-scan": ContentFile(png_bytes(), name="s.png")},
        ),
        lambda w, t: {"pk": w.letters[t].pk},
        "org",
    ),
    "applications:stamped_scan": Entry(
        _get(applicant_data, deny=DENIED_404), lambda w, t: {"pk": w.letters[t].pk}, "org"
    ),
    "applications:letter_seal": Entry(
        _post(edit_and_applicant_data, hide=applicant_data, deny=DENIED_MSG),
        lambda w, t: {"pk": w.letters[t].pk},
        "org",
    ),
    # the evidence bundle of a remedy case (issue 17): built and downloaded by the staff who act on the case's
    # applications and see their applicants; others who may edit the case get the refusal as a message
    "applications:evidence_build": Entry(
        _post(edit_and_applicant_data, hide=on_app("edit"), deny=DENIED_MSG),
        lambda w, t: {"pk": w.remedies[t].pk},
        "org",
    ),
    "applications:evidence_download": Entry(
        _get(edit_and_applicant_data, deny=DENIED_404),
        lambda w, t: {"pk": w.evidence[t].pk, "fmt": "pdf"},
        "org",
    ),
    "applications:seals": Entry(_get_post(anywhere("manage"))),
    "applications:seal_image": Entry(
        _get(on("manage"), deny=DENIED_404), lambda w, t: {"code": w.orgs[t].code}, "org"
    ),
    # annual reports
    "reports:list": Entry(_get(login)),
    "reports:create": Entry(_get_post(anywhere("edit"))),
    "reports:figures": Entry(_get_post(login)),  # the entry form lists only editable organisations
    "reports:figures_import": Entry(_post(login)),  # an empty upload is refused before any organisation
    # a whole tree's reports as a zip (a job): whoever views reports somewhere; the form offers those only
    "reports:bundle": Entry(_get_post(anywhere("view"))),
    "reports:detail": Entry(_get(on("view"), deny=DENIED_404), lambda w, t: {"pk": w.reports[t].pk}, "org"),
    "reports:edit": Entry(_get_post(on("edit"), hide=VIEW_HIDE), lambda w, t: {"pk": w.reports[t].pk}, "org"),
    "reports:image_upload": Entry(
        {
            "POST": Probe(
                on("edit"),
                hide=VIEW_HIDE,
                data=lambda w, t: {"image": ContentFile(png_bytes(), name="b.png")},
            )
        },
        lambda w, t: {"pk": w.reports[t].pk},
        "org",
    ),
    "reports:download": Entry(
        _get(on("view"), deny=DENIED_404), lambda w, t: {"pk": w.reports[t].pk, "kind": "xlsx"}, "org"
    ),
    "reports:action": Entry(
        _post(on("edit"), hide=VIEW_HIDE), lambda w, t: {"pk": w.reports[t].pk, "action": "submit"}, "org"
    ),
}


def png_bytes() -> bytes:
    """A complete 1×1 PNG (uploads are decoded, not just sniffed)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buffer, "PNG")
    return buffer.getvalue()


def _applicant() -> dict[str, Any]:
    return {"applicant_type": "natural", "name": "张三", "phone": "13800138000"}


API: dict[str, Entry] = {
    "gongkai_api_api_me": Entry(_get(login)),
    "gongkai_api_api_org_list": Entry(_get(login)),
    "gongkai_api_api_org_create": Entry(
        {
            "POST": Probe(
                on("manage"),
                data=lambda w, t: {
                    "name": "矩阵测试新机构",
                    "code": valid_org_code(77777777),
                    "parent_code": w.orgs[t].code,
                    "level": "county",
                    "kind": "department",
                },
            )
        },
        target="org",
    ),
    "gongkai_api_api_org_detail": Entry(_get(on("view")), lambda w, t: {"code": w.orgs[t].code}, "org"),
    "gongkai_api_api_org_update": Entry(
        {"PATCH": Probe(on("manage"), data=lambda w, t: {})}, lambda w, t: {"code": w.orgs[t].code}, "org"
    ),
    "gongkai_api_api_audit_list": Entry(
        {"GET": Probe(on("view"), data=lambda w, t: {"org": w.orgs[t].code})}, target="org"
    ),
    # public intake: anyone, no token needed (a 429 after five submissions per address is fine too)
    "gongkai_applications_api_public_submit": Entry(
        {
            "POST": Probe(
                public,
                ok=frozenset({"ok", "429"}),
                data=lambda w, t: {"applicant": _applicant(), "request": {"info_title": "某文件"}},
            )
        },
        lambda w, t: {"org_code": w.orgs[t].code},
        "org",
    ),
    # public status lookup with a wrong secret: refused the same way for everyone (403, never 401)
    "gongkai_applications_api_public_status": Entry(
        {
            "POST": Probe(
                public,
                ok=frozenset({"403"}),
                data=lambda w, t: {"tracking_code": w.applications["own"].tracking_code, "secret": "x"},
            )
        }
    ),
    "gongkai_applications_api_application_list": Entry(
        {"GET": Probe(login, data=lambda w, t: {"org": w.orgs[t].code})}, target="org"
    ),  # a filter within what the user sees
    "gongkai_applications_api_register": Entry(
        {
            "POST": Probe(
                on_app("edit"),
                data=lambda w, t: {
                    "org_code": w.orgs[t].code,
                    "channel": "in_person",
                    "applicant": _applicant(),
                    "request": {"info_title": "某文件"},
                },
            )
        },
        target="org",
    ),
    "gongkai_applications_api_due": Entry(_get(login)),
    "gongkai_applications_api_remedy_list": Entry(_get(login)),
    "gongkai_applications_api_remedy_create": Entry(
        {
            "POST": Probe(
                on_app("edit"),
                data=lambda w, t: {"org_code": w.orgs[t].code, "kind": "review", "filed_on": "2026-04-01"},
            )
        },
        target="org",
    ),
    "gongkai_applications_api_application_detail": Entry(
        _get(on_app("view")), lambda w, t: {"code": w.applications[t].tracking_code}, "org"
    ),
    "gongkai_applications_api_event_list": Entry(
        _get(on_app("view")), lambda w, t: {"code": w.applications[t].tracking_code}, "org"
    ),
    "gongkai_applications_api_event_create": Entry(
        {"POST": Probe(on_app("edit"), data=lambda w, t: {"kind": "withdrawn", "date": "2026-03-03"})},
        lambda w, t: {"code": w.applications[t].tracking_code},
        "org",
    ),
    # under 双人审核 (the default) the extension is approved in the system by a reviewer or the office admin
    "gongkai_applications_api_extension": Entry(
        {
            "POST": Probe(
                on_app("review", "manage"),
                multipart=True,
                data=lambda w, t: {"days": 10, "reason": "需要调查核实", "date": "2026-03-03"},
            )
        },
        lambda w, t: {"code": w.applications[t].tracking_code},
        "org",
    ),
    "gongkai_applications_api_reply": Entry(
        {"POST": Probe(on_app("edit"), data=lambda w, t: {"outcome": "1", "date": "2026-03-03"})},
        lambda w, t: {"code": w.applications[t].tracking_code},
        "org",
    ),
    # the evidence bundle over the API (issue 17): the page's rule; every refusal is a 404 (not disclosed)
    "gongkai_applications_evidence_api_bundle_start": Entry(
        _post(edit_and_applicant_data, hide=lambda p, t: False),
        lambda w, t: {"case_id": w.evidence[t].case.pk},
        "org",
    ),
    "gongkai_applications_evidence_api_bundle_job": Entry(
        _get(edit_and_applicant_data, hide=lambda p, t: False),
        lambda w, t: {"job_id": w.evidence_jobs[t].pk},
        "org",
    ),
    "gongkai_applications_evidence_api_bundle_list": Entry(
        _get(edit_and_applicant_data, hide=lambda p, t: False),
        lambda w, t: {"case_id": w.evidence[t].case.pk},
        "org",
    ),
    "gongkai_applications_evidence_api_bundle_download": Entry(
        _get(edit_and_applicant_data, hide=lambda p, t: False),
        lambda w, t: {"bundle_id": w.evidence[t].pk, "fmt": "zip"},
        "org",
    ),
    "gongkai_catalog_api_item_list": Entry(
        {"GET": Probe(on("view"), data=lambda w, t: {"org": w.orgs[t].code})}, target="org"
    ),
    "gongkai_catalog_api_item_create": Entry(
        {"POST": Probe(on("edit"), data=lambda w, t: {"org_code": w.orgs[t].code, "title": "矩阵测试信息"})},
        target="org",
    ),
    "gongkai_catalog_api_item_detail": Entry(_get(on("view")), lambda w, t: {"pk": w.drafts[t].pk}, "org"),
    "gongkai_catalog_api_item_update": Entry(
        {"PATCH": Probe(on("edit"), data=lambda w, t: {"keywords": "矩阵"})},
        lambda w, t: {"pk": w.drafts[t].pk},
        "org",
    ),
    "gongkai_catalog_api_item_import": Entry(
        {
            "POST": Probe(
                on("manage"),
                data=lambda w, t: {
                    "org_code": w.orgs[t].code,
                    "title": "矩阵测试导入信息",
                    "index_no": "MATRIX-2020-0001",
                    "published_at": "2020-05-01T08:00:00+08:00",
                },
            )
        },
        target="org",
    ),
    "gongkai_catalog_api_item_transition": Entry(
        {"POST": Probe(on("edit"), data=lambda w, t: {"step": "submit"})},
        lambda w, t: {"pk": w.drafts[t].pk},
        "org",
    ),
    "gongkai_catalog_api_item_scan": Entry(_get(on("view")), lambda w, t: {"pk": w.drafts[t].pk}, "org"),
    "gongkai_catalog_api_search": Entry({"GET": Probe(public, data=lambda w, t: {"q": "制度"})}),
    "gongkai_reports_api_document": Entry(
        {"GET": Probe(on("view"), data=lambda w, t: {"org": w.orgs[t].code, "year": 2022})}, target="org"
    ),
    "gongkai_reports_api_check": Entry({"POST": Probe(login, data=lambda w, t: {"document": {}})}),
    "gongkai_reports_api_versions": Entry(
        {"GET": Probe(on("view"), data=lambda w, t: {"org": w.orgs[t].code})}, target="org"
    ),
    "gongkai_reports_api_figure": Entry(
        {
            "POST": Probe(
                on("edit"),
                data=lambda w, t: {
                    "org": w.orgs[t].code,
                    "year": 2022,
                    "project": "第二十条第（五）项/行政许可",
                    "indicator": "处理决定数量",
                    "value": "3",
                    "source": "统计",
                },
            )
        },
        target="org",
    ),
    "gongkai_reports_api_report_transition": Entry(
        {"POST": Probe(on("edit"), data=lambda w, t: {"step": "submit"})},
        lambda w, t: {"pk": w.reports[t].pk},
        "org",
    ),
}

# Cases that fail today because of fixes in flight (flip to passing when they land; strict, so a fix
# that lands makes the xfail itself fail and reminds whoever lands it to delete the line here).
KNOWN: dict[tuple[str, str, str], str] = {
    # Cases that fail today for a known, tracked reason (strict xfail: fixing them fails the test until the
    # entry is removed). Empty: the one finding of this matrix (ledger export gave 系统管理员 applicants'
    # names) is fixed in applications.views.ledger_export.
}


# --- The world ------------------------------------------------------------------------------------


@dataclass
class World:
    orgs: dict[str, Any] = field(default_factory=dict)
    actors: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    devices: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    memberships: dict[str, Any] = field(default_factory=dict)
    user_tokens: dict[str, Any] = field(default_factory=dict)
    drafts: dict[str, Any] = field(default_factory=dict)
    published: dict[str, Any] = field(default_factory=dict)
    item_attachments: dict[str, Any] = field(default_factory=dict)
    applications: dict[str, Any] = field(default_factory=dict)
    letters: dict[str, Any] = field(default_factory=dict)
    app_attachments: dict[str, Any] = field(default_factory=dict)
    remedies: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)
    evidence_jobs: dict[str, Any] = field(default_factory=dict)  # a finished build of ``evidence[rel]``
    notices: dict[str, Any] = field(default_factory=dict)
    archives: dict[str, Any] = field(default_factory=dict)
    reports: dict[str, Any] = field(default_factory=dict)
    jobs: dict[str, Any] = field(default_factory=dict)  # principal → a failed job that principal started


def _build_world():  # untyped: factories return their models at run time
    w = World()
    city = OrganisationFactory(name="矩阵市人民政府", level=Level.CITY, kind=OrgKind.GOVERNMENT)
    own = OrganisationFactory(name="矩阵县人民政府", parent=city, level=Level.COUNTY, kind=OrgKind.GOVERNMENT)
    w.orgs = {
        "parent": city,
        "own": own,
        "child": OrganisationFactory(name="矩阵县财政局", parent=own, kind=OrgKind.DEPARTMENT),
        "sibling": OrganisationFactory(name="矩阵邻县人民政府", parent=city, kind=OrgKind.GOVERNMENT),
        "unrelated": OrganisationFactory(name="外省某市人民政府", level=Level.CITY, kind=OrgKind.GOVERNMENT),
        # outside the county's tree, handled by the county (a 政府信息公开工作机构 handling another body's)
        "handled": OrganisationFactory(name="矩阵市某管委会", parent=city, handling_office=own),
    }
    for role in ROLES:
        w.actors[role] = staff(role, own, username=f"matrix_{role}")
    w.actors["no_role"] = UserFactory(username="matrix_no_role")
    device = TOTPDevice.objects.create(user=w.actors["system_admin"], name="matrix", confirmed=True)
    w.devices["system_admin"] = device
    for name, user in w.actors.items():
        w.tokens[name] = api_token_create(actor=SYSTEM_TEST, user=user)

    # Target users of the user-management pages, with the roles USER_TARGETS says they hold.
    for key, held in USER_TARGETS.items():
        user = UserFactory(username=f"matrix_target_{key}")
        for role, rel in held:
            m = Membership.objects.create(user=user, org=w.orgs[rel], role=role)
            w.memberships.setdefault(key, m)
        w.users[key] = user
        api_token_create(actor=SYSTEM_TEST, user=user, name="matrix")
        w.user_tokens[key] = ApiToken.objects.get(user=user)

    for rel, org in w.orgs.items():
        draft = draft_item(org, title=f"矩阵测试草稿{rel}")
        w.drafts[rel] = draft
        w.item_attachments[rel] = catalog_attachments.attachment_add(
            actor=SYSTEM_TEST, item=draft, name="a.png", data=png_bytes()
        )
        w.published[rel] = published_item(org, title=f"矩阵测试已发布{rel}")
        application = ApplicationFactory(org=org, received_on=dt.date(2026, 3, 2))
        w.applications[rel] = application
        w.letters[rel] = letter_draft(actor=SYSTEM_TEST, application=application, kind="correction")
        attachment = ApplicationAttachment(
            application=application, name="a.png", content_type="image/png", extension=".png", size=10,
            sha256=f"{application.pk:064d}",
        )  # fmt: skip
        attachment.file.save("a.png", ContentFile(png_bytes()), save=True)
        w.app_attachments[rel] = attachment
        delivery = LetterDelivery(
            letter=w.letters[rel], method="post", tracking_number="EMS1", sent_on=dt.date(2026, 3, 3)
        )
        delivery.proof.save("p.png", ContentFile(png_bytes()), save=True)
        stamp = LetterStamp(letter=w.letters[rel])
        stamp.scan.save("s.png", ContentFile(png_bytes()), save=True)
        seal = OrganisationSeal(org=org, sha256="0" * 64, width=1, height=1)
        seal.image.save("seal.png", ContentFile(png_bytes()), save=True)
        w.remedies[rel] = RemedyCaseFactory(org=org)
        bundle = EvidenceBundle(
            case=RemedyCaseFactory(org=org, application=application),
            pdf_sha256="0" * 64,
            zip_sha256="0" * 64,
            pages=1,
        )
        bundle.pdf.save("e.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        bundle.zip.save("e.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
        w.evidence[rel] = bundle
        w.evidence_jobs[rel] = Job.objects.create(
            kind="evidence_bundle", status=JobStatus.SUCCEEDED, org=org, params={"case": bundle.case.pk},
            result={"case": bundle.case.pk, "bundle": bundle.pk, "pages": 1},
        )  # fmt: skip
        w.notices[rel] = enqueue(
            actor=SYSTEM_TEST, application=application, channel="email", recipient="matrix@example.org",
            topic="受理", subject="矩阵测试", body="矩阵测试",
        )  # fmt: skip
        closed = ApplicationFactory(org=org, replied=True, status="closed")
        w.archives[rel] = archive_file(actor=SYSTEM_TEST, application=closed)
        w.reports[rel] = ReportFactory(org=org, year=2022)
    for name, user in w.actors.items():
        w.jobs[name] = Job.objects.create(
            kind="org_import", actor=user, status=JobStatus.FAILED, error="测试", params={"filename": "a.csv"}
        )
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back at the end; tests nest savepoints."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


# --- Running one probe ------------------------------------------------------------------------------


def _client(w: World, principal: str) -> Client:
    client = Client(raise_request_exception=True)
    if principal in w.actors:
        client.force_login(w.actors[principal])
        if principal in w.devices:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = w.devices[principal].persistent_id
            session.save()
    return client


def _classify(response: Any, api_call: bool, refused: bool) -> str:
    """The outcome class of one response; ``refused``: a PermissionDenied was raised while handling it."""
    code = response.status_code
    if code in (301, 302) and not api_call:
        location = response["Location"]
        if "/admin/login/?next=" in location:
            return "login"
        if "/admin/account/2fa/" in location:
            return "2fa"
    if code >= 500:
        return f"5xx:{code}"
    if code in (401, 403, 404, 405, 422, 429):
        return str(code)
    # Views that turn a refusal into a message and a redirect: the service raised PermissionDenied.
    storage = getattr(response.wsgi_request, "_messages", None)
    if refused and any(m.level == messages.ERROR for m in storage or []):
        return "msg"
    return "ok"


class _RefusalSpy:
    """Notes every PermissionDenied constructed while a request is handled (views may catch it)."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> _RefusalSpy:
        spy = self

        def init(exc: Exception, *args: Any) -> None:
            spy.count += 1
            Exception.__init__(exc, *args)

        PermissionDenied.__init__ = init  # type: ignore[assignment,method-assign]
        return self

    def __exit__(self, *exc_info: Any) -> None:
        del PermissionDenied.__init__


def _expected(probe: Probe, principal: str, target: str, api_call: bool) -> frozenset[str]:
    if probe.rule(principal, target):
        return probe.ok
    if principal == "anonymous":
        return frozenset({"401"}) if api_call else frozenset({"login"})
    if probe.hide is not None and not probe.hide(principal, target):
        return DENIED_404
    return probe.deny if not api_call else DENIED_403


def _targets(entry: Entry) -> tuple[str, ...]:
    if entry.target == "user":
        return tuple(USER_TARGETS)
    if entry.target == "membership":
        return tuple(k for k, held in USER_TARGETS.items() if held)
    if entry.target == "org":
        return RELATIONS
    if entry.target == "job":
        return tuple(p for p in PRINCIPALS if p != "anonymous")
    return ("-",)


def _fill(route: str, kwargs: dict[str, Any]) -> str:
    for name, value in kwargs.items():
        route = route.replace(f"{{{name}}}", str(value))
    return route


def _probe(
    w: World, client: Client, method: str, url: str, probe: Probe, target: str, api_call: bool, principal: str
) -> str:
    headers: dict[str, str] = {}
    if api_call and principal != "anonymous":
        headers["Authorization"] = f"Bearer {w.tokens[principal]}"
    body = probe.data(w, target) if probe.data else None
    try:
        with _RefusalSpy() as spy, transaction.atomic():
            if method == "GET":
                response = client.get(url, body or {}, headers=headers)
            elif api_call and not probe.multipart:
                response = client.generic(
                    method, url, json.dumps(body or {}), content_type="application/json", headers=headers
                )
            else:
                response = client.post(url, body or {}, headers=headers)
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - a crash is a result here, reported with its type
        return f"exception:{type(exc).__name__}:{exc}"[:200]
    outcome = _classify(response, api_call, spy.count > 0)
    if outcome in ("422", "400") or outcome.startswith("5xx"):
        outcome += " " + response.content.decode(errors="replace")[:300]
    return outcome


def _run(w: World, table: dict[str, Entry], key: str, method: str, principal: str, api_call: bool) -> None:
    entry = table[key]
    probe = entry.probes[method]
    route = _api_routes()[(key, method)] if api_call else _url_routes()[key]
    client = _client(w, principal)
    problems = []
    for target in _targets(entry):
        kwargs = entry.kwargs(w, target) if entry.kwargs else {}
        url = _fill(route, kwargs)
        got = _probe(w, client, method, url, probe, target, api_call, principal)
        expected = _expected(probe, principal, target, api_call)
        if got.split(" ", 1)[0] not in expected:
            problems.append(
                f"{method} {url} as {principal}, target {target}: got {got}, expected {sorted(expected)}"
            )
    assert not problems, "\n".join(problems)


# --- URL conf and schema walkers ------------------------------------------------------------------


def _walk(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    found = []
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found += _walk(p, route, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern):
            found.append((f"{ns}{p.name}" if p.name else f"<unnamed {route}>", route))
    return found


_URL_ROUTES: dict[str, str] = {}
_API_ROUTES: dict[tuple[str, str], str] = {}


def _url_routes() -> dict[str, str]:
    """Staff URL name → path template with ``{kwarg}`` placeholders (everything under /admin/)."""
    if not _URL_ROUTES:
        import re

        for name, route in _walk(get_resolver()):
            if route.startswith("admin/"):
                _URL_ROUTES[name] = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return _URL_ROUTES


def _api_routes() -> dict[tuple[str, str], str]:
    if not _API_ROUTES:
        for path, operations in api.get_openapi_schema()["paths"].items():
            for method, operation in operations.items():
                _API_ROUTES[(operation["operationId"], method.upper())] = path
    return _API_ROUTES


def test_every_staff_url_has_an_entry():
    routes = _url_routes()
    missing = sorted(set(routes) - set(URLS))
    stale = sorted(set(URLS) - set(routes))
    assert not missing, f"staff URLs without a permission-matrix entry (add them to URLS): {missing}"
    assert not stale, f"URLS entries for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_healthz_is_public_and_says_nothing_sensitive(world, db, principal):
    """/healthz (outside /admin/) answers everyone alike, load balancers included: no login, no details."""
    response = _client(world, principal).get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert set(body["checks"]) == {"database", "cache", "storage", "jobs"}
    assert all(set(check) <= {"ok", "mode", "heartbeat_age"} for check in body["checks"].values())


def test_every_api_operation_has_an_entry():
    ops = _api_routes()
    declared = {(key, method) for key, entry in API.items() for method in entry.probes}
    missing = sorted(f"{m} {ops[(k, m)]} ({k})" for k, m in set(ops) - declared)
    stale = sorted(f"{m} {k}" for k, m in declared - set(ops))
    assert not missing, f"API operations without a permission-matrix entry (add them to API): {missing}"
    assert not stale, f"API entries for operations that no longer exist: {stale}"


def _cases(table: dict[str, Entry]) -> list[Any]:
    cases = []
    for key, entry in table.items():
        for method in entry.probes:
            for principal in PRINCIPALS:
                marks = []
                if reason := KNOWN.get((key, method, principal)):
                    marks.append(pytest.mark.xfail(strict=True, reason=reason))
                cases.append(
                    pytest.param(key, method, principal, marks=marks, id=f"{key}-{method}-{principal}")
                )
    return cases


@pytest.mark.parametrize(("key", "method", "principal"), _cases(URLS))
def test_staff_url(world, db, key, method, principal):
    _run(world, URLS, key, method, principal, api_call=False)


@pytest.mark.parametrize(("key", "method", "principal"), _cases(API))
def test_api_operation(world, db, key, method, principal):
    _run(world, API, key, method, principal, api_call=True)
