"""The 400 page, and fetching a record a view shows only to those allowed (the audit browser is in
``backoffice.audit``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template import loader

from .params import InvalidParam

M = TypeVar("M", bound=Model)


def get_permitted_or_404(
    queryset: QuerySet[M], allowed: Callable[[M], bool], message: str, **lookup: Any
) -> M:
    """The record ``lookup`` finds in ``queryset`` when ``allowed(record)``; Http404(``message``) both when it
    does not exist and when it is not allowed, so that a page never tells who may not see it whether it exists."""
    obj = get_object_or_404(queryset, **lookup)
    if not allowed(obj):
        raise Http404(message)
    return obj


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page (``handler400``): says what was wrong when the reason is one of ours (a bad query value or
    a control character, both with Chinese messages written for the reader); otherwise only that it failed."""
    message = str(exception) if isinstance(exception, InvalidParam) else ""
    return HttpResponseBadRequest(loader.get_template("400.html").render({"message": message}))
