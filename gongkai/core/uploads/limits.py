"""The limits every upload path shares (stated once; a path may only lower them), the refusal, and the size,
time and page checks."""

from __future__ import annotations

import logging
import time
from typing import Any

# Logged under the package's name (gongkai.core.uploads), as before the package was split.
logger = logging.getLogger(__package__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # the largest file any form accepts
MAX_SHEET_BYTES = 5 * 1024 * 1024  # a spreadsheet import (CSV or XLSX)
MAX_ARCHIVE_MEMBERS = 1000  # members of a DOCX/XLSX/ODF file (a normal one has a few dozen)
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all members of one DOCX/XLSX/ODF file, unpacked
MAX_PARSED_MEMBER_BYTES = 20 * 1024 * 1024  # one XML member parsed whole (document.xml, sharedStrings)
MAX_COMPRESSION_RATIO = 100  # unpacked / packed size of a member …
RATIO_FLOOR_BYTES = 1024 * 1024  # … once it unpacks to more than this
MAX_SHEET_ROWS = 50_000  # rows of one worksheet or CSV file (header included)
MAX_SHEET_COLUMNS = 100
MAX_SHEET_CELLS = 500_000  # cells of one worksheet (openpyxl reads ~100,000 cells a second)
MAX_PDF_PAGES = 400
MAX_IMAGE_PIXELS = 50_000_000  # width × height (a 50-megapixel photo)
MAX_EXTRACTED_CHARS = 500_000  # text kept from one file for the scans and the search index
EXTRACT_SECONDS = 30.0  # time budget for reading one file's text

ZIP_MAGIC = b"PK\x03\x04"


class UploadRefused(ValueError):
    """A file refused by a guard; the message is for the user (Chinese). ``reason`` is for callers."""

    def __init__(self, message: str, *, reason: str = "invalid") -> None:
        super().__init__(message)
        self.reason = reason  # type | extension | size | bomb | rows | columns | damaged | time | empty
        # Every refusal is built here, so it is logged here: the reason only (a message or a file name could
        # carry personal data).
        logger.info("upload refused: %s", reason, extra={"reason": reason})


def megabytes(n: int) -> str:
    """A size in MB for a message: whole MB from 1 MB up, one decimal below."""
    return f"{n / 1048576:.0f}" if n >= 1048576 else f"{n / 1048576:.1f}"


# --- Size ------------------------------------------------------------------------------------------


def check_size(size: int, limit: int = MAX_UPLOAD_BYTES) -> None:
    if size > limit:
        raise UploadRefused(f"文件过大：{megabytes(size)} MB，上限 {megabytes(limit)} MB。", reason="size")


def read_upload(upload: Any, limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of an uploaded file, never reading more than ``limit`` + 1 bytes; refused when larger."""
    if getattr(upload, "size", None) is not None:
        check_size(int(upload.size), limit)
    data: bytes = upload.read(limit + 1)
    check_size(len(data), limit)
    return data


# --- Slow extraction --------------------------------------------------------------------------------


class TimeBudget:
    """A deadline for reading one file; ``check()`` between pages/rows refuses the file once it has passed."""

    def __init__(self, seconds: float = EXTRACT_SECONDS) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise UploadRefused(
                f"文件内容过于复杂，{self.seconds:.0f} 秒内未能读完，已停止。请拆分或另存为较简单的文件后再上传。",
                reason="time",
            )


def check_pdf_pages(pages: int, max_pages: int = MAX_PDF_PAGES) -> None:
    if pages > max_pages:
        raise UploadRefused(
            f"PDF 页数过多（{pages} 页，上限 {max_pages} 页），请拆分后再上传。", reason="bomb"
        )
