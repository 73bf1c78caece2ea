"""Retention of applicants' personal data (《个人信息保护法》第十九条: kept no longer than necessary).

Each organisation sets how many years after an application is closed its applicant's personal data is kept
(``Organisation.personal_data_retention_years``; empty: the platform default ``GONGKAI_PERSONAL_DATA_RETENTION_YEARS``;
neither: kept). :func:`purge_personal_data` — a plain callable, run by `gongkai purge_personal_data` or a
scheduler — removes, for every application closed before its cut-off day and not yet purged:

- the applicant's name (replaced by 「（已删除）」), 联系人, ID and phone numbers (ciphertext and last digits), the
  keyed identity hash, e-mail, address and postcode;
- the applicant's own materials (attachments of purpose 申请材料: rows and stored files);
- the applicant's name wherever the letters repeat it (主送, title, body);
- the evidence bundles (证据材料) built for its remedy cases (rows and stored files: they can be rebuilt).

It keeps what the statistics and the record of the agency's handling need: organisation, dates, channel,
applicant type, the information sought, outcome, events, fees, letters (redacted), remedy cases. An application
with a pending 行政复议 or 行政诉讼 case is skipped until the case is closed. Each purge is audited (the audit row
names the fields, never their values, core.services.PERSONAL_FIELDS), so the audit chain stays intact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core.actors import Actor
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, require

from .models import Application, AttachmentPurpose, EvidenceBundle
from .states import OPEN_STATUSES
from .vocab import RemedyResult

PURGED_NAME = "（已删除）"
PURGED_FIELDS = (
    "applicant_name", "contact_person", "id_number_enc", "id_number_tail", "phone_enc", "phone_tail",
    "applicant_key", "email", "address", "postcode",
)  # fmt: skip


@dataclass
class PurgeResult:
    """What a run did (or, in a dry run, would do): application ids per organisation code, files removed."""

    dry_run: bool
    today: dt.date
    by_org: dict[str, list[int]] = field(default_factory=dict)
    attachments: int = 0

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


def _purge_one(app: Application, *, actor: Actor, today: dt.date) -> int:
    name = app.applicant_name
    for attr in PURGED_FIELDS:
        setattr(app, attr, "")
    app.applicant_name = PURGED_NAME
    app.personal_data_purged_on = today
    app.save(update_fields=[*PURGED_FIELDS, "personal_data_purged_on", "updated_at"])
    materials = list(app.attachments.filter(purpose=AttachmentPurpose.APPLICATION))
    for attachment in materials:
        storage, stored = attachment.file.storage, attachment.file.name
        attachment.delete()
        # The stored file goes once the rows are gone for good (a rolled-back run keeps both).
        transaction.on_commit(partial(storage.delete, stored))
    bundles = list(EvidenceBundle.objects.filter(case__application=app))
    for bundle in bundles:
        stored = [(f.storage, f.name) for f in (bundle.pdf, bundle.zip) if f]
        bundle.delete()
        for storage, path in stored:
            transaction.on_commit(partial(storage.delete, path))
    if name and name != PURGED_NAME:
        for letter in app.letters.all():
            letter.recipient = letter.recipient.replace(name, PURGED_NAME)
            letter.title = letter.title.replace(name, PURGED_NAME)
            letter.body = letter.body.replace(name, PURGED_NAME)
            letter.save(update_fields=["recipient", "title", "body"])
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=app,
        org=app.org,
        changes={
            "personal_data_purged": sorted(PURGED_FIELDS),
            "attachments_removed": len(materials),
            "evidence_bundles_removed": len(bundles),
        },
    )
    return len(materials)


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
        if dry_run:
            result.attachments += sum(
                app.attachments.filter(purpose=AttachmentPurpose.APPLICATION).count() for app in due
            )
            continue
        with transaction.atomic():
            for app in due:
                result.attachments += _purge_one(app, actor=actor, today=today)
    return result
