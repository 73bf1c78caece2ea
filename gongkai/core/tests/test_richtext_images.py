"""Pictures in clerks' rich text (插入图片): the sanitiser keeps only our own picture addresses; uploads go through
the guards (type by the bytes, size, re-encoded so no EXIF survives); a picture is fetched only by whoever may
see its owner; it shows in the public page, the report's Word file and PDF."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalog import workflow as catalog_workflow
from gongkai.catalog.images import item_image_add
from gongkai.catalog.models import Item
from gongkai.catalog.tests.factories import draft_item
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.images import RichTextImage, prepare_image
from gongkai.core.models import AuditEntry
from gongkai.core.richtext import sanitise_html
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import staff
from gongkai.reports.images import report_image_add
from gongkai.reports.tests.factories import ReportFactory

OWN = "/files/images/12345678-1234-1234-1234-123456789abc.png"


def picture(fmt: str = "PNG", size: tuple[int, int] = (40, 30), **save: object) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "相机厂商"  # Make
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS: latitude
    return picture("JPEG", exif=exif.tobytes())


# --- the sanitiser -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # ours: kept with alt and a pixel width; style and handlers dropped; a picture alone is a paragraph
        (f'<img src="{OWN}" alt="办事流程图" width="300" style="x" onerror="alert(1)">',
         f'<p><img src="{OWN}" alt="办事流程图" width="300"></p>'),
        # alt missing: written as "" (the editor asks for it; "" is a decorative picture)
        (f'<p>见下图：<img src="{OWN}"></p>', f'<p>见下图：<img src="{OWN}" alt=""></p>'),
        # a width that is not a number of pixels is dropped, the picture kept
        (f'<img src="{OWN}" alt="图" width="100%" height="0">', f'<p><img src="{OWN}" alt="图"></p>'),
        # anything else goes, and with it the picture: data:, another host, protocol-relative, another path,
        # a query string, javascript:, an SVG address
        ('<p>前<img src="data:image/png;base64,iVBORw0KGgo=" alt="x">后</p>', "<p>前后</p>"),
        (f'<p>a<img src="https://evil.example{OWN}" alt="x"></p>', "<p>a</p>"),
        (f'<p>a<img src="//evil.example{OWN}" alt="x"></p>', "<p>a</p>"),
        ('<p>a<img src="/static/gongkai/emblem.png" alt="x"></p>', "<p>a</p>"),
        (f'<p>a<img src="{OWN}?x=1" alt="x"></p>', "<p>a</p>"),
        ('<p>a<img src="javascript:alert(1)" alt="x"></p>', "<p>a</p>"),
        ('<p>a<img src="/files/images/12345678-1234-1234-1234-123456789abc.svg" alt="x"></p>', "<p>a</p>"),
        ('<img src="https://cdn.example/x.png" alt="x">', ""),
    ],
)  # fmt: skip
def test_sanitiser_keeps_only_our_pictures(raw, expected):
    assert sanitise_html(raw) == expected


# --- the upload guards ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "通知.png", "只能插入 PNG、JPEG、GIF 或 WebP 图片"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "图.png", "只能插入"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "图.svg", "只能插入"),
        (picture("PNG"), "图.jpg", "扩展名与内容不符"),
        (picture("PNG")[:40], "图.png", "已损坏或被截断"),
        (b"", "图.png", "文件是空的"),
    ],
)
def test_upload_guards_refuse(data, name, message):
    with pytest.raises(ValidationError) as refused:
        prepare_image(data, name)
    assert message in refused.value.messages[0]


def test_an_oversized_picture_is_refused(settings):
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        prepare_image(big, "大图.png")
    assert "过大" in refused.value.messages[0] or "超过" in refused.value.messages[0]


def test_a_photo_is_re_encoded_without_its_exif():
    from PIL import Image

    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()  # the photo carries its maker and place
    data, ext, width, height = prepare_image(original, "现场.jpg")
    assert (ext, width, height) == ("jpg", 40, 30)
    assert not Image.open(io.BytesIO(data)).getexif()
    assert "相机厂商".encode() not in data


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_gif_and_webp_become_png(fmt):
    data, ext, _, _ = prepare_image(picture(fmt), f"图.{fmt.lower()}")
    assert ext == "png" and data.startswith(b"\x89PNG")


# --- storage, scope and who may fetch -----------------------------------------------------------------------


@pytest.fixture
def draft(org_tree):
    return draft_item(org_tree["own"])


def test_a_clerk_inserts_a_picture_into_a_draft_and_it_is_audited(client, org_tree, draft):
    clerk = staff(Role.CLERK, org_tree["own"])
    client.force_login(clerk)
    upload = io.BytesIO(picture())
    upload.name = "流程图.png"
    response = client.post(f"/admin/catalog/{draft.pk}/images/", {"image": upload})
    assert response.status_code == 200, response.content
    answer = response.json()
    image = RichTextImage.objects.get()
    assert answer == {"url": image.url, "width": 40, "height": 30}
    assert (image.org_id, image.owner, image.owner_id, image.created_by) == (
        org_tree["own"].pk,
        "catalog.item",
        draft.pk,
        clerk,
    )
    entry = AuditEntry.objects.filter(object_type="catalog.item", object_id=str(draft.pk)).latest("id")
    assert entry.changes["image_added"][1]["sha256"] == image.sha256
    # and the staff who may view the item fetch it, inline, with its type and nosniff
    fetched = client.get(image.url)
    assert fetched.status_code == 200 and fetched["Content-Type"] == "image/png"
    assert fetched["X-Content-Type-Options"] == "nosniff" and "private" in fetched["Cache-Control"]


def test_a_refused_upload_answers_in_chinese(client, org_tree, draft):
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    upload = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100)
    upload.name = "病毒.png"
    response = client.post(f"/admin/catalog/{draft.pk}/images/", {"image": upload})
    assert response.status_code == 400 and "只能插入" in response.json()["error"]
    assert not RichTextImage.objects.exists()


def test_another_organisation_can_neither_upload_nor_fetch_a_drafts_picture(client, org_tree, draft):
    image = item_image_add(actor=SYSTEM_TEST, item=draft, name="图.png", data=picture())
    # a clerk of the neighbouring county: the item's upload address is 404, and so is the picture
    client.force_login(staff(Role.CLERK, org_tree["sibling"]))
    upload = io.BytesIO(picture())
    upload.name = "图.png"
    assert client.post(f"/admin/catalog/{draft.pk}/images/", {"image": upload}).status_code == 404
    assert client.get(image.url).status_code == 404
    # the public: 404 while a draft
    client.logout()
    assert client.get(image.url).status_code == 404
    # a reviewer of the own organisation cannot add one (no EDIT), a published item takes none
    with pytest.raises(PermissionDenied):
        item_image_add(actor=staff(Role.REVIEWER, org_tree["own"]), item=draft, name="图.png", data=picture())


def test_published_item_shows_its_picture_to_the_public(client, org_tree, draft):
    image = item_image_add(actor=SYSTEM_TEST, item=draft, name="图.png", data=picture())
    Item.objects.filter(pk=draft.pk).update(body=f'<p>流程如下：</p><img src="{image.url}" alt="办事流程图">')
    item = Item.objects.get(pk=draft.pk)
    for step in ("submit", "secrecy_pass", "publish"):
        item = catalog_workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step)
    page = client.get(f"/gk/{item.org.code}/xxgk/{item.pk}/")
    assert f'<img src="{image.url}" alt="办事流程图">' in page.content.decode()
    fetched = client.get(image.url)
    assert fetched.status_code == 200 and "public" in fetched["Cache-Control"]
    with pytest.raises(ValidationError):
        item_image_add(actor=SYSTEM_TEST, item=item, name="图.png", data=picture())


# --- the report: HTML, Word, PDF ---------------------------------------------------------------------------


@pytest.fixture
def report_with_picture(org_tree):
    report = ReportFactory(org=org_tree["own"], year=2023)
    image = report_image_add(actor=SYSTEM_TEST, report=report, name="图表.png", data=picture(size=(400, 200)))
    report.sections = {
        **report.sections,
        "一": f'<p>全年情况见下图。</p><img src="{image.url}" alt="全年申请数量柱状图">',
    }
    report.save()
    return report, image


def test_a_drafts_picture_is_fetched_by_its_staff_only(client, org_tree, report_with_picture):
    _, image = report_with_picture
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    assert client.get(image.url).status_code == 200
    client.force_login(staff(Role.CLERK, org_tree["sibling"]))
    assert client.get(image.url).status_code == 404
    client.logout()
    assert client.get(image.url).status_code == 404


def test_the_picture_is_in_the_reports_html_word_and_pdf(client, org_tree, report_with_picture):
    from docx import Document
    from pypdf import PdfReader

    report, image = report_with_picture
    client.force_login(staff(Role.CLERK, org_tree["own"]))
    html = client.get(f"/admin/reports/{report.pk}/download.html").content.decode()
    assert f'<img src="{image.url}" alt="全年申请数量柱状图">' in html
    word = Document(io.BytesIO(client.get(f"/admin/reports/{report.pk}/download.docx").content))
    pictures = word.inline_shapes
    assert len(pictures) == 1 and pictures[0]._inline.docPr.get("descr") == "全年申请数量柱状图"
    pdf = PdfReader(io.BytesIO(client.get(f"/admin/reports/{report.pk}/download.pdf").content))
    # (WeasyPrint shares one resource dictionary between pages: pypdf lists the picture on each of them)
    assert [picture.image.size for picture in pdf.pages[0].images] == [(400, 200)]


def test_pdf_rendering_reads_data_uris_and_our_pictures_but_fetches_nothing_else(monkeypatch):
    import base64
    import urllib.request

    from pypdf import PdfReader

    from gongkai.core.documents import html_to_pdf

    def no_network(*args, **kwargs):
        raise AssertionError("a document fetched an address")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    seal = base64.b64encode(picture(size=(64, 64))).decode()
    pdf = html_to_pdf(
        '<html lang="zh-CN"><body><p>印章</p>'
        f'<img src="data:image/png;base64,{seal}" alt="印章">'
        '<img src="https://example.com/tracker.png" alt="x"><img src="file:///etc/hostname" alt="y">'
        "</body></html>"
    )
    assert [p.image.size for p in PdfReader(io.BytesIO(pdf)).pages[0].images] == [(64, 64)]


def test_another_organisations_picture_is_neither_kept_nor_embedded(client, org_tree, report_with_picture):
    """A clerk who knows the address of another organisation's draft picture cannot pull it into their own
    text: saving drops it, and the Word and PDF renderers never embed it (even if it is already stored)."""
    from docx import Document
    from pypdf import PdfReader

    from gongkai.catalog.services import item_update
    from gongkai.reports.services import report_update_sections

    report, own = report_with_picture
    foreign_report = ReportFactory(org=org_tree["sibling"], year=2023)
    foreign = report_image_add(
        actor=SYSTEM_TEST, report=foreign_report, name="他人.png", data=picture(size=(90, 60))
    )
    clerk = staff(Role.CLERK, org_tree["own"])
    # the sanitiser on save: the other organisation's picture is dropped, this one's own is kept
    text = f'<p>图</p><img src="{foreign.url}" alt="他人"><img src="{own.url}" alt="本机关">'
    saved = report_update_sections(actor=clerk, report=report, sections={"二": text}).sections["二"]
    assert own.url in saved and foreign.url not in saved
    item = item_update(actor=clerk, item=draft_item(org_tree["own"]), body=text)
    assert own.url in item.body and foreign.url not in item.body
    # the renderers: a foreign picture already in the stored text is not embedded
    report.sections = {**report.sections, "二": f'<p>图</p><img src="{foreign.url}" alt="他人">'}
    report.save()
    client.force_login(clerk)
    word = Document(io.BytesIO(client.get(f"/admin/reports/{report.pk}/download.docx").content))
    assert [p._inline.docPr.get("descr") for p in word.inline_shapes] == ["全年申请数量柱状图"]
    pdf = PdfReader(io.BytesIO(client.get(f"/admin/reports/{report.pk}/download.pdf").content))
    assert [p.image.size for p in pdf.pages[0].images] == [(400, 200)]


def test_without_a_rendering_organisation_no_stored_picture_is_embedded(report_with_picture):
    from pypdf import PdfReader

    from gongkai.core.documents import html_to_pdf
    from gongkai.core.images import rendering_for

    report, image = report_with_picture
    page = f'<html lang="zh-CN"><body><p>图</p><img src="{image.url}" alt="图"></body></html>'
    assert list(PdfReader(io.BytesIO(html_to_pdf(page))).pages[0].images) == []
    with rendering_for(report.org_id):
        assert [p.image.size for p in PdfReader(io.BytesIO(html_to_pdf(page))).pages[0].images] == [
            (400, 200)
        ]
