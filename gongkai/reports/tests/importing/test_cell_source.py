"""A finding's cell shown where it stands in the report as published (issue 20: the check page highlights it)."""

from __future__ import annotations

import copy
import html
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.jobs.cleanup import cleanup_job_files
from gongkai.core.models import Job
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff
from gongkai.reports.importing import source_view

from . import synth
from .test_views import _login, _run

pytestmark = pytest.mark.django_db
LINK = re.compile(r'<a href="([^"]+)" class="cell-source-link">([^<]+)</a>')


def _wrong_total(doc):
    """The report with 表四's 行政复议 总计 printed one too high (its row no longer adds up)."""
    doc = copy.deepcopy(doc)
    doc["table4"]["行政复议"]["总计"] += 1
    return doc


def test_a_finding_links_to_its_cell_in_the_text(
    client, org_tree, luojiang, django_capture_on_commit_callbacks
):
    # given a report whose 表四 行政复议 row does not add up, checked by a clerk
    _login(client, staff(Role.CLERK, org_tree["own"]))
    wrong = _wrong_total(luojiang)
    files = [SimpleUploadedFile("洛江区.txt", synth.to_text(wrong).encode())]
    page = client.get(_run(client, django_capture_on_commit_callbacks, files)).content.decode()
    # when they open the 原文位置 of the finding's 总计 cell
    links = {html.unescape(label): html.unescape(url) for url, label in LINK.findall(page)}
    total = next(url for label, url in links.items() if "行政复议" in label and "总计" in label)
    # (the finding lists its cells once, each a link where the text holds it)
    assert "位置（点击查看原文）：" in page and "原文位置：" not in page
    shown = client.get(total)
    # then they see the passage of the published text with that figure marked
    text = shown.content.decode()
    assert shown.status_code == 200
    assert f"<mark>{wrong['table4']['行政复议']['总计']}</mark>" in text
    assert "表四 · 行政复议 · 总计" in text


def test_a_report_inside_an_uploaded_zip_is_found_again(
    client, org_tree, luojiang, django_capture_on_commit_callbacks
):
    _login(client, staff(Role.CLERK, org_tree["own"]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("甲/洛江区.html", synth.to_html(_wrong_total(luojiang)))
    files = [SimpleUploadedFile("一批.zip", buffer.getvalue())]
    page = client.get(_run(client, django_capture_on_commit_callbacks, files)).content.decode()
    urls = [html.unescape(url) for url, _ in LINK.findall(page)]
    assert urls
    assert all(client.get(url).status_code == 200 for url in urls)


def test_only_the_user_who_ran_the_check_sees_the_source(
    client, org_tree, luojiang, django_capture_on_commit_callbacks
):
    _login(client, staff(Role.CLERK, org_tree["own"]))
    files = [SimpleUploadedFile("a.txt", synth.to_text(_wrong_total(luojiang)).encode())]
    page = client.get(_run(client, django_capture_on_commit_callbacks, files)).content.decode()
    url = html.unescape(LINK.findall(page)[0][0])
    _login(client, staff(Role.CLERK, org_tree["own"]))
    assert client.get(url).status_code == 404
    # and a cell the report does not locate, or a document that does not exist, is a 404 too
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_kept_inputs_are_deleted_by_the_nightly_cleanup(
    client, org_tree, luojiang, django_capture_on_commit_callbacks, settings
):
    _login(client, staff(Role.CLERK, org_tree["own"]))
    files = [SimpleUploadedFile("a.txt", synth.to_text(_wrong_total(luojiang)).encode())]
    job_url = _run(client, django_capture_on_commit_callbacks, files)
    job = Job.objects.get()
    assert job.input  # kept: the result page reads it again
    settings.GONGKAI_JOB_FILES_DAYS = 7
    assert cleanup_job_files(actor=SYSTEM_TEST).inputs == 0
    later = timezone.now() + timezone.timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert cleanup_job_files(actor=SYSTEM_TEST, now=later).inputs == 1
    page = client.get(job_url).content.decode()
    assert "cell-source-link" not in page  # no link to a file that is gone
    assert "表四" in page  # the findings stay


def test_excerpt_marks_the_figure_even_when_digits_are_spaced():
    text = "前文 行政复议 1 2 3 后文"
    at = text.index("1")
    assert source_view.excerpt(text, at, "123") == {
        "before": "前文 行政复议 ",
        "figure": "1 2 3",
        "after": " 后文",
    }


def test_source_keys_from_finding_cells():
    assert source_view.source_key("table3:三、本年度办理结果/（一）予以公开:自然人") == (
        "表三/三、本年度办理结果/（一）予以公开/自然人"
    )
    assert source_view.source_key("table2:第二十条第（一）项/规章:本年制发件数") == (
        "表二/第二十条第（一）项/规章/本年制发件数"
    )
    assert source_view.source_key("table2") is None
    assert source_view.source_key("sections:一") is None


def _page(fmt: str) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (1600, 1000), "white")
    out = io.BytesIO()
    image.save(out, fmt, resolution=200)
    return out.getvalue()


def _red(png: bytes) -> int:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        raw = image.convert("RGB").tobytes()
    return sum(1 for n in range(0, len(raw), 3) if raw[n] > 150 and raw[n + 1] < 90 and raw[n + 2] < 90)


def test_a_photographed_cell_is_cropped_to_its_row_with_its_box_drawn():
    png = source_view.cell_png(
        _page("PNG"), "image", {"page": 1, "bbox": [400, 500, 460, 540], "confidence": 0.6}
    )
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        assert image.width == source_view.MAX_WIDTH  # scaled down from 1600
        assert image.height < 300  # the row band, not the page
    assert _red(png) > 100


@pytest.mark.skipif(
    not __import__("shutil").which("pdftoppm"), reason="需要 poppler-utils（make test 会安装）"
)
def test_a_scanned_pdf_page_is_rasterised_again_for_its_cell():
    png = source_view.cell_png(_page("PDF"), "scan_pdf", {"page": 1, "bbox": [100, 100, 160, 140]})
    assert _red(png) > 100


@pytest.mark.parametrize("style", ["pipe", "html"])
def test_every_located_cell_of_tables_two_to_four_points_at_its_figure(luojiang, style):
    from gongkai.reports.importing.pipeline import import_bytes
    from gongkai.reports.importing.readers import read_bytes

    data = synth.to_html(luojiang) if style == "html" else synth.to_text(luojiang).encode()
    name = f"洛江区.{'html' if style == 'html' else 'txt'}"
    doc = import_bytes(data, name)[0]
    text = read_bytes(data, name).text
    cells = doc["source"]["cells"]
    # every cell of 表二 is located (whole numbers), as are 表三 and 表四
    assert {k.split("/", 1)[0] for k in cells} == {"表二", "表三", "表四"}
    table2 = [k for k in cells if k.startswith("表二/")]
    assert len(table2) == sum(len(cols) for items in luojiang["table2"].values() for cols in items.values())
    for key, where in cells.items():
        value = source_view._value(doc, key)
        at = text[where["offset"] :]
        if isinstance(value, int) and value < 0:
            assert at[0] in "-－−", key  # the minus sign is part of the figure
        digits = "".join(ch for ch in at[:24] if ch.isdigit())
        assert digits.startswith("".join(ch for ch in str(value) if ch.isdigit())), key


def test_a_photo_taken_sideways_is_turned_upright_as_for_ocr():
    # given a phone photo stored 1000 wide × 600 high with EXIF "rotate 90° clockwise" (upright: 600 × 1000)
    from PIL import Image

    image = Image.new("RGB", (1000, 600), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    # when the cell OCR found at y = 800 on the upright page is shown
    png = source_view.cell_png(out.getvalue(), "image", {"page": 1, "bbox": [100, 800, 160, 840]})
    # then the band is cut from the upright page (600 wide), with the box drawn on it
    with Image.open(io.BytesIO(png)) as band:
        assert band.width == 600
    assert _red(png) > 100


def test_a_table2_cell_whose_column_holds_a_slash_is_found_again():
    # given the source key of 表二's 本年增/减 (its column's own "/" after the item and row)
    from gongkai.reports.importing.source_view import key_parts

    key = "表二/第二十条第（五）项/行政许可/本年增/减"
    # then the column is 本年增/减, not 减 (the passage showed 「本年增 · 减：识别为（空）」)
    assert key_parts(key) == ("表二", "第二十条第（五）项/行政许可", "本年增/减")
    assert key_parts("表三/三、本年度办理结果/（一）予以公开/自然人") == (
        "表三",
        "三、本年度办理结果/（一）予以公开",
        "自然人",
    )
