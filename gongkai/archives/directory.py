"""归档文件目录 of one organisation's year (DA/T 22-2015 5.5 编目): one row per 件, in 件号 order, with the
columns of the standard — 序号、档号、文号、责任者、题名、日期、密级、页数、备注 — plus 件号 and 保管期限
(the records of one year may carry different periods; 5.5 puts 保管期限 on the directory's cover, here it is
per row). A filed application is one 件 whose 来文 (the application) and 复文 (the reply) go together, so the
row describes the 复文: its 文号, 题名 and 日期 (5.5: 来文与复文作为一件时，只对复文进行编目), the 责任者 is
the organisation applied to. 日期 is written as 8 digits (20260312). 密级: the files of 依申请公开 are not
classified, the column stays empty.

XLSX through the safe writer (core.exports), PDF through core.documents; the caller audits the export."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.applications.models import Letter
from gongkai.applications.vocab import LetterKind
from gongkai.core.documents import html_to_pdf
from gongkai.core.exports import write_xlsx
from gongkai.orgs.models import Organisation

from .models import ArchiveRecord, ArchiveTransfer

HEADER = ("序号", "档号", "件号", "文号", "责任者", "题名", "日期", "密级", "页数", "保管期限", "备注")


ISSUED = "issued_letters"  # the prefetched issued letters of each record's application, latest first


def _reply(record: ArchiveRecord) -> Letter | None:
    """The latest issued 答复 of the record's application, else its latest issued letter (read from ``rows``'s
    prefetch: no query per record)."""
    letters: list[Letter] = getattr(record.application, ISSUED)
    return next((x for x in letters if x.kind == LetterKind.REPLY), letters[0] if letters else None)


def _note(record: ArchiveRecord, transfer: ArchiveTransfer | None) -> str:
    notes = [f"申请编号{record.application.tracking_code}"]
    if record.destroyed_on:
        notes.append(f"{record.destroyed_on:%Y%m%d}已销毁")
    elif transfer is not None:
        notes.append(f"{transfer.transferred_on:%Y%m%d}已移交")
    return "；".join(notes)


def rows(org: Organisation, year: int) -> list[list[Any]]:
    transfer = ArchiveTransfer.objects.filter(org=org, year=year).first()
    records = (
        ArchiveRecord.objects.filter(org=org, year=year)
        .select_related("application", "org")
        .prefetch_related(
            Prefetch(
                "application__letters",
                Letter.objects.filter(issued_at__isnull=False).order_by("-issued_at", "-id"),
                to_attr=ISSUED,
            )
        )
        .order_by("serial")
    )
    out: list[list[Any]] = []
    for n, r in enumerate(records, 1):
        reply = _reply(r)
        a = r.application
        title = reply.title if reply is not None else f"[{a.info_title}政府信息公开申请的办理]"
        day = reply.dated if reply is not None else a.closed_on
        out.append([
            n, r.number, r.serial, reply.number if reply is not None else "", r.org.name, title,
            f"{day:%Y%m%d}" if day else "", "", r.pages if r.pages is not None else "",
            r.retention_label if r.retention_years == 0 else f"定期{r.retention_label}", _note(r, transfer),
        ])  # fmt: skip
    return out


def directory_xlsx(org: Organisation, year: int) -> bytes:
    return write_xlsx([(f"{year}年度归档文件目录", HEADER, rows(org, year))])


def directory_pdf(org: Organisation, year: int) -> bytes:
    html = render_to_string("archives/directory_pdf.html", {
        "org": org, "year": year, "header": HEADER, "rows": rows(org, year), "now": timezone.localtime(),
    })  # fmt: skip
    return html_to_pdf(html, extra_css="@page { size: A4 landscape; margin: 20mm 15mm; }")
