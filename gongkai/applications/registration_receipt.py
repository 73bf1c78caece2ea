"""The 登记回执 of an application received in person (当面) or by post (信函): what the citizen's online 回执
says — the 申请编号 (受理编号), the dates, the day it counts as received and the rule of 《条例》第三十一条 that
decided it, the 答复期限 and how it was counted, whom to ask — as an A4 page (HTML to print, PDF to mail or
keep). Staff print it for handing over or mailing; the evidence bundle carries the same page.

Rendered from the record: a 答复期限 that later moved (补正, 延期) shows as it stands, with its steps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.core.documents import html_to_pdf

from .models import Application
from .public_view import public_status_of
from .receipt import RECEIPT_RULES, Channel

# The page's A4 layout: linked by the HTML (the CSP allows no inline style), given to WeasyPrint for the PDF.
CSS_PATH = Path(__file__).parent / "static" / "applications" / "registration_receipt.css"

# The channels whose applicant gets no online 回执: staff print this one for them.
PAPER_CHANNELS = frozenset({Channel.IN_PERSON, Channel.POST, Channel.ORDINARY_MAIL, Channel.FAX})


def context(application: Application) -> dict[str, Any]:
    a = application
    view = public_status_of(a)
    dates = [("提交日期", a.submitted_on), ("签收日期", a.signed_for_on), ("确认日期", a.confirmed_on)]
    return {
        "a": a, "view": view, "rule": RECEIPT_RULES.get(a.channel, ""),
        "dates": [(label, day) for label, day in dates if day],
        "due": a.reply_due if a.is_open else None, "now": timezone.localtime(),
    }  # fmt: skip


def receipt_html(application: Application, *, pdf: bool = False) -> str:
    return render_to_string("applications/registration_receipt.html", context(application) | {"pdf": pdf})


def receipt_pdf(application: Application) -> bytes:
    return html_to_pdf(receipt_html(application, pdf=True), extra_css=CSS_PATH.read_text())
