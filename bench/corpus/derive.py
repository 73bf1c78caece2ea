"""Derive the corpus files of shapes no real report was found in (ids d3NN) from real reports, and their labels.

    .venv/bin/python bench/corpus/derive.py [ids…]    redo the derivations (all of DERIVATIONS, or the ids given)
    .venv/bin/python bench/corpus/derive.py --list    print them

Each derivation turns one real corpus file (html_table or text) into another shape, offline:
- text_pdf: the real HTML (or the real text in ``<pre>``) printed by headless Chromium to PDF;
- scan_pdf: that PDF rasterised (``pdftoppm -r 150 -gray -jpeg``) and the page images put back into a PDF with
  no text layer (``img2pdf``);
- photo:    the pages from the first to the one where section 五 starts (so 表二–表四 and the title are in it),
  at 150 dpi, stacked into one image, turned 1.5°, contrast ×0.8, blurred slightly, JPEG quality 85 (Pillow);
- docx:     the real HTML converted by LibreOffice (``--convert-to docx``), or for a text the text's lines as
  paragraphs (python-docx);
- doc:      the same by LibreOffice to Word 97 (``--convert-to doc``);
- pdf_text: the text_pdf's text as ``pdftotext -layout`` extracts it (UTF-8 ``.txt``);
- markdown: an HTML report converted by html2text (tables as ``|`` rows), ``.md``.
Before Chromium or LibreOffice opens a real HTML page, a copy is made with scripts, style sheets, images and frames
removed and a Content-Security-Policy of ``default-src 'none'`` (no request can leave the machine; Chromium also
gets a host resolver that resolves nothing and a dead proxy). The label of a derived file is the source's label
with id, file, shape, derived = true, derived_from and derivation (the exact steps) set, and a note added: the
numbers are the source's, never retyped. The outputs are not byte-for-byte reproducible (tools stamp dates), the
steps are.
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
LABELS = HERE / "labels"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-pdf-header-footer",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
]
CSP = (
    b"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
)
# (id, real source id, shape): the derived files of the corpus, redone by `derive.py`.
DERIVATIONS: list[tuple[str, str, str]] = [
    ("d301", "r301", "text_pdf"),  # html_table, 2019, province department
    ("d302", "r103", "text_pdf"),  # one-line text, 2021, city government
    ("d303", "r204", "scan_pdf"),  # one-line text, 2019, city government (with inconsistencies)
    ("d304", "r305", "scan_pdf"),  # one-line text, 2021, city department
    ("d305", "r302", "photo"),  # one-line text, 2021, township
    ("d306", "r409", "photo"),  # one-line text, 2019, city department
    ("d307", "r306", "docx"),  # one-line text, 2021, city department
    ("d308", "r406", "docx"),  # one-line text, 2019, city department
    ("d309", "r101", "doc"),  # one-line text, 2021, city government
    ("d310", "r402", "doc"),  # one-line text, 2019, township
    # Shapes no helper found a real file of (so far): from the only HTML report with tables.
    ("d311", "r301", "pdf_text"),  # html_table, 2019, province department
    ("d312", "r301", "markdown"),  # html_table, 2019, province department
]


def _run(cmd: list[str], steps: list[str], cwd: Path | None = None, shown: str | None = None) -> None:
    steps.append(shown or " ".join(cmd))
    subprocess.run(cmd, check=True, cwd=cwd, capture_output=True, timeout=300)


def _decode(data: bytes) -> str:
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def offline(data: bytes) -> bytes:
    """A copy of a real HTML page that can load nothing: no script, style sheet, image, frame or object."""
    for pattern in (
        rb"<script\b.*?</script\s*>",
        rb"<iframe\b.*?</iframe\s*>",
        rb"<object\b.*?</object\s*>",
        rb"<link\b[^>]*>",
        rb"<img\b[^>]*>",
        rb"<embed\b[^>]*>",
        rb"<source\b[^>]*>",
        rb"<base\b[^>]*>",
    ):
        data = re.sub(pattern, b"", data, flags=re.IGNORECASE | re.DOTALL)
    data = re.sub(rb"@import[^;]*;", b"", data, flags=re.IGNORECASE)
    data = re.sub(rb"url\s*\([^)]*\)", b"none", data, flags=re.IGNORECASE)
    head = re.search(rb"<head\b[^>]*>", data, flags=re.IGNORECASE)
    at = head.end() if head else 0
    return data[:at] + CSP + data[at:]


def offline_html(src: Path, out: Path, steps: list[str]) -> None:
    """Write ``offline(src)`` to ``out`` and record the step."""
    out.write_bytes(offline(src.read_bytes()))
    steps.append(
        f"copy {src.name} with <script>/<iframe>/<object>/<link>/<img>/<embed>/<source>/<base>, @import and "
        "url(...) removed and a CSP meta default-src 'none' after <head>"
    )


def text_html(src: Path, out: Path, steps: list[str]) -> None:
    """The real text (as decoded) in <pre>, wrapped at the page width."""
    text = _decode(src.read_bytes())
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"{CSP.decode()}"
        "<style>body{margin:0}pre{white-space:pre-wrap;word-break:break-all;"
        'font-family:"Noto Sans CJK SC","Noto Sans Mono CJK SC",monospace;font-size:11pt;line-height:1.5}</style>'
        f"</head><body><pre>{html.escape(text)}</pre></body></html>"
    )
    out.write_text(page, encoding="utf-8")
    steps.append(
        f"{src.name} decoded (UTF-8, else GB18030), HTML-escaped into <pre style=white-space:pre-wrap>"
    )


def printable(src: Path, work: Path, steps: list[str]) -> Path:
    page = work / "page.html"
    if src.suffix.lower() in (".html", ".htm", ".shtml", ".xhtml"):
        offline_html(src, page, steps)
    else:
        text_html(src, page, steps)
    return page


def print_pdf(src: Path, out: Path, work: Path, steps: list[str]) -> None:
    page = printable(src, work, steps)
    cmd = [CHROMIUM, *CHROMIUM_FLAGS, f"--print-to-pdf={out}", page.as_uri()]
    _run(cmd, steps, shown=shlex.join([*cmd[:-2], f"--print-to-pdf={out.name}", page.name]))
    if not out.is_file() or out.stat().st_size == 0:
        raise RuntimeError(f"chromium printed nothing for {src.name}")


def text_pdf(src: Path, out: Path, work: Path, steps: list[str]) -> None:
    print_pdf(src, out, work, steps)


def scan_pdf(src: Path, out: Path, work: Path, steps: list[str]) -> None:
    pdf = work / "printed.pdf"
    print_pdf(src, pdf, work, steps)
    _run(["pdftoppm", "-r", "150", "-gray", "-jpeg", "-jpegopt", "quality=80", str(pdf), str(work / "p")], steps,
         shown="pdftoppm -r 150 -gray -jpeg -jpegopt quality=80 printed.pdf p")  # fmt: skip
    pages = sorted(work.glob("p-*.jpg"))
    _run(["img2pdf", "--nodate", "-o", str(out), *map(str, pages)], steps,
         shown=f"img2pdf --nodate -o {out.name} p-*.jpg  ({len(pages)} pages, no text layer)")  # fmt: skip


def pdf_text(src: Path, out: Path, work: Path, steps: list[str]) -> None:
    pdf = work / "printed.pdf"
    print_pdf(src, pdf, work, steps)
    _run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), str(out)], steps,
         shown=f"pdftotext -layout -enc UTF-8 printed.pdf {out.name}")  # fmt: skip


def markdown(src: Path, out: Path, work: Path, steps: list[str]) -> None:
    """A Markdown conversion of a real HTML page, as web-to-Markdown tools make them (html2text, from PyPI: install
    it by hand, it is not a project dependency); tables become ``|`` rows, merged cells are not repeated."""
    import html2text

    if src.suffix.lower() not in (".html", ".htm", ".shtml", ".xhtml"):
        raise ValueError("markdown is derived from an HTML report")
    page = work / "page.html"
    offline_html(src, page, steps)
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    converter.ignore_links = True
    out.write_text(converter.handle(_decode(page.read_bytes())), encoding="utf-8")
    version = ".".join(map(str, html2text.__version__))
    steps.append(f"html2text {version} (body_width=0, ignore_images, ignore_links) of page.html → {out.name}")


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    return text.decode("utf-8", errors="replace").split("\f")


def photo(src: Path, out: Path, work: Path, steps: list[str]) -> None:
    from PIL import Image, ImageEnhance, ImageFilter

    pdf = work / "printed.pdf"
    print_pdf(src, pdf, work, steps)
    texts = _page_texts(pdf)
    last = next(
        (n for n, t in enumerate(texts) if re.search(r"五\s*[、.．]\s*(?:政府信息公开工作)?存在", t)), None
    )
    if last is None:
        last = max((n for n, t in enumerate(texts) if "尚未审结" in t), default=len(texts) - 1)
    first, last = 1, last + 1
    _run(["pdftoppm", "-r", "150", "-f", str(first), "-l", str(last), "-png", str(pdf), str(work / "q")], steps,
         shown=f"pdftoppm -r 150 -f {first} -l {last} -png printed.pdf q  (to the page where section 五 starts)")  # fmt: skip
    pages = [Image.open(p).convert("RGB") for p in sorted(work.glob("q-*.png"))]
    sheet = Image.new("RGB", (max(p.width for p in pages), sum(p.height for p in pages)), "white")
    y = 0
    for p in pages:
        sheet.paste(p, (0, y))
        y += p.height
    sheet = sheet.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(236, 232, 224))
    sheet = ImageEnhance.Contrast(sheet).enhance(0.8)
    sheet = ImageEnhance.Brightness(sheet).enhance(0.96)
    sheet = sheet.filter(ImageFilter.GaussianBlur(0.6))
    sheet.save(out, "JPEG", quality=85)
    steps.append(
        f"Pillow: the {len(pages)} page images stacked into one, rotate(1.5°, bicubic, expand, fill #ece8e0), "
        f"Contrast 0.8, Brightness 0.96, GaussianBlur(0.6), JPEG quality 85 → {out.name}"
    )


def _libreoffice(src: Path, out: Path, work: Path, steps: list[str], target: str) -> None:
    page = printable(src, work, steps)
    profile = work / "lo-profile"
    cmd = [
        "libreoffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--infilter=HTML (StarWriter)",
        "--convert-to", target, "--outdir", str(work / "lo"), str(page),
    ]  # fmt: skip
    _run(
        cmd,
        steps,
        shown=f'libreoffice --headless --infilter="HTML (StarWriter)" --convert-to "{target}" page.html',
    )
    made = next((work / "lo").glob("page.*"))
    shutil.copyfile(made, out)
    steps.append(f"→ {out.name}")


def _docx_from_text(src: Path, out: Path, steps: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in _decode(src.read_bytes()).splitlines():
        document.add_paragraph(line)
    document.save(str(out))
    steps.append(
        f"python-docx: {src.name} decoded (UTF-8, else GB18030), one paragraph per line → {out.name}"
    )
    return out


def docx_file(src: Path, out: Path, work: Path, steps: list[str]) -> None:
    if src.suffix.lower() in (".html", ".htm", ".shtml", ".xhtml"):
        _libreoffice(src, out, work, steps, "docx:MS Word 2007 XML")
    else:
        _docx_from_text(src, out, steps)


def doc_file(src: Path, out: Path, work: Path, steps: list[str]) -> None:
    if src.suffix.lower() in (".html", ".htm", ".shtml", ".xhtml"):
        _libreoffice(src, out, work, steps, "doc:MS Word 97")
        return
    tmp = _docx_from_text(src, work / "text.docx", steps)
    profile = work / "lo-profile"
    cmd = ["libreoffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
           "doc:MS Word 97", "--outdir", str(work / "lo"), str(tmp)]  # fmt: skip
    _run(cmd, steps, shown='libreoffice --headless --convert-to "doc:MS Word 97" text.docx')
    shutil.copyfile(work / "lo" / "text.doc", out)
    steps.append(f"→ {out.name}")


MAKERS = {"text_pdf": (text_pdf, ".pdf"), "scan_pdf": (scan_pdf, ".pdf"), "photo": (photo, ".jpg"),
          "pdf_text": (pdf_text, ".txt"), "markdown": (markdown, ".md"),
          "docx": (docx_file, ".docx"), "doc": (doc_file, ".doc")}  # fmt: skip


def derive(ident: str, source_id: str, shape: str) -> dict[str, Any]:
    """Make files/<ident>.<ext> from the real report source_id and write labels/<ident>.json."""
    source = json.loads((LABELS / f"{source_id}.json").read_text(encoding="utf-8"))
    if source.get("derived"):
        raise ValueError(f"{source_id} is itself derived")
    maker, ext = MAKERS[shape]
    src = FILES / source["file"]
    out = FILES / f"{ident}{ext}"
    for old in FILES.glob(f"{ident}.*"):
        old.unlink()
    steps: list[str] = []
    with tempfile.TemporaryDirectory(prefix=f"derive-{ident}-") as tmp:
        maker(src, out, Path(tmp), steps)
    label = copy.deepcopy(source)
    label.update(
        id=ident,
        file=out.name,
        shape=shape,
        derived=True,
        derived_from=source_id,
        derivation=f"bench/corpus/derive.py {ident} ({shape} from {source['file']}): " + "; ".join(steps),
    )
    label["notes"] = [
        *source.get("notes", []),
        f"Derived file: {shape} made from the real report {source_id} ({source['file']}); the tables are "
        f"{source_id}'s label, copied.",
    ]
    order = ["schema", "id", "file"]
    label = {k: label[k] for k in order} | {k: v for k, v in label.items() if k not in order}
    (LABELS / f"{ident}.json").write_text(
        json.dumps(label, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return label


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("ids", nargs="*", help="derived ids to redo (default: all)")
    parser.add_argument("--list", action="store_true", help="list the derivations")
    args = parser.parse_args(argv)
    todo = [d for d in DERIVATIONS if not args.ids or d[0] in args.ids]
    if args.list:
        for ident, source_id, shape in DERIVATIONS:
            print(f"{ident}  {shape:9} from {source_id}")
        return 0
    for ident, source_id, shape in todo:
        label = derive(ident, source_id, shape)
        size = (FILES / label["file"]).stat().st_size
        print(f"{ident}  {shape:9} from {source_id}: {label['file']} ({size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
