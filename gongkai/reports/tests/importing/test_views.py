"""The staff upload page: same output as the CLI, for staff only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.orgs.models import Role
from gongkai.orgs.tests.factories import TEST_PASSWORD, UserFactory, staff

from . import synth
from .conftest import seed

pytestmark = pytest.mark.django_db
URL = "/admin/report-check/"


def _login(client, user):
    assert (
        client.post("/admin/login/", {"username": user.username, "password": TEST_PASSWORD}).status_code
        == 302
    )


def _run(client, capture, files, output="page"):
    """Upload → a background job (run eagerly on commit) → the job's page, which shows the result."""
    with capture(execute=True):
        response = client.post(URL, {"reports": files, "output": output})
    assert response.status_code == 302 and response["Location"].startswith("/admin/jobs/")
    return response["Location"]


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_user_without_organisation_is_refused(client):
    user = UserFactory()
    _login(client, user)
    assert client.get(URL).status_code == 403


def test_clerk_uploads_files_and_sees_findings(
    client, org_tree, luojiang, django_capture_on_commit_callbacks
):
    # given a clerk and two files: seed 000 (tables missing) and 洛江区 as a GBK web page
    _login(client, staff(Role.CLERK, org_tree["own"]))
    files = [
        SimpleUploadedFile("阳新县.txt", seed("000").read_bytes()),
        SimpleUploadedFile("洛江区.html", synth.to_html(luojiang, encoding="gbk")),
    ]
    # when they upload them and open the job's page
    response = client.get(_run(client, django_capture_on_commit_callbacks, files))
    # then the page lists both with the original names and the findings in Chinese
    page = response.content.decode()
    assert response.status_code == 200
    assert "阳新县.txt" in page and "洛江区.html" in page
    assert "缺少表三。" in page
    assert "洛江区人民政府" in page


def test_upload_as_xlsx_and_json(client, org_tree, django_capture_on_commit_callbacks):
    _login(client, staff(Role.CLERK, org_tree["own"]))
    capture = django_capture_on_commit_callbacks
    job = _run(client, capture, [SimpleUploadedFile("a.txt", seed("001").read_bytes())], "xlsx")
    assert (
        'href="?fmt=xlsx" class="button"' in client.get(job).content.decode()
    )  # the wanted output stands out
    response = client.get(job + "?fmt=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    job = _run(client, capture, [SimpleUploadedFile("a.txt", seed("004").read_bytes())], "json")
    response = client.get(job + "?fmt=json")
    assert [d["source"]["file"] for d in response.json()] == ["a.txt", "a.txt"]


def test_another_user_cannot_see_the_result(client, org_tree, django_capture_on_commit_callbacks):
    _login(client, staff(Role.CLERK, org_tree["own"]))
    job = _run(
        client, django_capture_on_commit_callbacks, [SimpleUploadedFile("a.txt", seed("001").read_bytes())]
    )
    _login(client, staff(Role.CLERK, org_tree["own"]))
    assert client.get(job).status_code == 404
    assert client.get(job + "status/").status_code == 404


def test_no_file_gives_a_chinese_error(client, org_tree):
    _login(client, staff(Role.CLERK, org_tree["own"]))
    response = client.post(URL, {"output": "page"})
    assert response.status_code == 200
    assert "请选择要检查的报告文件。" in response.content.decode()
