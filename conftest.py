"""Project-wide pytest fixtures."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from gongkai.core.actors import SYSTEM_TEST
from gongkai.orgs.models import Level, OrgKind
from gongkai.orgs.tests.factories import OrganisationFactory

# Property tests assert what holds, never how fast: no per-example deadline and no "too slow" health check (a
# loaded CI machine made a calendar round trip fail on hypothesis' default 200 ms deadline). Speed is measured in
# bench/, not here.
settings.register_profile("gongkai", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("gongkai")


@pytest.fixture(autouse=True)
def _calendar_after_flush(request):
    """A transactional test (browser journeys, live server) starts from a flushed database, without the
    working-day calendar the migrations seeded: put it back, so deadlines are computed as in production
    (otherwise every year is unknown and every deadline provisional)."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from gongkai.workdays.models import CalendarYear
    from gongkai.workdays.services import seed_from_package

    if not CalendarYear.objects.exists():
        seed_from_package(actor=SYSTEM_TEST)


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    """Each test starts with an empty cache (rate limits, cached selectors, pages: shared and this process's, what
    renderings remembered) and no buffered page views; the page-view writer thread runs only where a test turns
    it on (catalog/tests/test_visits.py), so no write of it lands in another test's database."""
    from django.core.cache import cache

    from gongkai.catalog import visits
    from gongkai.core.pagecache.kept import forget_everything
    from gongkai.core.templatetags import remembered  # noqa: F401 (its store exists before the first clear)

    cache.clear()
    forget_everything()
    visits.column_visits_discard()
    monkeypatch.setattr(visits, "VISIT_FLUSH_IN_BACKGROUND", False)
    yield
    cache.clear()
    forget_everything()
    visits.column_visits_discard()
    visits.column_visits_stop()  # a thread a test started: its last write finds nothing left


@pytest.fixture
def org_tree(db):
    """city → county (own) → department (child); city → other county (sibling of own)."""
    city = OrganisationFactory(name="测试市人民政府", level=Level.CITY, kind=OrgKind.GOVERNMENT)
    county = OrganisationFactory(
        name="测试县人民政府", parent=city, level=Level.COUNTY, kind=OrgKind.GOVERNMENT
    )
    dept = OrganisationFactory(
        name="测试县财政局", parent=county, level=Level.COUNTY, kind=OrgKind.DEPARTMENT
    )
    sibling = OrganisationFactory(
        name="邻县人民政府", parent=city, level=Level.COUNTY, kind=OrgKind.GOVERNMENT
    )
    return {"parent": city, "own": county, "child": dept, "sibling": sibling}


# --- Browser journeys (Playwright driving Debian's Chromium) -------------------------------

import os  # noqa: E402
from pathlib import Path  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"
CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test session (the system's, never a downloaded one)."""
    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable in test code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"找不到 Chromium：{CHROMIUM}（make test 会通过 apt-get 安装）")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context per test; a screenshot of the last page is kept in test-artifacts/."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()
