"""Real browser journey: a clerk inserts a picture into a draft item's 正文 with 插入图片 (the dialog insists on
替代文本 unless the picture is marked 装饰性图片), saves, and after publication the public page shows it — under the
real CSP (img-src 'self'), with no violation and no script error."""

from __future__ import annotations

import io
import re

import pytest

from gongkai.catalog import workflow as catalog_workflow
from gongkai.catalog.models import Item
from gongkai.catalog.tests.factories import draft_item
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.images import RichTextImage
from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_CSP = """window.__csp = []; document.addEventListener("securitypolicyviolation",
  function (e) { window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")); });"""


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (30, 80, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_clerk_inserts_a_picture_with_its_alt_text(page, live_server, org_tree):
    from axe_playwright_python.sync_playwright import Axe

    org = org_tree["own"]
    staff(Role.CLERK, org, username="picture1")
    item = draft_item(org, body="<p>办事流程如下。</p>")
    page.add_init_script(WATCH_CSP)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill("picture1")
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    # Given the edit page of a draft: 插入图片 opens a panel with the file, 替代文本 and 装饰性图片
    page.goto(f"{live_server.url}/admin/catalog/{item.pk}/edit/")
    page.locator(".rte-content").wait_for()
    page.get_by_role("textbox", name="正文").click()
    page.keyboard.press("Control+End")
    toolbar = page.get_by_role("toolbar", name="格式工具栏")
    toolbar.get_by_role("button", name="插入图片").click()
    page.get_by_label("图片文件（PNG、JPEG、GIF 或 WebP）").set_input_files(
        {"name": "流程图.png", "mimeType": "image/png", "buffer": _png()}
    )
    # When no 替代文本 is given, the picture is refused with the reason, nothing uploaded
    page.get_by_role("button", name="上传并插入").click()
    assert "请填写替代文本" in page.get_by_role("alert").inner_text()
    assert not RichTextImage.objects.exists()
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []
    # When it is given, the picture is uploaded and shown in the editor
    page.get_by_label("替代文本（用文字说明图片的内容，供读屏软件朗读）").fill("办事流程图")
    page.get_by_role("button", name="上传并插入").click()
    page.locator(".rte-content img[alt='办事流程图']").wait_for()
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/admin/catalog/\d+/$"))
    image = RichTextImage.objects.get()
    item = Item.objects.get(pk=item.pk)
    assert f'<img src="{image.url}" alt="办事流程图">' in item.body

    # Then, once published, the public page shows it (loaded from our own origin)
    for step in ("submit", "secrecy_pass", "publish"):
        item = catalog_workflow.item_transition(actor=SYSTEM_TEST, item=item, step=step)
    page.goto(f"{live_server.url}/gk/{org.code}/xxgk/{item.pk}/")
    shown = page.locator(".doc-body img")
    assert shown.get_attribute("alt") == "办事流程图"
    assert page.evaluate("document.querySelector('.doc-body img').naturalWidth") == 120
    assert page.evaluate("window.__csp") == [] and errors == []
