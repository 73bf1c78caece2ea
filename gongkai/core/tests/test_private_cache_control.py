"""Back-office and API answers carry personal data: no cache may keep them (red-team finding F5)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from gongkai.core.middleware import PrivateCacheControlMiddleware

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "own", "expected"),
    [
        ("/admin/archives/x/2026/directory.xlsx", None, "private, no-store"),
        ("/api/evidence/bundles/1/zip", None, "private, no-store"),
        ("/admin/reports/1/source", "private, max-age=3600", "private, max-age=3600"),  # a view's own is kept
        ("/xxgk/", None, None),  # public pages keep their own caching (the page cache)
        ("/files/images/x.png", None, None),
    ],
)
def test_the_middleware_marks_only_back_office_and_api_answers(path, own, expected):
    def view(request):
        response = HttpResponse(b"data")
        if own:
            response["Cache-Control"] = own
        return response

    response = PrivateCacheControlMiddleware(view)(RequestFactory().get(path))
    assert response.get("Cache-Control") == expected


def test_real_answers_under_admin_and_api_are_not_kept(client):
    assert client.get("/api/catalog/search", {"q": "预算"})["Cache-Control"] == "private, no-store"
    assert "no-store" in client.get("/admin/login/")["Cache-Control"]
    assert "no-store" not in client.get("/").get("Cache-Control", "")
