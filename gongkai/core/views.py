"""The 400 page (the audit browser is in ``backoffice.audit``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader

from .params import InvalidParam


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page (``handler400``): says what was wrong when the reason is one of ours (a bad query value or
    a control character, both with Chinese messages written for the reader); otherwise only that it failed."""
    message = str(exception) if isinstance(exception, InvalidParam) else ""
    return HttpResponseBadRequest(loader.get_template("400.html").render({"message": message}))
