"""The public page cache (core/pagecache): kept copies, generations, validators, what is never kept.

The views are core/tests/pagecache_urls.py (no app involved). The pages of the portal and the services that
retire them are tested in portal/tests/test_page_cache.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from gongkai.core import pagecache
from gongkai.core.pagecache import copies, counting, generations, release
from gongkai.core.pagecache.local import LOCAL
from gongkai.core.tests import pagecache_urls as views

pytestmark = [pytest.mark.urls("gongkai.core.tests.pagecache_urls"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _on(settings):
    settings.GONGKAI_PAGE_CACHE = True
    settings.GONGKAI_PAGE_MAX_AGE = 0
    views.RENDERS.clear()
    views.VIEWS.clear()


def test_a_second_visit_is_answered_from_the_cache_with_validators(client):
    first = client.get("/p/a/")
    second = client.get("/p/a/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert first.content == second.content and views.RENDERS == ["a?"]
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert second["Cache-Control"] == "public, no-cache"
    assert second["ETag"] == first["ETag"] and second["ETag"].startswith('"')
    assert second["Last-Modified"] == first["Last-Modified"]
    assert client.head("/p/a/")["X-Page-Cache"] == "hit"


def test_a_conditional_get_is_answered_304_and_every_answer_counts_a_view(client):
    etag = client.get("/p/a/")["ETag"]
    not_modified = client.get("/p/a/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    since = client.get("/p/a/")["Last-Modified"]
    assert client.get("/p/a/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    assert client.get("/p/a/", HTTP_IF_NONE_MATCH='"other"').status_code == 200
    # one render; five answers (two full, two 304, one full), five views counted
    assert views.RENDERS == ["a?"]
    assert views.VIEWS == [("page", "a")] * 5


def test_a_bump_retires_the_copies_of_its_scope_only(client):
    client.get("/p/a/")
    client.get("/p/b/")
    pagecache.bump(["test:a"])
    assert client.get("/p/a/")["X-Page-Cache"] == "miss"
    assert client.get("/p/b/")["X-Page-Cache"] == "hit"
    pagecache.bump_everything()
    assert client.get("/p/b/")["X-Page-Cache"] == "miss"
    assert views.RENDERS == ["a?", "b?", "a?", "b?"]


def test_the_new_copy_has_a_new_etag_when_the_page_changed(client):
    first = client.get("/p/a/")
    pagecache.bump(["test:a"])
    second = client.get("/p/a/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]  # the body counts its renders


def test_a_bump_in_a_transaction_is_repeated_after_the_commit(client, django_capture_on_commit_callbacks):
    before = pagecache.current(["test:a"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        pagecache.bump(["test:a"])
        during = pagecache.current(["test:a"])
    after = pagecache.current(["test:a"])
    assert len(callbacks) == 1
    assert before < during < after  # a copy stored between the two bumps is retired by the second


def test_generations_start_by_themselves_and_never_go_backwards():
    first = generations.current(["test:new"])
    assert first[0] > 0 and generations.current(["test:new"]) == first
    generations.page_cache().set(generations.key("test:new"), 2**62)  # a clock far ahead on another node
    pagecache.bump(["test:new"])
    assert generations.current(["test:new"])[0] > 2**62


def test_query_parameters_the_view_does_not_read_share_the_copy(client):
    a = client.get("/p/a/", {"page": "2", "from": "singlemessage"})
    b = client.get("/p/a/", {"page": "2"})
    c = client.get("/p/a/", {"page": "", "isappinstalled": "0"})
    assert (a["X-Page-Cache"], b["X-Page-Cache"], c["X-Page-Cache"]) == ("miss", "hit", "miss")
    assert views.RENDERS == ["a?page=2", "a?"]  # the view never saw the parameters it does not declare


def test_a_rendering_marked_not_cacheable_is_served_each_time(client):
    client.get("/p/a/", {"page": "99"})
    assert "X-Page-Cache" not in client.get("/p/a/", {"page": "99"})
    assert views.RENDERS == ["a?page=99", "a?page=99"]


def test_a_visitor_with_a_session_gets_a_private_uncached_page(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abc"
    client.get("/p/a/")
    response = client.get("/p/a/")
    assert "X-Page-Cache" not in response and "private" in response["Cache-Control"]
    assert views.RENDERS == ["a?", "a?"]


@pytest.mark.parametrize("path", ["/form/", "/cookie/", "/missing/"])
def test_pages_with_a_csrf_token_a_cookie_or_an_error_are_never_kept(client, path):
    client.get(path)
    client.get(path)
    assert len(views.RENDERS) == 2


def test_switched_off_it_renders_every_time_and_adds_nothing(client, settings):
    settings.GONGKAI_PAGE_CACHE = False
    client.get("/p/a/")
    response = client.get("/p/a/")
    assert views.RENDERS == ["a?", "a?"] and "ETag" not in response and "Cache-Control" not in response


def test_a_max_age_may_be_allowed(client, settings):
    settings.GONGKAI_PAGE_MAX_AGE = 30
    assert client.get("/p/a/")["Cache-Control"] == "public, max-age=30"


def test_without_a_cache_the_page_is_still_served(client, monkeypatch):
    def away(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(generations.page_cache(), "get_many", away)
    assert client.get("/p/a/").status_code == 200
    assert client.get("/p/a/").status_code == 200
    assert views.RENDERS == ["a?", "a?"]
    pagecache.bump(["test:a"])  # a service's change does not fail either (it is logged)


def test_a_copy_from_another_day_or_release_is_not_served(client, monkeypatch):
    client.get("/p/a/")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(copies, "local_date", lambda: tomorrow)
    assert client.get("/p/a/")["X-Page-Cache"] == "miss"
    assert client.get("/p/a/")["X-Page-Cache"] == "hit"
    monkeypatch.setattr(release, "fingerprint", lambda: "another-release")
    assert client.get("/p/a/")["X-Page-Cache"] == "miss"


def test_the_release_fingerprint_covers_templates_and_site_settings(settings):
    release.fingerprint.cache_clear()
    one = release.fingerprint()
    settings.GONGKAI_SITE_NAME = "另一个平台"
    release.fingerprint.cache_clear()
    try:
        assert release.fingerprint() != one
    finally:
        release.fingerprint.cache_clear()


@pytest.fixture
def fast_path(settings):
    settings.GONGKAI_PAGE_CACHE_PATHS = "gongkai.core.tests.pagecache_urls.scopes_of_path"


def test_the_middleware_answers_a_kept_page_before_url_resolution(client, settings, fast_path):
    first = client.get("/p/a/", {"page": "2"})
    assert first["X-Page-Cache"] == "miss" and first["X-Frame-Options"] == "DENY"
    settings.ROOT_URLCONF = "gongkai.core.tests.no_urls"  # no view left to answer
    hit = client.get("/p/a/", {"page": "2"})
    assert hit.status_code == 200 and hit["X-Page-Cache"] == "hit" and hit.content == first.content
    # with the headers the inner middleware added when it was rendered, and the outer ones added again
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Content-Type"):
        assert hit[header] == first[header], header
    assert views.VIEWS == [("page", "a")] * 2 and views.RENDERS == ["a?page=2"]
    assert client.get("/p/a/", {"page": "2"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_middleware_leaves_other_addresses_to_the_view(client, settings, fast_path):
    client.get("/p/a/", {"page": "2"})
    # an undeclared parameter: no copy under that address, the decorator finds the page's
    assert client.get("/p/a/", {"page": "2", "from": "timeline"})["X-Page-Cache"] == "hit"
    # a path the middleware does not cover costs no cache round trip and is answered by its view
    settings.ROOT_URLCONF = "gongkai.core.tests.no_urls"
    assert client.get("/p/a/", {"page": "2", "from": "timeline"}).status_code == 404
    assert client.get("/form/").status_code == 404


def test_the_middleware_serves_no_session_and_no_retired_copy(client, settings, fast_path):
    client.get("/p/a/")
    pagecache.bump(["test:a"])
    assert client.get("/p/a/")["X-Page-Cache"] == "miss"
    client.cookies[settings.SESSION_COOKIE_NAME] = "abc"
    assert "X-Page-Cache" not in client.get("/p/a/")
    assert views.RENDERS == ["a?", "a?", "a?"]


def test_the_day_is_worked_out_once_and_again_when_it_ends(monkeypatch):
    copies._days.clear()
    today = copies.timezone.localdate()
    assert copies.local_date() == today
    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(copies.timezone, "localdate", lambda: tomorrow)
    assert copies.local_date() == today  # the day is not over: not asked again
    _, end, _ = copies._days[copies.settings.TIME_ZONE]
    monkeypatch.setattr(copies.time, "time", lambda: end + 1)
    assert copies.local_date() == tomorrow


class CountingCache:
    """The page cache, recording the keys of every read."""

    def __init__(self, cache):
        self.cache, self.reads = cache, []

    def __getattr__(self, name):
        return getattr(self.cache, name)

    def get_many(self, keys):
        self.reads.append(list(keys))
        return self.cache.get_many(keys)


def test_a_copy_kept_in_the_process_costs_a_read_of_the_generations_only(client, fast_path, monkeypatch):
    first = client.get("/p/a/", {"page": "2"})
    assert len(LOCAL) == 1
    spy = CountingCache(generations.page_cache())
    monkeypatch.setattr(generations, "page_cache", lambda: spy)
    hit = client.get("/p/a/", {"page": "2"})
    assert hit["X-Page-Cache"] == "hit" and hit.content == first.content and hit["ETag"] == first["ETag"]
    assert spy.reads == [[generations.key(pagecache.EVERYTHING), generations.key("test:a")]]
    assert views.VIEWS == [("page", "a")] * 2 and views.RENDERS == ["a?page=2"]


def test_a_copy_kept_in_the_process_is_retired_by_a_bump_on_any_node(client, fast_path):
    client.get("/p/a/")
    assert client.get("/p/a/")["X-Page-Cache"] == "hit"
    pagecache.bump(["test:a"])  # another node's bump: only the shared generations change
    assert client.get("/p/a/")["X-Page-Cache"] == "miss"
    assert views.RENDERS == ["a?", "a?"]


def test_a_copy_another_node_kept_is_taken_when_the_process_has_an_older_one(client, fast_path):
    client.get("/p/a/")
    ((key, older),) = LOCAL.items()  # this process keeps the copy of before the bump
    pagecache.bump(["test:a"])
    LOCAL.clear()  # "another node" renders the page again and keeps it in the shared cache
    newer = client.get("/p/a/")
    LOCAL.put_copy(key, *older)
    hit = client.get("/p/a/")
    assert hit["X-Page-Cache"] == "hit" and hit["ETag"] == newer["ETag"]
    assert LOCAL.get(key)[0].generations != older[0].generations  # the newer copy replaced it here
    assert views.RENDERS == ["a?", "a?"]


def test_the_copies_kept_in_the_process_stay_within_their_bytes(settings):
    settings.GONGKAI_PAGE_LOCAL_BYTES = 100
    copy = copies.Copy((), (), "", (), b"", '"x"', 0, ())
    LOCAL.put_copy("one", copy, b"a" * 60)
    LOCAL.put_copy("two", copy, b"b" * 60)  # the least recently used goes
    LOCAL.put_copy("big", copy, b"c" * 101)  # larger than all: never kept
    assert LOCAL.get("one") is None and LOCAL.get("two") == (copy, b"b" * 60) and LOCAL.get("big") is None


# --- What a miss's rendering reuses (memo.py, templatetags/remembered.py) ------------------------------------


def _render_page(scopes: tuple[str, ...], fn):
    """``fn()`` as a cached page's view runs it: under the generations of ``scopes`` read on this request."""
    with counting.rendering((scopes, generations.current(scopes))):
        return fn()


def test_a_remembered_value_is_reused_under_the_same_generations_and_retired_by_their_bump():
    computed: list[str] = []

    def compute(name: str) -> str:
        computed.append(name)
        return name

    def value(name: str, scopes=None):
        return pagecache.remembered(name, "vary", lambda: compute(name), scopes=scopes)

    def both():
        return value("page"), value("tree", scopes=(pagecache.EVERYTHING,))

    page = (pagecache.EVERYTHING, "test:a")
    assert _render_page(page, both) == ("page", "tree") and _render_page(page, both) == ("page", "tree")
    assert computed == ["page", "tree"]  # the second rendering reused both
    computed.clear()
    pagecache.bump(["test:a"])  # e.g. a publication: the page's own scope
    _render_page(page, both)
    assert computed == ["page"]  # what depends on the tree only is still current
    computed.clear()
    pagecache.bump_everything()  # e.g. an organisation renamed
    _render_page(page, both)
    assert computed == ["page", "tree"]
    computed.clear()
    (
        value("page"),
        value("page"),
    )  # outside a cached page's rendering (a logged-in visitor): computed each time
    _render_page(
        ("test:b",), lambda: value("tree", scopes=(pagecache.EVERYTHING,))
    )  # not a scope of that page
    assert computed == ["page", "page", "tree"]


def test_a_remembered_fragment_is_rendered_once_per_inputs():
    from django.template import Context, Template

    rendered: list[str] = []

    class Spy:
        def __init__(self, name: str) -> None:
            self.name = name

        def __str__(self) -> str:
            rendered.append(self.name)
            return self.name

    template = Template('{% load remembered %}<p>{% remember "t" name %}{{ spy }}{% endremember %}</p>')

    def html(name: str) -> str:
        return template.render(Context({"name": name, "spy": Spy(name)}))

    assert (html("甲"), html("甲"), html("乙")) == ("<p>甲</p>", "<p>甲</p>", "<p>乙</p>")
    assert rendered == ["甲", "乙"]  # another input value is another fragment; the same one is reused


# --- What a process keeps is bounded in age by the page cache's lifetime (kept.py) ---------------------------


def test_what_a_process_keeps_is_not_served_after_the_page_cache_lifetime(settings, monkeypatch):
    from gongkai.core.pagecache import kept

    settings.GONGKAI_PAGE_CACHE_SECONDS = 600
    now = [1000.0]
    monkeypatch.setattr(kept.time, "monotonic", lambda: now[0])
    copy = copies.Copy((), (), "", (), b"", '"x"', 0, ())
    LOCAL.put_copy("page", copy, b"body")
    computed: list[int] = []
    page = (pagecache.EVERYTHING,)

    def tree():
        return _render_page(
            page, lambda: pagecache.remembered("tree", "v", lambda: computed.append(1) or "tree")
        )

    tree()
    now[0] += 600  # the lifetime itself: still served
    tree()
    assert LOCAL.get("page") == (copy, b"body") and computed == [1]
    now[0] += 1  # older than a shared copy can be: gone, as the shared copies are
    tree()
    assert LOCAL.get("page") is None and len(LOCAL) == 0 and computed == [1, 1]


class _Away:
    """A shared cache that answers reads but cannot take writes (Redis going away in the middle of a change)."""

    def __init__(self, cache):
        self.cache = cache

    def __getattr__(self, name):
        return getattr(self.cache, name)

    def set_many(self, *args, **kwargs):
        raise ConnectionError("redis away")


def test_a_failed_bump_makes_this_process_forget_what_it_keeps(settings, monkeypatch, caplog):
    page = (pagecache.EVERYTHING,)
    computed: list[int] = []

    def tree():
        return _render_page(
            page, lambda: pagecache.remembered("tree", "v", lambda: computed.append(1) or "t")
        )

    tree()
    copy = copies.Copy((), (), "", (), b"", '"x"', 0, ())
    LOCAL.put_copy("page", copy, b"body")
    shared = generations.page_cache()
    monkeypatch.setattr(generations, "page_cache", lambda: _Away(shared))
    pagecache.bump_everything()  # e.g. an organisation renamed while the cache could not be written
    monkeypatch.setattr(generations, "page_cache", lambda: shared)
    assert "not bumped" in caplog.text
    assert LOCAL.get("page") is None  # the generations did not change: only forgetting retires these
    tree()
    assert computed == [1, 1]
