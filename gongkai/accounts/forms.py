"""Forms for login, the second factor and staff management."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from gongkai.orgs.models import Organisation, Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。在同一设备上连续 5 次错误后，该账户在此设备上将被锁定 15 分钟。",
        "inactive": "该账户已停用，请联系管理员。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="动态验证码",
        max_length=8,
        help_text="请输入手机身份验证器应用显示的 6 位数字。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError("验证码应为 6 位数字。")
        return token


class _OrgRoleForm(forms.Form):
    """A form with an ``org`` and a ``role`` field, limited to the organisations and roles the actor may grant."""

    def __init__(self, *args: Any, orgs: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["org"]
        org_field.queryset = orgs
        role_field: Any = self.fields["role"]
        role_field.choices = [(r, Role(r).label) for r in roles]


class UserCreateForm(_OrgRoleForm):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    email = forms.EmailField(label="电子邮箱", required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    org = forms.ModelChoiceField(label="所属机构", queryset=Organisation.objects.none())
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=False),
        help_text="至少 10 位，含大写字母、小写字母、数字、特殊符号中的 3 类。",
    )


class UserEditForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    email = forms.EmailField(label="电子邮箱", required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    is_active = forms.BooleanField(label="启用", required=False)


class GrantForm(_OrgRoleForm):
    org = forms.ModelChoiceField(label="机构", queryset=Organisation.objects.none())
    role = forms.ChoiceField(label="角色", choices=Role.choices)


class PasswordForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") != data.get("password2"):
            raise forms.ValidationError("两次输入的密码不一致。")
        return data


class OwnPasswordForm(PasswordForm):
    """One's own password: the current one first, then the new one twice (the same checks as a reset)."""

    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput)
    field_order = ["old_password", "password", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = "至少 10 位，含大写字母、小写字母、数字、特殊符号中的 3 类。"


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=100, help_text="例如「统计脚本」。")
    days = forms.IntegerField(
        label="有效期（天）",
        min_value=1,
        max_value=365,
        initial=90,
        help_text="1 至 365 天，到期后自动失效。",
    )
