"""Readers, Word 97 (.doc): the file → flat text through Debian's ``antiword``, tables kept as ``cell |`` rows.

antiword is run without a shell, on a temporary copy of the bytes, with a time limit; ``-w 0`` writes each
paragraph on one line (no wrapping inside a sentence), ``-m UTF-8.txt`` writes UTF-8. In its text output a table
row is one line of cells each preceded by ``|`` (``|cell 1  |cell 2  |``); such lines are turned into the flat form
every reader emits (``cell 1 | cell 2 |``, a blank cell ``|``).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile

from gongkai.core import uploads

from .readers_grid import flatten_grid
from .readers_text import ReadError, ReadResult

logger = logging.getLogger(__name__)

ANTIWORD = "antiword"
DOC_SECONDS = 30  # antiword reads a report in well under a second; a file that takes longer is refused
MAX_DOC_BYTES = 20 * 1024 * 1024
MAX_DOC_OUTPUT = 4_000_000  # characters of text kept (a report has ~20,000)
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def antiword_path() -> str | None:
    """Where antiword is installed (None when it is not: scripts/ensure-system-deps.sh installs it)."""
    return shutil.which(ANTIWORD)


def _guard(data: bytes) -> None:
    if len(data) > MAX_DOC_BYTES:
        raise ReadError(
            f"Word 文件过大（{len(data) // (1024 * 1024)} MB，上限 {MAX_DOC_BYTES // (1024 * 1024)} MB）"
        )
    try:
        uploads.verify(data, uploads.KINDS["doc"])
    except uploads.UploadRefused as exc:
        raise ReadError("文件不是 Word 97–2003（.doc）文档，或已损坏") from exc


def _run_antiword(program: str, data: bytes) -> str:
    with tempfile.TemporaryDirectory(prefix="gongkai-doc-") as folder:
        path = os.path.join(folder, "report.doc")
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            done = subprocess.run(  # noqa: S603 - a fixed program and a file we wrote, no shell
                [program, "-m", "UTF-8.txt", "-w", "0", path],
                capture_output=True,
                timeout=DOC_SECONDS,
                check=False,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
            )
        except subprocess.TimeoutExpired as exc:
            raise ReadError(f"Word 文件内容过于复杂，{DOC_SECONDS} 秒内未能读完，已停止") from exc
    if done.returncode != 0:
        logger.debug("antiword exited %s: %s", done.returncode, done.stderr[:300])
        message = done.stderr.decode("utf-8", "replace")
        if "not a Word Document" in message or "is not a Word" in message:
            raise ReadError("文件不是 Word 97–2003（.doc）文档，或已损坏")
        if "encrypted" in message.lower():
            raise ReadError("Word 文件已加密（需要密码），无法读取")
        raise ReadError("Word 97（.doc）文件无法读取（已损坏或版本不受支持）")
    return done.stdout[: MAX_DOC_OUTPUT * 4].decode("utf-8", "replace")


def table_row(line: str) -> list[str | None] | None:
    """antiword's table row ``|a  |b  |`` → its cells (["a", "b"]); None for a line that is not a table row."""
    if not _TABLE_ROW.match(line):
        return None
    cells = line.strip()[1:-1].split("|")
    return [cell.strip() for cell in cells]


def flat_text(output: str) -> str:
    """antiword's text → the flat form: table rows as ``cell |`` lines, paragraphs as lines, blank lines dropped."""
    lines: list[str] = []
    grid: list[list[str | None]] = []
    for line in output.replace("\r", "").split("\n"):
        row = table_row(line)
        if row is not None:
            grid.append(row)
            continue
        if grid:
            lines.append(flatten_grid(grid))
            grid = []
        if line.strip():
            lines.append(line.strip())
    if grid:
        lines.append(flatten_grid(grid))
    return "\n".join(part for part in lines if part)


def read_doc(data: bytes) -> ReadResult:
    """Word 97–2003 (.doc) → flat text (antiword); a clear Chinese error when antiword or the file is missing."""
    _guard(data)
    program = antiword_path()
    if program is None:
        raise ReadError(
            "服务器未安装 antiword，暂时无法读取旧版 Word（.doc）文件；请另存为 .docx 或 PDF 后再导入"
        )
    text = flat_text(_run_antiword(program, data))
    if not text.strip():
        raise ReadError("Word 97（.doc）文件中没有文字")
    return ReadResult(text=text[:MAX_DOC_OUTPUT], filetype="doc")
