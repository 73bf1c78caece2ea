"""Issue 18, defect 6: no page of the demo shows a vocabulary code or an English word to a person.

The demo is loaded once; every public page and every staff page reachable by links is rendered as each role
(anonymous visitor, 系统管理员 with a verified second factor, 公开办, 经办人, 审核人, 保密审查员, 上级) and its
visible text (with placeholders, titles and accessible names) is checked against

- every value of every ``TextChoices`` in the project (collected from the modules, not listed by hand) that is
  made of Latin letters, matched as a whole token (``internet``, ``cell_blank``, ``table2``);
- coded values after a label (「办理结果：2」: outcome codes are digits);
- any Latin word of two letters or more, except a short allowlist of names people read as they are.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlsplit

import lxml.html
import pytest
from django.db import models
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

import gongkai
from gongkai.accounts.models import User
from gongkai.backoffice.demo import load_demo

pytestmark = pytest.mark.django_db

# Names read as they are on Chinese government sites and in this product's own UI.
ALLOWED_LATIN = {
    "API", "PDF", "DOCX", "XLSX", "CSV", "RSS", "ICP", "JSON", "Excel", "Word", "WPS", "OFD", "TOTP", "IP", "URL",
    "ID", "HTML", "SM", "SHA", "HMAC", "PNG", "JPG", "JPEG", "TIF", "TIFF", "OpenAPI", "ZIP", "XML", "UTF", "GB",
    "App", "QR", "OCR", "OK", "KB", "MB", "GBK", "GB18030",
}  # fmt: skip
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_.@/-])[A-Za-z][A-Za-z0-9_]+(?![A-Za-z0-9_@])")
SERIAL = re.compile(r"[A-Z]{1,3}[0-9]+")  # 申请编号 YS2026000001, SM3: a serial, not a word
# A label followed by a bare code (the outcome codes of 表三 are digits: 「办理结果：2」, 「办理结果：1 15件」).
CODED_AFTER_LABEL = re.compile(
    r"(?:办理结果|渠道|状态|类型|申请人类型)[：:]\s*[0-9]+(?:\.[0-9]+)?(?![0-9.]*\s*[件日年月天条个%])"
)
EMAIL_OR_URL = re.compile(r"[\w.+-]+@[\w.-]+|https?://\S+|/[\w./?=&%-]+")
MAX_PER_PATTERN = 2  # pages per URL shape (digits replaced), so a list of 55 applications costs two pages
SKIP = ("/admin/logout", "/api/", "/static/", "/media/", "/admin/login", "rss.xml", ".pdf", ".docx", ".xlsx", ".csv",
        ".json", "/files/", "/attachments/", "/do/", "export=")  # fmt: skip


def _choices_classes() -> Iterator[type[models.Choices]]:
    for info in pkgutil.walk_packages(gongkai.__path__, "gongkai."):
        if any(part in info.name for part in (".tests", ".migrations", ".management")):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, models.Choices)
                and value.__module__ == info.name
            ):
                yield value


def vocabulary_codes() -> set[str]:
    """Every Latin-lettered value of every TextChoices of the project."""
    codes = set()
    for choices in _choices_classes():
        for value in choices.values:
            if isinstance(value, str) and re.search(r"[A-Za-z]", value):
                codes.add(value)
    return codes


def visible_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    # not shown, or marked as not to be translated (product names, a secret to type, an HTTP header sample)
    for bad in tree.xpath(
        "//script|//style|//head|//*[@hidden]|//*[@aria-hidden='true']|//*[@translate='no']"
    ):
        bad.drop_tree()
    parts = [tree.text_content()]
    for attr in ("placeholder", "title", "aria-label", "alt"):
        parts += tree.xpath(f"//@{attr}")
    parts += tree.xpath("//input[@type='submit' or @type='button']/@value")
    return "\n".join(parts)


def problems(text: str, codes: set[str], data: frozenset[str] = frozenset()) -> list[str]:
    """What ``text`` shows that a person should not see; ``data``: Latin words that are records' own data
    (the demo users' login names), not UI text."""
    text = EMAIL_OR_URL.sub(" ", text)
    found = [f"代码「{m.group(0)}」" for m in CODED_AFTER_LABEL.finditer(text)]
    for m in LATIN_WORD.finditer(text):
        word = m.group(0)
        if SERIAL.fullmatch(word) or word in data:
            continue
        if word in codes:
            found.append(f"词表代码「{word}」")
        elif word not in ALLOWED_LATIN and word.upper() not in ALLOWED_LATIN:
            found.append(f"英文「{word}」")
    return found


def crawl(
    client, seeds: list[str], codes: set[str], data: frozenset[str], limit: int = 120
) -> dict[str, list[str]]:
    """Render pages from ``seeds`` following same-site links; the problems found on each."""
    seen: set[str] = set()
    per_shape: dict[str, int] = defaultdict(int)
    queue = list(seeds)
    found: dict[str, list[str]] = {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        bad = problems(visible_text(html), codes, data)
        if bad:
            found[url] = sorted(set(bad))
        for href in lxml.html.fromstring(html).xpath("//a/@href"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or any(s in href for s in SKIP):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")
            shape = re.sub(r"\d+", "N", parts.path) + ("?" if parts.query else "")
            if link in seen or per_shape[shape] >= MAX_PER_PATTERN:
                continue
            per_shape[shape] += 1
            queue.append(link)
    return found


def test_vocabulary_codes_are_collected_from_the_project():
    codes = vocabulary_codes()
    # a few codes from different apps, to prove the collection reaches them all
    assert {"internet", "registered", "published"} <= codes


def test_the_checker_finds_what_the_issue_saw():
    codes = vocabulary_codes()
    for text in ("渠道：internet", "办理结果：2", "[cell_blank]", "单元格：sections:一", "见 table2", "办理结果：1 15件",
                 "Choose Files"):  # fmt: skip
        assert problems(text, codes), text
    assert not problems("下载 PDF 或 Excel；共 15 件；索引号 000014349/2024-00094；YS2026000001", codes)


def _login_verified(client, user: User) -> None:
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and user.is_superuser:
        device = TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def test_no_demo_page_shows_a_code_or_an_english_word(client):
    load_demo()
    codes = vocabulary_codes()
    county = gongkai.orgs.models.Organisation.objects.get(name="青山县人民政府")
    public = ["/", f"/gk/{county.code}/", f"/gk/{county.code}/xxgk/", f"/gk/{county.code}/nianbao/",
              f"/ysqgk/{county.code}/", "/ysqgk/status/", "/search/?q=%E8%B4%A2%E6%94%BF"]  # fmt: skip
    usernames = frozenset(User.objects.values_list("username", flat=True))
    report: dict[str, dict[str, list[str]]] = {"访客": crawl(client, public, codes, usernames)}
    for username in ("admin", "gkb", "jbr", "shr", "bmsc", "shiji"):
        client.logout()
        _login_verified(client, User.objects.get(username=username))
        report[username] = crawl(client, ["/admin/", "/admin/applications/", "/admin/catalog/", "/admin/reports/",
                                          "/admin/workdays/", "/admin/orgs/", "/admin/audit/"], codes, usernames)  # fmt: skip
    failures = {who: pages for who, pages in report.items() if pages}
    if failures:
        pytest.fail(
            "\n".join(
                f"{who} {url}: {'，'.join(bad)}"
                for who, pages in failures.items()
                for url, bad in pages.items()
            )
        )
