"""Middleware that records the client address for the audit log, and refuses control characters in requests."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from .context import request_context
from .params import InvalidParam
from .text import CONTROL_MESSAGE, has_control_characters
from .views import bad_request


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR only: a reverse proxy in front must set it (X-Forwarded-For is forgeable).
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
