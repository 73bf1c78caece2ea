"""Retention of applicants' personal data (《个人信息保护法》第十九条: kept no longer than necessary).

Each organisation sets how many years after an application is closed its applicant's personal data is kept
(``Organisation.personal_data_retention_years``; empty: the platform default ``GONGKAI_PERSONAL_DATA_RETENTION_YEARS``;
neither: kept). :func:`purge_personal_data` — run nightly by celery beat (`gongkai purge_personal_data`) —
removes, for every application closed before its cut-off day and not yet purged, the applicant's personal data
on the application row (name replaced by 「（已删除）」, 联系人, ID and phone numbers, the keyed identity hash,
e-mail, address, postcode) and outside it: materials, the personal values in the letters, delivery proofs and
tracking numbers, stamped scans unless the file is held as an official record, and the notifications'
recipients and texts (retention_scrub.py says what and why).

It keeps what the statistics and the record of the agency's handling need: organisation, dates, channel,
applicant type, the information sought, outcome, events, fees, letters (redacted), remedy cases. An application
with a pending 行政复议 or 行政诉讼 case is skipped until the case is closed. Each purge is audited (the audit row
names the fields and counts what went, never a value, core.services.PERSONAL_FIELDS), so the audit chain stays
intact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core.actors import Actor
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, require

from . import retention_scrub
from .models import Application
from .retention_scrub import PURGED_FIELDS, PURGED_NAME  # noqa: F401 - PURGED_NAME: part of this module's API
from .states import OPEN_STATUSES
from .vocab import RemedyResult


@dataclass
class PurgeResult:
    """What a run did (or, in a dry run, would do): application ids per organisation code, what went."""

    dry_run: bool
    today: dt.date
    by_org: dict[str, list[int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # retention_scrub.Plan.counts(), summed

    @property
    def attachments(self) -> int:
        return self.counts.get("attachments_removed", 0)

    @property
    def applications(self) -> int:
        return sum(len(ids) for ids in self.by_org.values())


def retention_years(org: Organisation) -> int | None:
    """The years an organisation keeps applicants' personal data after closing; None: no automatic purge."""
    if org.personal_data_retention_years:
        return org.personal_data_retention_years
    default = getattr(settings, "GONGKAI_PERSONAL_DATA_RETENTION_YEARS", None)
    return int(default) if default else None


def cutoff(today: dt.date, years: int) -> dt.date:
    """Applications closed before this day are due (the same day ``years`` earlier; 29 Feb → 28 Feb)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def due_applications(org: Organisation, today: dt.date) -> list[Application]:
    years = retention_years(org)
    if years is None:
        return []
    pending = Q(remedy_cases__result=RemedyResult.PENDING)
    return list(
        Application.objects.filter(org=org, closed_on__lt=cutoff(today, years), personal_data_purged_on=None)
        .exclude(status__in=OPEN_STATUSES)
        .exclude(pending)
        .order_by("id")
    )


def _purge_one(p: retention_scrub.Plan, *, actor: Actor, today: dt.date) -> None:
    retention_scrub.apply(p, today=today)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=p.application,
        org=p.application.org,
        changes={"personal_data_purged": sorted(PURGED_FIELDS), **p.counts()},
    )


def purge_personal_data(*, actor: Actor, today: dt.date | None = None, dry_run: bool = False) -> PurgeResult:
    """Remove the personal data due under each organisation's retention setting (see the module docstring)."""
    today = today or timezone.localdate()
    result = PurgeResult(dry_run=dry_run, today=today)
    for org in Organisation.objects.order_by("path"):
        due = due_applications(org, today)
        if not due:
            continue
        require(actor, Action.MANAGE, org)
        result.by_org[org.code] = [app.pk for app in due]
        with transaction.atomic():
            for app in due:
                p = retention_scrub.plan(app, today)
                for key, count in p.counts().items():
                    result.counts[key] = result.counts.get(key, 0) + count
                if not dry_run:
                    _purge_one(p, actor=actor, today=today)
    return result
