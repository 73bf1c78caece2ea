"""Middleware that records the client address for the audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import request_context


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR only: a reverse proxy in front must set it (X-Forwarded-For is forgeable).
        with request_context(ip=request.META.get("REMOTE_ADDR") or None):
            return self.get_response(request)
