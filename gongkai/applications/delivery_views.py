"""Pages for proof of delivery (送达), stamped letters and the 电子印章; the applicant's letter download.

Staff files (proofs, stamped scans) are served only to staff who see the applicant's data, the seal image only
to those who manage the organisation; every download is an audit row. The applicant downloads an issued letter
addressed to them (never a draft, never a letter to a consulted party) after proving the application on the
status page (申请编号＋查询码), which grants this browser session that application only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.actors import SYSTEM_PUBLIC
from gongkai.core.forms import refusal_text
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_read
from gongkai.core.uploads import content_disposition, file_response
from gongkai.core.views import get_permitted_or_404
from gongkai.orgs.permissions import Action, can, orgs_where

from . import letters as letter_services
from .delivery_forms import DeliveryForm, SealForm, StampedScanForm
from .issued_pdf import APPLICANT_DOWNLOAD, handed_out_letters, letter_pdf_bytes
from .models import Application, Letter, LetterDelivery, LetterStamp, OrganisationSeal
from .permissions import can_handle, can_see_applicant
from .services import delivery as delivery_services
from .services import stamps
from .vocab import APPLICANT_LETTER_KINDS

SESSION_KEY = "ysqgk_status_access"  # ids of the applications this session proved with 申请编号＋查询码
SESSION_MAX = 5


class LetterRow(NamedTuple):
    letter: Letter
    delivery: LetterDelivery | None
    stamp: LetterStamp | None
    form: DeliveryForm | None  # for staff who handle the application, on an issued letter
    stamp_form: StampedScanForm | None
    seal_refused: str | None = None  # why the 电子印章 can no longer be placed (the letter was handed out)


def letter_rows(user: Any, application: Application) -> list[LetterRow]:
    """The application's letters with their delivery and stamp (the detail page's 文书 section)."""
    handle = can_handle(user, application)
    letters = list(application.letters.select_related("delivery", "stamp"))
    handed = handed_out_letters(application, [lt.pk for lt in letters if lt.is_issued]) if handle else {}
    rows = []
    for letter in letters:
        delivery = getattr(
            letter, "delivery", None
        )  # the reverse one-to-one raises an AttributeError subclass
        stamp = getattr(letter, "stamp", None)
        form, stamp_form = None, None
        if handle and letter.is_issued:
            initial = (
                {"method": delivery.method, "tracking_number": delivery.tracking_number,
                 "sent_on": delivery.sent_on, "received_on": delivery.received_on, "note": delivery.note}
                if delivery else {}
            )  # fmt: skip
            form = DeliveryForm(initial=initial, prefix=f"delivery-{letter.pk}")
            stamp_form = StampedScanForm(prefix=f"stamp-{letter.pk}")
        rows.append(
            LetterRow(letter, delivery, stamp, form, stamp_form, stamps.seal_refusal(handed.get(letter.pk)))
        )
    return rows


def letter_or_404(request: HttpRequest, pk: int) -> Letter:
    """A letter of an application whose applicant data the user sees (404 otherwise)."""
    return get_permitted_or_404(
        Letter.objects.select_related("application__org"),
        lambda letter: can_see_applicant(request.user, letter.application),
        "文书不存在或您无权查看。",
        pk=pk,
    )


def _back(letter: Letter) -> HttpResponse:
    return redirect(f"/admin/applications/{letter.application_id}/#letter-{letter.pk}")


def _refused(request: HttpRequest, what: str, exc: ValidationError | PermissionDenied) -> None:
    messages.error(request, f"{what}未能保存：{refusal_text(exc, '不能执行该操作。')}")


def _letter_step(
    request: HttpRequest, letter: Letter, what: str, done: str, step: Callable[[], object]
) -> HttpResponse:
    """Run one staff write on a letter: a refusal is an error message, success ``done``; back to the letter."""
    try:
        step()
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, what, exc)
    else:
        messages.success(request, done)
    return _back(letter)


@login_required
@require_POST
def letter_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk)
    form = DeliveryForm(request.POST, request.FILES, prefix=f"delivery-{letter.pk}")
    if not form.is_valid():
        errors = "；".join(f"{form.fields[f].label if f in form.fields else ''}：{'、'.join(str(m) for m in e)}"
                           for f, e in form.errors.items())  # fmt: skip
        messages.error(request, f"送达记录未能保存：{errors}")
        return _back(letter)
    d = form.cleaned_data
    return _letter_step(
        request, letter, "送达记录", f"已记录「{letter.title}」的送达情况。",
        lambda: delivery_services.letter_delivery_record(
            actor=request.user, letter=letter, method=d["method"], sent_on=d["sent_on"],
            received_on=d.get("received_on"), tracking_number=d.get("tracking_number") or "",
            note=d.get("note") or "", proof=d.get("proof"),
        ),
    )  # fmt: skip


@login_required
def delivery_proof(request: HttpRequest, pk: int) -> FileResponse:
    letter = letter_or_404(request, pk)
    delivery = LetterDelivery.objects.filter(letter=letter).first()
    if delivery is None or not delivery.proof:
        raise Http404("没有送达凭证。")
    audit_read(request.user, delivery, "送达凭证", action=AuditAction.DOWNLOAD, org=letter.application.org)
    return file_response(delivery.proof.open("rb"), f"{letter.application.tracking_code}-送达凭证")


@login_required
@require_POST
def letter_stamped(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk)
    form = StampedScanForm(request.POST, request.FILES, prefix=f"stamp-{letter.pk}")
    if not form.is_valid():
        messages.error(request, "盖章扫描件未能保存：请选择文件。")
        return _back(letter)
    scan = form.cleaned_data["scan"]
    return _letter_step(
        request,
        letter,
        "盖章扫描件",
        f"已上传「{letter.title}」的盖章扫描件。",
        lambda: stamps.letter_stamped_upload(actor=request.user, letter=letter, upload=scan),
    )


@login_required
def stamped_scan(request: HttpRequest, pk: int) -> FileResponse:
    letter = letter_or_404(request, pk)
    stamp = LetterStamp.objects.filter(letter=letter).first()
    if stamp is None or not stamp.scan:
        raise Http404("没有盖章扫描件。")
    audit_read(request.user, letter, "盖章扫描件", action=AuditAction.DOWNLOAD)
    return file_response(stamp.scan.open("rb"), f"{letter_services.letter_file_stem(letter)}（盖章）")


@login_required
@require_POST
def letter_seal(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(request, pk)
    return _letter_step(
        request,
        letter,
        "电子印章",
        f"已在「{letter.title}」上加盖电子印章。",
        lambda: stamps.letter_seal_apply(actor=request.user, letter=letter),
    )


@login_required
def seals(request: HttpRequest) -> HttpResponse:
    """The 电子印章 of the organisations the user manages (公开办管理员)."""
    orgs = list(orgs_where(request.user, Action.MANAGE).order_by("path"))
    if not orgs:
        raise PermissionDenied("您无权管理电子印章（须为公开办管理员）。")
    form = SealForm(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        org = next(o for o in orgs if o.code == form.cleaned_data["org"])  # the choices are the managed orgs
        try:
            stamps.seal_upload(actor=request.user, org=org, upload=form.cleaned_data["image"])
        except ValidationError as exc:
            form.add_error("image", exc.messages)
        else:
            messages.success(request, f"已设置「{org.name}」的电子印章。")
            return redirect("applications:seals")
    by_org = {s.org_id: s for s in OrganisationSeal.objects.filter(org__in=orgs)}
    rows = [(o, by_org.get(o.pk)) for o in orgs]
    return render(request, "applications/seals.html", {"rows": rows, "form": form})


@login_required
def seal_image(request: HttpRequest, code: str) -> FileResponse:
    seal = get_permitted_or_404(
        OrganisationSeal.objects.select_related("org"),
        lambda s: can(request.user, Action.MANAGE, s.org),
        "电子印章不存在或您无权查看。",
        org__code=code,
    )
    audit_read(request.user, seal, "电子印章图片", action=AuditAction.DOWNLOAD, org=seal.org)
    return file_response(seal.image.open("rb"), f"{seal.org.name}-电子印章")


# --- the applicant --------------------------------------------------------------------------------


def grant_status_access(request: HttpRequest, application: Application) -> None:
    """After a correct 申请编号＋查询码: this session may download that application's issued letters."""
    ids = [i for i in request.session.get(SESSION_KEY, []) if i != application.pk]
    request.session[SESSION_KEY] = [*ids, application.pk][-SESSION_MAX:]


def public_letters(application: Application) -> list[tuple[Letter, bool]]:
    """The issued letters addressed to the applicant, each with whether a stamped copy exists."""
    letters = application.letters.filter(issued_at__isnull=False, kind__in=APPLICANT_LETTER_KINDS)
    out = []
    for letter in letters.select_related("stamp"):
        stamp = getattr(letter, "stamp", None)
        out.append((letter, bool(stamp and (stamp.scan or stamp.sealed_at))))
    return out


def public_letter(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The applicant's download of an issued letter: the stamped scan if there is one, else the PDF (with the
    电子印章 when it was placed). Refused (404) without the status page's grant, for a draft, and for a letter
    addressed to someone else."""
    letter = (
        Letter.objects.select_related("application__org")
        .filter(pk=pk, application_id__in=request.session.get(SESSION_KEY, []))
        .first()
    )
    if letter is None or not letter.is_issued or letter.kind not in APPLICANT_LETTER_KINDS:
        raise Http404("文书不存在，或请先在“查询办理进度”页面输入申请编号和查询码。")
    name = letter_services.letter_file_stem(letter)
    stamp = LetterStamp.objects.filter(letter=letter).first()
    audit_read(SYSTEM_PUBLIC, letter, APPLICANT_DOWNLOAD + ("（盖章扫描件）" if stamp and stamp.scan else "（PDF）"),
               action=AuditAction.DOWNLOAD)  # fmt: skip
    if stamp is not None and stamp.scan and default_storage.exists(stamp.scan.name):
        return file_response(stamp.scan.open("rb"), name)
    response = HttpResponse(letter_pdf_bytes(letter), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"{name}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
