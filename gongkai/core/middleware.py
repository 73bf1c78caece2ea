"""Middleware: the client address behind a trusted proxy, recorded for the audit log; control characters refused."""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from .context import request_context
from .params import InvalidParam
from .text import CONTROL_MESSAGE, has_control_characters
from .views import bad_request


class TrustedProxyMiddleware:
    """Behind the reverse proxy, take the client address from ``X-Forwarded-For`` — only when the request comes
    from an address in ``GONGKAI_TRUSTED_PROXIES``, and only the entry that proxy appended (the rightmost not
    itself a trusted proxy): what a client writes into the header itself is never believed. Placed first, so
    the audit log, the login lockout (axes reads REMOTE_ADDR) and the public-form limits all see the client."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(getattr(settings, "GONGKAI_TRUSTED_PROXIES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.trusted and request.META.get("REMOTE_ADDR") in self.trusted:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            for candidate in reversed([part.strip() for part in forwarded.split(",")]):
                if candidate in self.trusted:
                    continue
                with contextlib.suppress(ValueError):  # a malformed entry: keep the proxy's own address
                    request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(candidate))
                break
        return self.get_response(request)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR only (TrustedProxyMiddleware sets it from a trusted proxy's X-Forwarded-For).
        with request_context(ip=request.META.get("REMOTE_ADDR") or None):
            return self.get_response(request)


class RejectControlCharactersMiddleware:
    """400 for a request whose path, query string or form fields carry a control character (gongkai.core.text).

    Every view reads these values, many straight into a query: checking them once here covers each form
    field, filter and URL segment, including those PostgreSQL would refuse with a 500 (NUL). JSON bodies are
    checked by the API's input schemas; uploaded files by their importers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._tainted(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _tainted(request: HttpRequest) -> bool:
        if has_control_characters(request.path):
            return True
        fields = [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            fields.append(request.POST)
        return any(
            has_control_characters(key) or any(has_control_characters(v) for v in values)
            for data in fields
            for key, values in data.lists()
        )

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": CONTROL_MESSAGE, "errors": {}}, status=400)
        return bad_request(request, InvalidParam(CONTROL_MESSAGE))


class PrivateCacheControlMiddleware:
    """``Cache-Control: private, no-store`` on every answer under the back office (/admin/) and the API (/api/)
    that sets none itself: its pages and downloads (登记回执, 归档文件目录, evidence bundles, letters, archive
    packages, job results) carry personal data that neither a shared cache nor the browser's disk may keep.
    Public pages (the portal, its page cache) are elsewhere and keep their own headers."""

    PREFIXES = ("/admin/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(self.PREFIXES) and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
