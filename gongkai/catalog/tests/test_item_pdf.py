"""A published item's 正文 as PDF on its public page (issue 18: paragraphs and a table in HTML and in PDF)."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from pypdf import PdfReader

from gongkai.catalog import workflow
from gongkai.core.actors import SYSTEM_TEST

from .factories import draft_item, published_item

pytestmark = pytest.mark.django_db

BODY = (
    "<p>第一段内容：本办法自发布之日起施行。</p><p>第二段内容：由县政府办公室负责解释。</p>"
    "<table><tbody><tr><th><p>项目</p></th><th><p>数量</p></th></tr>"
    "<tr><td><p>规范性文件</p></td><td><p>十二件</p></td></tr></tbody></table>"
)


def _text(pdf: bytes) -> str:
    return "".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def test_the_item_page_links_a_pdf_of_its_body_with_paragraphs_and_table(client, org_tree):
    item = published_item(org_tree["own"], title="关于印发公开办法的通知", body=BODY)
    url = f"/gk/{item.org.code}/xxgk/{item.pk}/pdf/"
    page = client.get(f"/gk/{item.org.code}/xxgk/{item.pk}/").content.decode()
    assert f'href="{url}">下载PDF</a>' in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith("filename*=UTF-8''" + quote("关于印发公开办法的通知.pdf"))
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    for words in (
        "关于印发公开办法的通知",
        "第一段内容：本办法自发布之日起施行。",
        "第二段内容",
        "规范性文件",
        "十二件",
    ):
        assert words in text
    assert item.index_no in text
    assert "<p>" not in text and "<td>" not in text


def test_no_pdf_of_an_unpublished_or_withdrawn_item_or_under_another_organisation(client, org_tree):
    draft = draft_item(org_tree["own"])
    assert client.get(f"/gk/{draft.org.code}/xxgk/{draft.pk}/pdf/").status_code == 404
    item = published_item(org_tree["own"], body=BODY)
    assert client.get(f"/gk/{org_tree['child'].code}/xxgk/{item.pk}/pdf/").status_code == 404
    assert client.get(f"/gk/{item.org.code}/xxgk/{item.pk}/pdf/").status_code == 200
    workflow.item_transition(actor=SYSTEM_TEST, item=item, step="withdraw", comment="内容有误")
    assert client.get(f"/gk/{item.org.code}/xxgk/{item.pk}/pdf/").status_code == 404
