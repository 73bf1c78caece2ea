"""Screenshots of the main pages for docs/screenshots/ (desktop 1280 px and phone 375 px), taken from a running demo.

    make demo                      # in another terminal (or any server with the demo data loaded)
    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]

Uses Debian's Chromium through Playwright (as the browser tests do); nothing is downloaded. The staff pages used
every day (dashboard, inbox, application list and page with a step form open, letters, catalogue, reports, calendar,
organisations, audit log, users) are taken as the demo's 公开办管理员 (gkb). 长者模式 is switched on the way a visitor does it: the button, then the
choice kept in the browser. Images are cut at 3,300 px and stored with a 256-colour palette (small enough for git).
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from urllib.request import urlopen

from PIL import Image
from playwright.sync_api import Page, ViewportSize, sync_playwright

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "Gongkai@Demo2026"  # noqa: S105 (the demo's published password)
SIZES: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 375, "height": 740},
}
MAX_HEIGHT = 3300


def _first(base: str, path: str, pattern: str) -> str:
    """The first link on ``path`` matching ``pattern`` (so the script needs no database access)."""
    with urlopen(base + path) as response:  # noqa: S310 (the local demo)
        html = response.read().decode()
    match = re.search(pattern, html)
    if not match:
        raise SystemExit(f"找不到链接：{pattern}（{path}）")
    return match.group(0)


def pages(base: str) -> list[tuple[str, str]]:
    county = _first(base, "/", r"/gk/[0-9A-Z]{18}/(?=\">[^<]*县人民政府<)")
    item = _first(base, county + "fdzdgknr/", county + r"xxgk/\d+/")
    report = _first(base, county + "nianbao/", county + r"nianbao/\d{4}/")
    return [
        ("home", "/"),
        ("zhuanlan", county),
        ("list", county + "xxgk/"),
        ("item", item),
        ("report", report),
        ("guide", county + "zhinan/"),
        ("search", f"/search/?q=%E8%B4%A2%E6%94%BF&org={county.split('/')[2]}"),
    ]


def _links(page: Page, base: str, path: str, pattern: str) -> list[str]:
    """The links on the staff page ``path`` matching ``pattern``, in page order (as the logged-in user)."""
    page.goto(base + path)
    return list(dict.fromkeys(re.findall(pattern, page.content())))


def _letters(page: Page, base: str) -> tuple[str, str]:
    """A draft and an issued letter, found through the replied applications' pages."""
    draft = issued = ""
    details = [
        link
        for n in (1, 2, 3)
        for link in _links(
            page, base, f"/admin/applications/?status=replied&page={n}", r"/admin/applications/\d+/"
        )
    ]
    for detail in dict.fromkeys(details):
        page.goto(base + detail)
        for row in page.locator("li.letter-row").all():
            href = row.locator("a").first.get_attribute("href") or ""
            if "（草稿）" in row.inner_text():
                draft = draft or href
            elif "（已出具）" in row.inner_text():
                issued = issued or href
        if draft and issued:
            break
    return draft, issued


def staff_pages(page: Page, base: str) -> list[tuple[str, str, str]]:
    """(name, path, the step to open or "") of the back office's daily pages, found on the pages themselves."""
    application = _links(page, base, "/admin/applications/?status=registered", r"/admin/applications/\d+/")[0]
    draft, issued = _letters(page, base)
    item = _links(page, base, "/admin/catalog/", r"/admin/catalog/\d+/")[0]
    report = _links(page, base, "/admin/reports/", r"/admin/reports/\d+/")[0]
    user = _links(page, base, "/admin/users/", r"/admin/users/\d+/")[0]
    pages = [
        ("dashboard", "/admin/", ""),
        ("inbox", "/admin/applications/inbox/", ""),
        ("application-list", "/admin/applications/", ""),
        ("application-list-overdue", "/admin/applications/?overdue=on", ""),
        ("application-detail", application, "答复"),
        ("letter-draft", draft, ""),
        ("letter-issued", issued, ""),
        ("remedies", "/admin/applications/remedies/", ""),
        ("catalogue-list", "/admin/catalog/", ""),
        ("catalogue-item", item, ""),
        ("catalogue-form", "/admin/catalog/new/", ""),
        ("report-list", "/admin/reports/", ""),
        ("report", report, ""),
        ("report-check", "/admin/report-check/", ""),
        ("workdays", "/admin/workdays/", ""),
        ("orgs", "/admin/orgs/", ""),
        ("audit-log", "/admin/audit/", ""),
        ("users", "/admin/users/", ""),
        ("user", user, ""),
        ("notifications", "/admin/notifications/", ""),
    ]
    return [(name, path, opened) for name, path, opened in pages if path]


def shoot(page: Page, url: str, path: Path, opened: str = "") -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if opened:  # one step form of the page opened, as a clerk would
        page.locator("details.action > summary", has_text=re.compile(f"^{opened}$")).first.click()
    page.screenshot(path=str(path), full_page=True)
    with Image.open(path) as image:
        small = image.convert("RGB").crop((0, 0, image.width, min(image.height, MAX_HEIGHT)))
    small.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    targets = pages(args.base)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for size, viewport in SIZES.items():
            context = browser.new_context(locale="zh-CN", viewport=viewport)
            page = context.new_page()
            for name, path in targets:
                shoot(page, args.base + path, out / f"portal-{name}-{size}.png")
            # 长者模式, switched on with its button on the 专栏's home page
            page.goto(args.base + targets[1][1])
            page.get_by_role("button", name="长者模式").click()
            shoot(page, args.base + targets[1][1], out / f"portal-elder-mode-{size}.png")
            shoot(page, args.base + targets[3][1], out / f"portal-item-elder-mode-{size}.png")
            # the staff pages used every day, as the 公开办管理员
            page.goto(args.base + "/admin/login/")
            page.get_by_label("用户名").fill("gkb")
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(re.compile(r"/admin/$"))
            for name, path, opened in staff_pages(page, args.base):
                shoot(page, args.base + path, out / f"staff-{name}-{size}.png", opened)
            context.close()
        browser.close()
    print(f"截图已保存到 {out}/")


if __name__ == "__main__":
    main()
