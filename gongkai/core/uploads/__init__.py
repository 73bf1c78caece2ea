"""Upload guards: one set of limits and checks for every uploaded file, and one way to serve a stored file.

Every upload path reads its file through here: public application attachments, catalogue attachments (and
their text extraction), spreadsheet imports (``core.tables.read_sheet`` and the organisation import) and the
report check. A file is accepted only when its bytes are one of the types the path allows, checked end to end
(a PDF has its header and ``%%EOF``, a DOCX is a zip holding ``word/document.xml`` with the right content
type, an image opens), its name's extension agrees with those bytes, and, for zip-based formats, the archive
is inspected from its directory *before* any parser inflates it (member count, unpacked size, compression
ratio), so a decompression bomb is refused in milliseconds. Spreadsheets are also refused past a row or
column limit, and slow extraction (PDF text) runs under a page limit and a time budget.

Downloads never trust the stored name or type: ``file_response`` sniffs the type from the bytes, gives the
file the matching extension and always sends it as an attachment with ``nosniff``.

The modules, each one seam: ``limits`` (the limits, ``UploadRefused``, size, time budget and PDF pages),
``kinds`` (types sniffed from the bytes, extensions), ``archives`` (zip directory and XLSX sheet guards),
``checks`` (``identify``/``verify``: a file checked end to end) and ``downloads`` (``file_response``).
Import the names from here: ``from gongkai.core import uploads`` / ``from gongkai.core.uploads import …``.
"""

from __future__ import annotations

from .archives import check_archive, check_columns, check_rows, check_xlsx, column_letters, is_worksheet
from .checks import allowed_text, identify, verify
from .downloads import content_disposition, download_name, file_response
from .kinds import (
    IMAGE_KINDS,
    KINDS,
    ODF_KINDS,
    OOXML_MAIN,
    Kind,
    extension_of,
    looks_like_text,
    sniff,
    sniff_file,
)
from .limits import (
    EXTRACT_SECONDS,
    MAX_ARCHIVE_MEMBERS,
    MAX_COMPRESSION_RATIO,
    MAX_EXTRACTED_CHARS,
    MAX_IMAGE_PIXELS,
    MAX_PARSED_MEMBER_BYTES,
    MAX_PDF_PAGES,
    MAX_SHEET_BYTES,
    MAX_SHEET_CELLS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    RATIO_FLOOR_BYTES,
    ZIP_MAGIC,
    TimeBudget,
    UploadRefused,
    check_pdf_pages,
    check_size,
    read_upload,
)

__all__ = [
    # limits
    "EXTRACT_SECONDS",
    "MAX_ARCHIVE_MEMBERS",
    "MAX_COMPRESSION_RATIO",
    "MAX_EXTRACTED_CHARS",
    "MAX_IMAGE_PIXELS",
    "MAX_PARSED_MEMBER_BYTES",
    "MAX_PDF_PAGES",
    "MAX_SHEET_BYTES",
    "MAX_SHEET_CELLS",
    "MAX_SHEET_COLUMNS",
    "MAX_SHEET_ROWS",
    "MAX_UNPACKED_BYTES",
    "MAX_UPLOAD_BYTES",
    "RATIO_FLOOR_BYTES",
    "ZIP_MAGIC",
    "TimeBudget",
    "UploadRefused",
    "check_pdf_pages",
    "check_size",
    "read_upload",
    # kinds
    "IMAGE_KINDS",
    "KINDS",
    "ODF_KINDS",
    "OOXML_MAIN",
    "Kind",
    "extension_of",
    "looks_like_text",
    "sniff",
    "sniff_file",
    # archives
    "check_archive",
    "check_columns",
    "check_rows",
    "check_xlsx",
    "column_letters",
    "is_worksheet",
    # checks
    "allowed_text",
    "identify",
    "verify",
    # downloads
    "content_disposition",
    "download_name",
    "file_response",
]
