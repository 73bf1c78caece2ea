"""Views for the page cache's own tests (core/tests/test_pagecache.py): no app involved."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from gongkai.core import pagecache

RENDERS: list[str] = []  # what each render saw, in order
VIEWS: list[tuple[str, str]] = []  # what the test counter counted


def counter(scope: str, name: str) -> None:
    VIEWS.append((scope, name))


pagecache.register_view_counter("test.view", counter)


def _scope(kwargs: Mapping[str, Any]) -> str:
    return f"test:{kwargs['name']}"


def scopes_of_path(path: str) -> tuple[str, ...] | None:
    """The middleware's view of these pages (settings.GONGKAI_PAGE_CACHE_PATHS in the middleware tests)."""
    if path.startswith("/p/"):
        return (pagecache.EVERYTHING, f"test:{path.split('/')[2]}")
    return None


@pagecache.public_page(scope=_scope, params=("page",))
def page(request: HttpRequest, name: str) -> HttpResponse:
    RENDERS.append(f"{name}?{request.META.get('QUERY_STRING', '')}")
    pagecache.count_view("test.view", "page", name)
    if request.GET.get("page") == "99":
        pagecache.not_cacheable()
    return HttpResponse(f"<p>{name} 第{request.GET.get('page', '1')}页 {len(RENDERS)}</p>")


@pagecache.public_page()
def with_form(request: HttpRequest) -> HttpResponse:
    RENDERS.append("form")
    return HttpResponse(
        f'<form method="post"><input name="csrfmiddlewaretoken" value="{get_token(request)}">'
    )


@pagecache.public_page()
def with_cookie(request: HttpRequest) -> HttpResponse:
    RENDERS.append("cookie")
    response = HttpResponse("ok")
    response.set_cookie("seen", "1")
    return response


@pagecache.public_page()
def missing(request: HttpRequest) -> HttpResponse:
    RENDERS.append("missing")
    return HttpResponse("不存在", status=404)


urlpatterns = [
    path("p/<str:name>/", page),
    path("form/", with_form),
    path("cookie/", with_cookie),
    path("missing/", missing),
]
