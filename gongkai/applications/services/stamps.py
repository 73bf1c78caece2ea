"""Stamped letters: the scan of the stamped paper letter, the organisation's 电子印章, and placing it on a letter.

The seal is an organisation's PNG image, uploaded by its 公开办管理员 (MANAGE), stored in the default storage
(never served directly) and placed only on an issued letter — never on a draft. Every upload and every use is
an audit row; the letter keeps the file of the seal it was sealed with, so replacing the seal later does not
change a letter already issued."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.actors import Actor, acting_user
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Action, require

from ..attachments import checked_file
from ..issued_pdf import handed_out, store_issued_pdf
from ..models import Letter, LetterStamp, OrganisationSeal
from .machine import require as require_handler

SCAN_KINDS = frozenset({"pdf", "jpg", "png"})
SCAN_MAX_BYTES = 20 * 1024 * 1024
SEAL_MAX_BYTES = 2 * 1024 * 1024
SEAL_MIN_PIXELS, SEAL_MAX_PIXELS = 100, 2000
SEAL_DENIED = "您无权管理「{org}」的电子印章（须为公开办管理员）。"
DRAFT_REFUSED = "文书尚未出具（草稿），不能盖章。"
# Once the letter may have reached someone, what they received is evidence (复议、诉讼): never replaced by a sealed
# copy (issued_pdf.handed_out says how it was handed out).
HANDED_OUT_REFUSED = "该文书{how}，不能再加盖印章；如需更正请另行出具。"


def seal_refusal(how: str | None) -> str | None:
    """Why the 电子印章 can no longer be placed on a letter handed out ``how`` (None: it still can)."""
    return HANDED_OUT_REFUSED.format(how=how) if how else None


def _locked_issued(letter: Letter, actor: Actor) -> Letter:
    letter = Letter.objects.select_for_update().select_related("application__org").get(pk=letter.pk)
    require_handler(actor, letter.application.org)
    if not letter.is_issued:
        raise ValidationError(DRAFT_REFUSED)
    return letter


@transaction.atomic
def letter_stamped_upload(*, actor: Actor, letter: Letter, upload: Any) -> LetterStamp:
    """Keep the scan (PDF, JPG or PNG) of the issued letter as signed and stamped on paper; it replaces an
    earlier scan and is what the applicant downloads."""
    letter = _locked_issued(letter, actor)
    sniffed = checked_file(upload, what="盖章扫描件", allowed=SCAN_KINDS, limit=SCAN_MAX_BYTES)
    stamp, _ = LetterStamp.objects.get_or_create(letter=letter)
    before = stamp.scan_sha256 or None
    stamp.scan_name, stamp.scan_extension, stamp.scan_sha256 = sniffed.name, sniffed.extension, sniffed.sha256
    stamp.scan.save(sniffed.name, sniffed.as_django_file(), save=False)
    stamp.scan_uploaded_at, stamp.updated_by = timezone.now(), acting_user(actor)
    stamp.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=stamp, org=letter.application.org,
                 changes={"scan_sha256": [before, stamp.scan_sha256], "letter": [None, letter.pk]})  # fmt: skip
    return stamp


def _image_size(content: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        return image.size


@transaction.atomic
def seal_upload(*, actor: Actor, org: Organisation, upload: Any) -> OrganisationSeal:
    """Set (or replace) ``org``'s 电子印章: a PNG image (transparent background), 100–2000 pixels a side."""
    require(actor, Action.MANAGE, org, SEAL_DENIED.format(org=org.name))
    sniffed = checked_file(upload, what="印章图片", allowed=frozenset({"png"}), limit=SEAL_MAX_BYTES)
    width, height = _image_size(sniffed.content)
    if not (min(width, height) >= SEAL_MIN_PIXELS and max(width, height) <= SEAL_MAX_PIXELS):
        raise ValidationError(
            f"印章图片的尺寸应在 {SEAL_MIN_PIXELS}–{SEAL_MAX_PIXELS} 像素之间（收到的是 {width}×{height}）。"
        )
    seal = OrganisationSeal.objects.filter(org=org).first() or OrganisationSeal(org=org)
    before = seal.sha256 or None
    seal.sha256, seal.width, seal.height = sniffed.sha256, width, height
    seal.image.save(sniffed.name, sniffed.as_django_file(), save=False)
    seal.uploaded_by = acting_user(actor)
    seal.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=seal, org=org,
                 changes={"sha256": [before, seal.sha256], "size": [None, f"{width}×{height}"]})  # fmt: skip
    return seal


@transaction.atomic
def letter_seal_apply(*, actor: Actor, letter: Letter) -> LetterStamp:
    """Place the organisation's 电子印章 on the issued letter's PDF (once; the use is audited), while the letter
    has not been handed out (delivered, downloaded by the applicant, filed)."""
    letter = _locked_issued(letter, actor)
    org = letter.application.org
    if refused := seal_refusal(handed_out(letter)):
        raise ValidationError(refused)
    seal = OrganisationSeal.objects.filter(org=org).first()
    if seal is None:
        raise ValidationError(f"「{org.name}」尚未上传电子印章，请公开办管理员先在“电子印章”页面上传。")
    stamp, _ = LetterStamp.objects.get_or_create(letter=letter)
    if stamp.sealed_at is not None:
        raise ValidationError("该文书已加盖电子印章。")
    stamp.sealed_at, stamp.seal_sha256, stamp.seal_file = timezone.now(), seal.sha256, seal.image.name
    stamp.updated_by = acting_user(actor)
    stamp.save()
    before = letter.issued_pdf_sha256 or None
    _, sha = store_issued_pdf(letter)  # the sealed PDF is now the letter as issued (issued_pdf.py)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=stamp, org=org,
                 changes={"sealed": [False, True], "seal_sha256": [None, seal.sha256],
                          "letter": [None, letter.pk], "issued_pdf_sha256": [before, sha]})  # fmt: skip
    return stamp


def seal_image_of(letter: Letter) -> bytes | None:
    """The bytes of the seal placed on ``letter`` (only an issued, sealed letter has one)."""
    from django.core.files.storage import default_storage

    stamp = LetterStamp.objects.filter(letter=letter).first()
    if not letter.is_issued or stamp is None or stamp.sealed_at is None or not stamp.seal_file:
        return None
    with default_storage.open(stamp.seal_file, "rb") as fh:
        data: bytes = fh.read()
    return data
