"""OCR, offline: page images → words with their box and confidence (tesseract with its simplified-Chinese model).

``tesseract`` (Debian ``tesseract-ocr`` + ``tesseract-ocr-chi-sim``) is run without a shell on a temporary image,
with a time limit, in TSV mode: one row per word with its page-pixel box and confidence (0–100). The engine was
chosen over rapidocr-onnxruntime by measurement on the corpus's dev-half scan and photo (docs/dependencies.md).
Scanned PDFs are rasterised by ``pdftoppm`` (poppler-utils). Nothing is downloaded: the model is the Debian file.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import ocr_grid
from .readers_text import ReadError

logger = logging.getLogger(__name__)

OCR_DPI = 200  # scans of printed A4 tables read best at 200–300 dpi (bench/bench_ocr.py measures 150/200/300)
# Limits in CPU seconds (RLIMIT_CPU of the child): a page costs 4–8 CPU-s at 200 dpi whatever the load, while
# its wall time grows with the machine's load (81 s wall for 6 CPU-s was measured on the shared 2-core machine,
# and a 90 s wall limit then refused a readable scan). The wall limits are only a backstop for a stuck process.
OCR_PAGE_SECONDS = 60  # CPU seconds for one page through tesseract
RASTER_SECONDS = 60  # CPU seconds for pdftoppm on a whole scanned PDF
WALL_FACTOR = 10  # the wall-clock backstop: this many times the CPU limit
MAX_OCR_PAGES = (
    20  # an annual report's scanned tables fit in far fewer; more is refused, not read for minutes
)
OCR_PSM = 6  # page segmentation: one uniform block (see ``recognise``)
OCR_THREADS = 1  # tesseract's OpenMP threads per page (OMP_THREAD_LIMIT); measured in bench/bench_ocr.py
_PLAIN_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}


def _env() -> dict[str, str]:
    return {**_PLAIN_ENV, "OMP_THREAD_LIMIT": str(OCR_THREADS)}


@dataclass(frozen=True)
class Word:
    """One recognised word: its text, page (1-based), box in page pixels (x0, y0, x1, y1), confidence 0–1,
    and tesseract's block/paragraph/line numbers (the line it belongs to); ``cell``: the ruled-table cell it
    stands in (``ocr_grid``), None outside ruled tables."""

    text: str
    page: int
    bbox: tuple[int, int, int, int]
    confidence: float
    line: tuple[int, int, int]
    cell: ocr_grid.CellTag | None = None


def _cpu_limit(seconds: int) -> Callable[[], None]:
    def limit() -> None:  # runs in the child between fork and exec: only setrlimit, nothing that locks
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    return limit


def _over_cpu(exc: subprocess.CalledProcessError) -> bool:
    """The child was stopped by its CPU limit (SIGXCPU at the soft limit, SIGKILL at the hard one)."""
    return exc.returncode in (-signal.SIGXCPU, -signal.SIGKILL)


def _run_limited(
    args: list[str], *, cpu_seconds: int, env: dict[str, str], timed_out: str, failed: str
) -> bytes:
    """Run a fixed program (no shell) under a CPU limit and a wall-clock backstop; its stdout. Running out of
    either limit raises ReadError(``timed_out``), any other failure ReadError(``failed``)."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed program and our own files, no shell
            args,
            capture_output=True,
            timeout=cpu_seconds * WALL_FACTOR,
            check=True,
            env=env,
            preexec_fn=_cpu_limit(cpu_seconds),  # noqa: PLW1509 - setrlimit only
        )
    except subprocess.TimeoutExpired as exc:
        raise ReadError(timed_out) from exc
    except subprocess.CalledProcessError as exc:
        if _over_cpu(exc):
            raise ReadError(timed_out) from exc
        logger.debug("%s failed: %s", Path(args[0]).name, exc.stderr[:300])
        raise ReadError(failed) from exc
    return done.stdout


def engine_path() -> str | None:
    """The tesseract program with the chi_sim model, or None (scripts/ensure-system-deps.sh installs both)."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    done = subprocess.run(  # noqa: S603 - fixed program, no shell
        [program, "--list-langs"], capture_output=True, timeout=20, check=False, env=_PLAIN_ENV
    )
    return program if b"chi_sim" in done.stdout else None


def rasterise(pdf: bytes, folder: Path, *, page: int | None = None) -> list[Path]:
    """The pages of a PDF (or only ``page``) as grey PNG images (pdftoppm); a clear error when poppler-utils
    is missing."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise ReadError("服务器未安装 pdftoppm（poppler-utils），暂时无法识别扫描版 PDF")
    source = folder / "scan.pdf"
    source.write_bytes(pdf)
    _run_limited(
        [
            program,
            "-r",
            str(OCR_DPI),
            "-gray",
            "-png",
            *(["-f", str(page), "-l", str(page)] if page else ["-l", str(MAX_OCR_PAGES + 1)]),
            str(source),
            str(folder / "p"),
        ],
        cpu_seconds=RASTER_SECONDS,
        env=_PLAIN_ENV,
        timed_out=f"扫描版 PDF 转换为图片超时（{RASTER_SECONDS} 秒），已停止",
        failed="扫描版 PDF 无法转换为图片（已损坏或已加密）",
    )
    pages = sorted(folder.glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if len(pages) > MAX_OCR_PAGES:
        raise ReadError(f"扫描版 PDF 页数过多（超过 {MAX_OCR_PAGES} 页），请只上传含表格的页面")
    return pages


def recognise(image: Path, page: int, program: str) -> list[Word]:
    """One page image → its words (tesseract TSV, page segmentation 6: one uniform block, the layout of a
    printed table or a page of text; 3 (automatic) splits table rows into columns read one after the other)."""
    stdout = _run_limited(
        [
            program,
            str(image),
            "-",
            "-l",
            "chi_sim",
            "--psm",
            str(OCR_PSM),
            "-c",
            "preserve_interword_spaces=1",
            "tsv",
        ],
        cpu_seconds=OCR_PAGE_SECONDS,
        env=_env(),
        timed_out=f"第 {page} 页文字识别超时（{OCR_PAGE_SECONDS} 秒），已停止",
        failed=f"第 {page} 页图片无法识别（格式不受支持或已损坏）",
    )
    return parse_tsv(stdout.decode("utf-8", "replace"), page)


def parse_tsv(tsv: str, page: int) -> list[Word]:
    """tesseract's TSV (level 5 rows are words) → Word list; empty words dropped."""
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        x, y, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
        line = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        confidence = max(0.0, min(1.0, float(row["conf"]) / 100))
        words.append(Word(text, page, (x, y, x + w, y + h), round(confidence, 3), line))
    return words


def ocr_images(images: list[Path], program: str) -> list[Word]:
    """Each page: its ruling lines found and erased (``ocr_grid``), the rest recognised, every word tagged with
    the ruled cell it stands in."""
    from PIL import Image

    words: list[Word] = []
    bands = 0
    for n, image in enumerate(images, start=1):
        with Image.open(image) as page:
            grey = page.convert("L")
        horizontal, vertical = ocr_grid.find_rules(grey)
        table = ocr_grid.cells(horizontal, vertical, first_band=bands)
        if not table:
            words.extend(recognise(image, n, program))
            continue
        bands = max(cell.tag.band for cell in table) + 1
        clean = image.with_name(f"clean-{n}.png")
        ocr_grid.erase(grey, horizontal, vertical).save(clean)
        for word in recognise(clean, n, program):
            for text, box in ocr_grid.split(word.bbox, word.text, table):
                tag = ocr_grid.tag_of(box, table)
                words.append(dataclasses.replace(word, text=text, bbox=box, cell=tag))
    return words


def ocr_pdf(pdf: bytes, program: str) -> list[Word]:
    with tempfile.TemporaryDirectory(prefix="gongkai-ocr-") as folder:
        return ocr_images(rasterise(pdf, Path(folder)), program)


def ocr_image(data: bytes, program: str) -> list[Word]:
    """A photo or a scanned page (PNG/JPEG…), converted to grey PNG first (Pillow) so tesseract reads any format."""
    from PIL import Image, ImageOps

    with tempfile.TemporaryDirectory(prefix="gongkai-ocr-") as folder:
        path = Path(folder) / "page.png"
        with Image.open(io.BytesIO(data)) as image:
            ImageOps.exif_transpose(image).convert("L").save(path)
        return ocr_images([path], program)
