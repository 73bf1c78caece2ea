"""Login with an optional second factor, two-factor enrolment, and staff management."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.core.forms import add_validation_errors
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.orgs.models import Membership
from gongkai.orgs.permissions import (
    Action,
    is_system_admin,
    may_hold_authority_over,
    may_manage_user,
    orgs_where,
    roles_grantable_by,
)
from gongkai.orgs.services import membership_grant, membership_revoke

from . import second_factor, services
from .forms import (
    ApiTokenForm,
    GrantForm,
    LoginForm,
    OwnPasswordForm,
    PasswordForm,
    TokenForm,
    UserCreateForm,
    UserEditForm,
)
from .middleware import is_verified
from .models import ApiToken, User

PENDING_KEY = "gongkai_pending_2fa"
MAX_TOKEN_TRIES = 5


def _signed_in(request: HttpRequest) -> User:
    """The user of a ``login_required`` view."""
    user = request.user
    assert isinstance(user, User)
    return user


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/admin/"


def login_view(request: HttpRequest) -> HttpResponse:
    """Step 1: username and password (django-axes locks the account after 5 failures)."""
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            backend = user.backend  # type: ignore[attr-defined]  # set by authenticate()
            request.session[PENDING_KEY] = {"user": user.pk, "backend": backend, "tries": 0}
            return redirect(f"/admin/login/verify/?next={_next_url(request)}")
        login(request, user)
        audit_record(actor=user, action=AuditAction.LOGIN, obj=user, changes={"two_factor": False})
        return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def verify_view(request: HttpRequest) -> HttpResponse:
    """Step 2: the TOTP code, for users who enrolled a device."""
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return redirect("accounts:login")
    user = get_object_or_404(get_user_model(), pk=pending["user"], is_active=True)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and second_factor.blocked(user):
        del request.session[PENDING_KEY]
        messages.error(
            request, "验证码错误次数过多，已暂停该账户的动态验证码验证。请稍后再试，或联系管理员重置密码。"
        )
        return redirect("accounts:login")
    if request.method == "POST" and form.is_valid():
        device = next(
            (
                d
                for d in TOTPDevice.objects.filter(user=user, confirmed=True)
                if d.verify_token(form.cleaned_data["token"])
            ),
            None,
        )
        if device is not None:
            second_factor.clear(user)
            del request.session[PENDING_KEY]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            audit_record(actor=user, action=AuditAction.LOGIN, obj=user, changes={"two_factor": True})
            return redirect(_next_url(request))
        second_factor.record_failure(user)
        audit_record(actor=user, action=AuditAction.LOGIN, obj=user, changes={"two_factor": "验证码错误"})
        pending["tries"] += 1
        if pending["tries"] >= MAX_TOKEN_TRIES:
            del request.session[PENDING_KEY]
            messages.error(request, "验证码错误次数过多，请重新登录。")
            return redirect("accounts:login")
        request.session[PENDING_KEY] = pending
        form.add_error("token", "验证码错误或已过期。")
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


def _qr_svg(data: str) -> str:
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue().decode()


@login_required
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator (required for 系统管理员 before anything else)."""
    user = _signed_in(request)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if confirmed and not is_verified(user):
        raise PermissionDenied("请先用现有的身份验证器登录，再绑定新的身份验证器。")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if request.method == "GET" and (device is None or "new" in request.GET):
        device = services.totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        if services.totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, "双因素认证已启用。今后登录时需输入动态验证码。")
            return redirect("backoffice:dashboard")
        form.add_error("token", "验证码错误，请核对手机时间后重试。")
    context = {
        "form": form,
        "confirmed": confirmed,
        "required": is_system_admin(user),
        "secret": base64.b32encode(device.bin_key).decode() if device else "",
        "qr": _qr_svg(device.config_url) if device else "",
    }
    return render(request, "accounts/two_factor.html", context)


# --- Staff management -------------------------------------------------------------------


def _managed_users(actor: User) -> list[User]:
    orgs = orgs_where(actor, Action.MANAGE)
    qs = User.objects.filter(memberships__org__in=orgs).distinct().order_by("username")
    return [
        u
        for u in qs.prefetch_related("memberships__org")
        if u.pk != actor.pk
        and all(may_hold_authority_over(actor, m.role, m.org) for m in u.memberships.all())
    ]


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = _signed_in(request)
    if not orgs_where(actor, Action.MANAGE).exists():
        raise PermissionDenied("您没有管理用户的权限。")
    page = Paginator(_managed_users(actor), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    actor = _signed_in(request)
    orgs = orgs_where(actor, Action.MANAGE).order_by("path")
    if not orgs.exists():
        raise PermissionDenied("您没有添加用户的权限。")
    first = orgs.first()
    roles = roles_grantable_by(actor, first) if first else []
    form = UserCreateForm(request.POST or None, orgs=orgs, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=actor, username=data["username"], password=data["password"], org=data["org"],
                role=data["role"], full_name=data["full_name"], email=data["email"], phone=data["phone"],
            )  # fmt: skip
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已添加用户「{user}」。")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": "添加用户"})


def _user_for_manager(actor: User, pk: int) -> User:
    """A user ``actor`` may manage: every role the user holds is below the actor's (permissions.may_manage_user)."""
    user = get_object_or_404(User, pk=pk)
    if not may_manage_user(actor, user):
        raise PermissionDenied(
            "您没有权限管理该用户：该用户拥有与您同级或更高级别的角色，或不在您管理的机构内。"
        )
    return user


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _signed_in(request)
    user = _user_for_manager(actor, pk)
    orgs = orgs_where(actor, Action.MANAGE).order_by("path")
    first = orgs.first()
    roles = roles_grantable_by(actor, first) if first else []
    edit_form = UserEditForm(
        initial={
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "is_active": user.is_active,
        }
    )
    grant_form = GrantForm(orgs=orgs, roles=roles)
    password_form = PasswordForm()
    if request.method == "POST":
        form_name = request.POST.get("form")
        try:
            if form_name == "edit":
                edit_form = UserEditForm(request.POST)
                if edit_form.is_valid():
                    services.user_update(actor=actor, user=user, **edit_form.cleaned_data)
                    messages.success(request, "用户信息已保存。")
                    return redirect("accounts:user_detail", pk=pk)
            elif form_name == "grant":
                grant_form = GrantForm(request.POST, orgs=orgs, roles=roles)
                if grant_form.is_valid():
                    membership_grant(actor=actor, user=user, **grant_form.cleaned_data)
                    messages.success(request, "已授予角色。")
                    return redirect("accounts:user_detail", pk=pk)
            elif form_name == "password":
                password_form = PasswordForm(request.POST)
                if password_form.is_valid():
                    services.user_set_password(
                        actor=actor, user=user, password=password_form.cleaned_data["password"]
                    )
                    messages.success(request, "密码已重置。")
                    return redirect("accounts:user_detail", pk=pk)
        except ValidationError as exc:
            target = {"edit": edit_form, "grant": grant_form, "password": password_form}.get(
                form_name or "", edit_form
            )
            add_validation_errors(target, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
    context = {
        "target": user,
        "memberships": user.memberships.select_related("org").order_by("org__path"),
        "edit_form": edit_form,
        "grant_form": grant_form,
        "password_form": password_form,
        "two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "may_clear_two_factor": is_system_admin(actor),
        "tokens": user.api_tokens.order_by("-created_at"),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def user_two_factor_clear(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove another user's authenticators (a lost phone): 系统管理员 only, audited."""
    actor = _signed_in(request)
    user = _user_for_manager(actor, pk)
    try:
        services.totp_devices_clear(actor=actor, user=user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已重置「{user}」的双因素认证，其下次登录后须重新绑定。")
    return redirect("accounts:user_detail", pk=pk)


# --- The user's own account: password and API tokens -------------------------------------------


@login_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    """Change one's own password (required after a reset by someone else)."""
    user = _signed_in(request)
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_own_password(
                user=user,
                old_password=form.cleaned_data["old_password"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("backoffice:dashboard")
    return render(
        request, "accounts/password_change.html", {"form": form, "forced": user.must_change_password}
    )


@login_required
def token_list_view(request: HttpRequest) -> HttpResponse:
    """One's own API tokens: create (shown once), see last use and expiry, revoke."""
    user = _signed_in(request)
    form = ApiTokenForm(request.POST or None)
    raw = ""
    if request.method == "POST" and form.is_valid():
        try:
            raw = services.api_token_create(
                actor=user,
                user=user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                two_factor_verified=is_verified(user),
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            form = ApiTokenForm()
    context = {"form": form, "raw": raw, "tokens": user.api_tokens.order_by("-created_at")}
    return render(request, "accounts/token_list.html", context)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _signed_in(request)
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if not services.may_see_tokens(actor, token.user):
        raise PermissionDenied("您没有权限吊销该令牌。")
    services.api_token_revoke(actor=actor, token=token)
    messages.success(request, f"已吊销令牌 {token.prefix}…。")
    if token.user_id == actor.pk:
        return redirect("accounts:tokens")
    return redirect("accounts:user_detail", pk=token.user_id)


@login_required
@require_POST
def membership_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    membership = get_object_or_404(Membership.objects.select_related("org", "user"), pk=pk)
    try:
        membership_revoke(actor=actor, membership=membership)
        messages.success(request, "已撤销该角色。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("accounts:user_detail", pk=membership.user_id)


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a login lockout before its 15 minutes have passed (audited)."""
    actor = _signed_in(request)
    user = _user_for_manager(actor, pk)
    axes_reset(username=user.username)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=user, changes={"lockout": ["locked", "unlocked"]}
    )
    messages.success(request, f"已解除「{user}」的登录锁定。")
    return redirect("accounts:user_detail", pk=pk)
