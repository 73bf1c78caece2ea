"""Factories for catalogue items (built through the services so 索引号, events and audit rows are real)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

import factory
from django.utils import timezone

from gongkai.catalog import services, workflow
from gongkai.catalog.models import Item, TypoEntry
from gongkai.catalog.vocab import DocKind, Severity, StatutoryItem, TypoKind
from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Organisation
from gongkai.orgs.tests.factories import OrganisationFactory


def draft_item(org: Organisation | None = None, *, actor: Any = SYSTEM_TEST, **data: Any) -> Item:
    """A draft through item_create (system actor unless given)."""
    org = org or cast(Organisation, OrganisationFactory())
    data.setdefault("title", "关于印发青山县政府信息公开工作制度的通知")
    data.setdefault("summary", "规定本机关政府信息公开工作的职责分工和办理流程。")
    data.setdefault("body", "<p>各乡镇人民政府，县政府各部门：现将制度印发给你们，请认真贯彻执行。</p>")
    data.setdefault("statutory_item", StatutoryItem.A20_01)
    data.setdefault("doc_kind", DocKind.NORMATIVE)
    data.setdefault("written_on", timezone.localdate())
    return services.item_create(actor=actor, org=org, **data)


def published_item(
    org: Organisation | None = None, *, published_at: dt.datetime | None = None, **data: Any
) -> Item:
    """A draft taken through 保密审查 and 审核 to 发布 by the system actor."""
    item = draft_item(org, **data)
    for step in ("submit", "secrecy_pass"):
        item = workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step)
    return workflow.item_transition(actor=SYSTEM_TEST, item=item, step="publish", published_at=published_at)


class TypoEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TypoEntry
        django_get_or_create = ("wrong",)

    wrong = factory.Sequence(lambda n: f"错词{n}")
    correct = "正词"
    kind = TypoKind.TYPO
    severity = Severity.WARN


def pdf_bytes() -> bytes:
    return pdf_with_text("Gongkai")


def png_bytes() -> bytes:
    """A real 1×1 PNG (uploads are checked end to end: the image must open)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(buf, format="PNG")
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(buf)
    return buf.getvalue()


def xlsx_with(*rows: tuple[object, ...]) -> bytes:
    import openpyxl

    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(list(row))
    wb.save(buf)
    return buf.getvalue()


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF carrying ``text`` (ASCII digits, Helvetica) — enough for the scan's text extraction."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
