"""Account requirements before any other back-office page: a 系统管理员 has a confirmed second factor,
and a user whose password was reset by someone else changes it first."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from gongkai.orgs.permissions import is_system_admin

ALLOWED_PREFIXES = (
    "/admin/account/2fa/",
    "/admin/account/password/",
    "/admin/logout/",
    "/admin/login/",
    "/static/",
)


def is_verified(user: object) -> bool:
    """django-otp's OTPMiddleware adds ``is_verified`` to the request's user."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        guarded = request.path.startswith(("/admin/", "/api/")) and not request.path.startswith(
            ALLOWED_PREFIXES
        )
        if user.is_authenticated and guarded:
            if getattr(user, "must_change_password", False):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "您的密码已被管理员重置，请先登录后台修改密码。"}, status=403
                    )
                return redirect("accounts:password_change")
            if not is_verified(user) and is_system_admin(user):
                return redirect("accounts:two_factor")
        return self.get_response(request)
