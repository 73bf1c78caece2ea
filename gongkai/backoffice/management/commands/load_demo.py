"""`gongkai load_demo`: load the demo county (idempotent) and print the demo logins."""

from typing import Any

from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.backoffice.demo import load_demo


class Command(BaseCommand):
    help = "载入演示数据（虚构的江川市、青山县及其部门、乡镇和各角色工作人员）；可重复执行。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo()
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。演示账号（仅供演示）："))
        for username, password, role, org in result.logins:
            self.stdout.write(f"  {username:<8} {password}  {role}（{org}）")
        if TOTPDevice.objects.filter(user__username="admin", confirmed=True).exists():
            self.stdout.write("系统管理员 admin 已绑定身份验证器，登录时输入验证码。后台地址为 /admin/。")
        else:
            self.stdout.write("系统管理员 admin 首次登录须绑定身份验证器（TOTP）。后台地址为 /admin/。")
