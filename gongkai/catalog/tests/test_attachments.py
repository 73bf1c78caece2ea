"""Attachments: the type is sniffed from the content, the size is limited, only drafts take files."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongkai.catalog import attachments, workflow
from gongkai.core.actors import SYSTEM_TEST

from .factories import (
    docx_bytes,
    draft_item,
    pdf_bytes,
    pdf_with_text,
    png_bytes,
    published_item,
    xlsx_bytes,
    xlsx_with,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make,ext",
    [(pdf_bytes, "pdf"), (docx_bytes, "docx"), (xlsx_bytes, "xlsx"), (png_bytes, "png")],
)
def test_accepted_types_are_recognised_by_content(make, ext):
    # Given a file whose name says nothing of its type (a misleading extension is refused: test_uploads)
    data = make()  # once: an .xlsx embeds its creation time, so two calls may differ in size
    att = attachments.attachment_add(actor=SYSTEM_TEST, item=draft_item(), name="文件", data=data)
    # Then the stored type comes from the bytes
    assert att.ext == ext and att.size == len(data)


@pytest.mark.parametrize("data", [b"MZ\x90\x00executable", b"<html><script>x</script>", b"plain text"])
def test_other_content_is_refused(data):
    with pytest.raises(ValidationError):
        attachments.attachment_add(actor=SYSTEM_TEST, item=draft_item(), name="报告.pdf", data=data)


def test_size_limit(settings):
    settings.GONGKAI_CATALOG_MAX_ATTACHMENT_BYTES = 100
    with pytest.raises(ValidationError, match="附件过大"):
        attachments.attachment_add(
            actor=SYSTEM_TEST, item=draft_item(), name="a.pdf", data=pdf_bytes() + b"0" * 200
        )


def test_published_item_takes_no_attachment():
    with pytest.raises(ValidationError):
        attachments.attachment_add(actor=SYSTEM_TEST, item=published_item(), name="a.pdf", data=pdf_bytes())


ID = "11010519491231002X"


@pytest.mark.parametrize(
    "name,make",
    [
        ("名单.docx", lambda: docx_bytes("补助对象名单", f"张三 {ID}")),
        ("名单.xlsx", lambda: xlsx_with(("姓名", "身份证号"), ("张三", ID))),
        ("名单.pdf", lambda: pdf_with_text(f"ID {ID}")),
    ],
)
def test_an_id_number_inside_an_attachment_blocks_submission(name, make):
    # Given a draft whose attachment lists a citizen's ID number
    item = draft_item()
    attachments.attachment_add(actor=SYSTEM_TEST, item=item, name=name, data=make())
    # When it is submitted, the scan names the attachment and refuses
    with pytest.raises(ValidationError) as exc:
        workflow.item_transition(actor=SYSTEM_TEST, item=item, step="submit")
    assert any(f"附件“{name}”" in m and ID in m for m in exc.value.messages)


def test_a_damaged_document_is_refused():
    # A ZIP that claims to be DOCX by its first entries but is cut short cannot be read
    data = docx_bytes("正文")[:1500]
    with pytest.raises(ValidationError):
        attachments.attachment_add(actor=SYSTEM_TEST, item=draft_item(), name="坏文件.docx", data=data)


def test_attachment_text_is_searchable(on_commit):
    from gongkai.catalog.selectors import search_items

    item = draft_item(title="通知")
    attachments.attachment_add(
        actor=SYSTEM_TEST, item=item, name="清单.xlsx", data=xlsx_with(("耕地地力保护补贴",))
    )
    with on_commit():
        for step in ("submit", "secrecy_pass", "publish"):
            item = workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step)
    assert [r.item.pk for r in search_items("耕地").results] == [item.pk]
