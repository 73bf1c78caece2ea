"""Require a confirmed second factor for 系统管理员 before any other back-office page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from gongkai.orgs.permissions import is_system_admin

ALLOWED_PREFIXES = ("/admin/account/2fa/", "/admin/logout/", "/admin/login/", "/static/")


def _is_verified(user: object) -> bool:
    """django-otp's OTPMiddleware adds ``is_verified`` to the request's user."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and (request.path.startswith("/admin/") or request.path.startswith("/api/"))
            and not _is_verified(user)
            and is_system_admin(user)
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)
