"""Two application nodes behind one (imagined) load balancer, sharing PostgreSQL, Redis and the media folder, plus
a job worker: everything a visitor or a clerk does behaves as on one node (issue 22).

PostgreSQL pass only (the nodes are separate processes and must see the test database, which the SQLite pass
keeps in memory), and only with Redis on 127.0.0.1:6379 (``GONGKAI_TEST_REDIS_URL``, default database 13,
flushed). Each test drives both nodes at once from many threads, then stops them gracefully, and asserts no
error answer and no traceback in either node's log. Nothing here measures speed.
"""

from __future__ import annotations

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from itertools import cycle
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

from gongkai.accounts.services import api_token_create
from gongkai.applications.models import Application
from gongkai.catalog.models import ColumnVisit, Item
from gongkai.catalog.tests.factories import published_item
from gongkai.core.actors import SYSTEM_TEST
from gongkai.core.tests.cluster import Cluster, Node, Visitor, node_env, wait_for
from gongkai.orgs.models import Role
from gongkai.orgs.services import org_update
from gongkai.orgs.tests.factories import MembershipFactory, UserFactory

REDIS_URL = os.environ.get("GONGKAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
PASSWORD = "Two-nodes-2026!"


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:  # noqa: BLE001 — any failure means "no Redis here"
        return False


pytestmark = [
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="two nodes run in the PostgreSQL pass (separate processes need a shared database server)",
    ),
    pytest.mark.skipif(ON_POSTGRES and not _redis_up(), reason=f"no Redis answers at {REDIS_URL}"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def cluster(settings, tmp_path):
    """Two nodes (and a worker when asked); this test process shares their Redis, so its services' page-cache
    bumps reach them as another node's would."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    settings.GONGKAI_PAGE_CACHE = True
    (tmp_path / "var" / "media").mkdir(parents=True)
    env = node_env(
        database=connection.settings_dict,
        redis_url=REDIS_URL,
        var=tmp_path / "var",
        audit_key=settings.GONGKAI_AUDIT_KEY,
    )
    running = Cluster(env=env, logs=tmp_path)
    yield running
    running.stop()


def _all(jobs, workers: int = 8) -> list:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda job: job(), jobs))


def _staff(role_set: tuple[str, ...], org, username: str):
    """A user the nodes can log in (their hasher is production's Argon2, not the test settings' MD5)."""
    user: Any = UserFactory(username=username)
    user.password = make_password(PASSWORD, hasher="argon2")
    user.save(update_fields=["password"])
    for role in role_set:
        MembershipFactory(user=user, org=org, role=role)
    return user


FORM = {
    "applicant_type": "natural", "id_type": "resident_id", "id_number": "11010519491231002X",
    "phone": "13900000000", "address": "测试路1号", "info_description": "两节点测试",
    "delivery_form": "electronic", "delivery_method": "email", "agree": "on", "website": "",
}  # fmt: skip


def _submit(visitor: Visitor, node: Node, org_code: str, n: int) -> str:
    """A citizen's online application through ``node``; the tracking code and 查询码 from the done page."""
    fields = {**FORM, "name": f"申请人{n}", "email": f"a{n}@example.com", "info_title": f"两节点申请第{n}号"}
    reply = visitor.post_form(node, f"/ysqgk/{org_code}/", fields)
    if reply.status != 302:
        return f"HTTP {reply.status}"
    return reply.header("Location")


def _done(visitor: Visitor, node: Node, org_code: str) -> tuple[str, str]:
    page = visitor.get(node, f"/ysqgk/{org_code}/done/").text
    code = re.search(r'id="tracking-code">([^<]+)<', page)
    secret = re.search(r'id="secret">([^<]+)<', page)
    assert code and secret, page[:500]
    return code.group(1), secret.group(1)


def test_public_pages_submissions_and_counters_behave_as_on_one_node(cluster, org_tree):
    a, b = cluster.start_nodes(2)
    county, dept, other = org_tree["own"], org_tree["child"], org_tree["sibling"]
    item = published_item(other, title="邻县公开的通知")

    # The page cache is shared: a copy rendered on one node is served by the other, with the same validators.
    reader = Visitor("198.51.100.1")
    first = reader.get(a, f"/gk/{county.code}/xxgk/")
    again = reader.get(b, f"/gk/{county.code}/xxgk/")
    assert (first.header("X-Page-Cache"), again.header("X-Page-Cache")) == ("miss", "hit")
    assert first.header("ETag") == again.header("ETag") and first.text == again.text
    assert reader.get(b, f"/gk/{county.code}/xxgk/", **{"If-None-Match": first.header("ETag")}).status == 304
    # A change made anywhere (here: this process, a third node) shows on the next request to either node.
    for node in (a, b):
        assert reader.get(node, f"/gk/{county.code}/fdzdgknr/").status == 200
        assert reader.get(node, f"/gk/{county.code}/fdzdgknr/").header("X-Page-Cache") == "hit"
    published_item(county, title="县政府新发布的公告")
    for node in (b, a):
        for path in (f"/gk/{county.code}/xxgk/", f"/gk/{county.code}/fdzdgknr/"):
            assert "县政府新发布的公告" in reader.get(node, path).text, (node.name, path)

    # 申请编号 and 查询码: 16 citizens (16 addresses) submit at once through both nodes; each sees its done page
    # and its status on the other node (the anonymous session and the application are shared).
    citizens = [
        (Visitor(f"203.0.113.{n}"), node, n) for n, node in zip(range(1, 17), cycle((a, b)), strict=False)
    ]
    locations = _all([lambda v=v, nd=nd, n=n: _submit(v, nd, dept.code, n) for v, nd, n in citizens])
    assert all(loc.endswith(f"/ysqgk/{dept.code}/done/") for loc in locations), locations
    for visitor, node, _ in citizens:
        other_node = b if node is a else a
        code, secret = _done(visitor, other_node, dept.code)
        status = visitor.post_form(node, "/ysqgk/status/", {"tracking_code": code, "secret": secret})
        assert status.status == 200 and code in status.text and "两节点申请第" in status.text
    codes = sorted(Application.objects.filter(org=dept).values_list("tracking_code", flat=True))
    serials = [int(c[-6:]) for c in codes]
    assert len(set(codes)) == 16 and serials == list(range(serials[0], serials[0] + 16))  # unique, gap-free

    # Rate limits are counted once for both nodes: 5 submissions an hour from one address, then 429 on either.
    flood = Visitor("192.0.2.77")
    answers = [
        _submit(flood, node, dept.code, 100 + n) for n, node in zip(range(7), cycle((a, b)), strict=False)
    ]
    assert [x.endswith("/done/") for x in answers] == [True] * 5 + [False] * 2
    assert answers[5:] == ["HTTP 429", "HTTP 429"]
    guesser = Visitor("192.0.2.78")
    wrong = [
        guesser.post_form(node, "/ysqgk/status/", {"tracking_code": codes[0], "secret": f"wrong{n}"}).status
        for n, node in zip(range(22), cycle((a, b)), strict=False)
    ]
    assert wrong == [200] * 20 + [429, 429]  # 20 wrong guesses an hour per address (status_lookup.py)

    # Page views: 120 views of the neighbour county's pages, at once on both nodes, cached copies and 304s mixed.
    paths = [f"/gk/{other.code}/xxgk/{item.pk}/", f"/gk/{other.code}/xxgk/", f"/gk/{other.code}/zhidu/"]
    visitors = [Visitor(f"198.51.100.{n}") for n in range(10, 22)]

    def views(visitor: Visitor, node: Node) -> list[int]:
        out = []
        for n in range(10):
            path = paths[n % 3]
            etag = visitor.get(node, path).header("ETag") if n == 9 else ""
            out.append(visitor.get(node, path, **({"If-None-Match": etag} if etag else {})).status)
        return out

    statuses = _all([lambda v=v, nd=nd: views(v, nd) for v, nd in zip(visitors, cycle((a, b)), strict=False)])
    assert all(s in (200, 304) for row in statuses for s in row)
    # every visitor: 9 views, then one more view whose ETag was sent back (a 304): 11 answers, 11 views
    cluster.stop()  # the nodes write their buffered views as they exit
    counts = {v.column: v.count for v in ColumnVisit.objects.filter(org=other)}
    assert counts == {"fdzdgknr": 12 * 8, "zhidu": 12 * 3}
    assert not cluster.errors_logged()


def test_staff_sessions_lockout_index_numbers_publication_and_jobs_behave_as_on_one_node(cluster, org_tree):
    a, b = cluster.start_nodes(2)
    cluster.start_worker()
    county = org_tree["own"]
    org_update(
        actor=SYSTEM_TEST, org=county, four_eyes=False
    )  # one clerk may take an item through every step
    clerk = _staff((Role.CLERK, Role.SECRECY_REVIEWER, Role.REVIEWER), county, "twonodes_clerk")
    _staff((Role.CLERK,), county, "twonodes_other")

    # Sessions: logged in on one node, known on the other; logged out on the other, gone on the first.
    clerk_browser = Visitor("198.51.100.50")
    login = clerk_browser.post_form(a, "/admin/login/", {"username": clerk.username, "password": PASSWORD})
    assert login.status == 302 and "/login" not in login.header("Location"), login.status
    assert clerk_browser.get(b, "/admin/").status == 200
    assert clerk_browser.post_form(b, "/admin/logout/", {}, token_from="/admin/").status == 302
    assert clerk_browser.get(a, "/admin/").status == 302

    # Login lockout (django-axes): AXES_FAILURE_LIMIT (5, the nodes' settings as this process's) wrong passwords for
    # that address, split over both nodes, lock the account on both; the right password is then refused on either
    # node. The failures below the limit go at once over both nodes: none is answered with the lockout (it fires on
    # no earlier failure) and none is lost; the one that reaches the limit is answered with it.
    limit = settings.AXES_FAILURE_LIMIT
    intruder = Visitor("203.0.113.200")
    intruder.get(a, "/admin/login/")  # its CSRF cookie first, as a browser has it before posting from tabs

    def wrong_password(node: Node) -> int:
        fields = {"username": "twonodes_other", "password": "x"}
        return intruder.post_form(node, "/admin/login/", fields).status

    def failures() -> list[int]:
        attempts = AccessAttempt.objects.filter(username="twonodes_other")
        return [x.failures_since_start for x in attempts]

    nodes = [(a, b)[n % 2] for n in range(limit)]
    below = _all([lambda node=node: wrong_password(node) for node in nodes[:-1]], workers=limit - 1)
    assert below == [200] * (limit - 1), below  # the form again with its error: not locked yet
    assert failures() == [limit - 1]  # none lost, none counted twice
    assert wrong_password(nodes[-1]) == 429  # the failure that reaches the limit
    assert failures() == [limit]
    for node in (a, b):
        right = intruder.post_form(
            node, "/admin/login/", {"username": "twonodes_other", "password": PASSWORD}
        )
        assert right.status == 429, (node.name, right.status)

    # 索引号: 20 items drafted at once through both nodes' API get 20 distinct, consecutive numbers.
    token = api_token_create(actor=SYSTEM_TEST, user=clerk, name="两节点测试")
    api = Visitor("198.51.100.51")

    def draft(node: Node, n: int) -> str:
        body = {"org_code": county.code, "title": f"两节点起草第{n}号", "statutory_item": "a20_01"}
        reply = api.json(node, "POST", "/api/catalog/items", token, json.dumps(body).encode())
        assert reply.status == 201, reply.text
        return str(json.loads(reply.text)["index_no"])

    numbers = _all(
        [lambda n=n, node=node: draft(node, n) for n, node in zip(range(20), cycle((a, b)), strict=False)]
    )
    serials = sorted(int(x.rsplit("-", 1)[1]) for x in numbers)
    assert len(set(numbers)) == 20 and serials == list(range(serials[0], serials[0] + 20))

    # Publishing through one node shows in the county's list and 专栏 on the next request to either node.
    pages = [f"/gk/{county.code}/xxgk/", f"/gk/{county.code}/fdzdgknr/"]
    reader = Visitor("198.51.100.52")
    for node in (a, b):
        for path in pages:
            reader.get(node, path)
            assert reader.get(node, path).header("X-Page-Cache") == "hit"
    item = Item.objects.get(title="两节点起草第7号")
    for step in ("submit", "secrecy_pass", "publish"):
        body = json.dumps({"step": step, "comment": "同意"}).encode()
        reply = api.json(a, "POST", f"/api/catalog/items/{item.pk}/transition", token, body)
        assert reply.status == 200, reply.text
    for node in (b, a):
        for path in pages:
            assert "两节点起草第7号" in reader.get(node, path).text, (node.name, path)

    # A job started on one node runs in the worker; its page, on the other node, shows the result.
    from gongkai.reports.tests.importing import synth
    from gongkai.reports.tests.importing.seed_001_expected import TABLE2, TABLE3_ROWS, TABLE4

    doc = {"unit": "洛江区", "year": 2020, "format": "2019", "sections": {"一": "全区受理申请9件。", "五": "无。", "六": "无。"},
           "table2": TABLE2, "table3": {"columns": [], "rows": TABLE3_ROWS}, "table4": TABLE4}  # fmt: skip
    staff = Visitor("198.51.100.53")
    assert (
        staff.post_form(a, "/admin/login/", {"username": clerk.username, "password": PASSWORD}).status == 302
    )
    upload = staff.post_files(
        a,
        "/admin/report-check/",
        {"output": "page"},
        [("reports", "洛江区.html", synth.to_html(doc))],
    )
    assert upload.status == 302 and "/admin/jobs/" in upload.header("Location"), upload.status
    job_path = upload.header("Location").split(f":{a.port}")[-1].rstrip("/") + "/status/"

    def finished() -> dict | None:
        state = json.loads(staff.get(b, job_path).text)
        return state if state["status"] in ("succeeded", "failed") else None

    assert wait_for(finished, "the job in the worker")["status"] == "succeeded"
    cluster.stop()
    assert not cluster.errors_logged()
