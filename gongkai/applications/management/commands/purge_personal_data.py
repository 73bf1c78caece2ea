"""`gongkai purge_personal_data [--dry-run]`: remove applicants' personal data past each organisation's
retention period (applications/retention.py); scheduled nightly by celery beat (docs/deploy.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.applications.retention import purge_personal_data
from gongkai.core.actors import SYSTEM_CLI
from gongkai.core.management.options import date_option


class Command(BaseCommand):
    help = (
        "删除办结已超过本机构保存期限的申请人个人信息（姓名、证件号码、联系方式、地址、申请材料附件、"
        "文书中的个人信息、送达凭证和邮件号码、未归档的盖章扫描件、通知的收件人和正文）；统计数据和审计日志不变。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将被删除个人信息的申请数，不做改动。"
        )
        parser.add_argument("--today", help="按哪一天计算期限（YYYY-MM-DD，默认今天）。")

    def handle(self, *args: Any, **options: Any) -> None:
        today = date_option(options, "today")
        result = purge_personal_data(actor=SYSTEM_CLI, today=today, dry_run=options["dry_run"])
        for code, ids in result.by_org.items():
            self.stdout.write(f"机构 {code}：{len(ids)} 件申请")
        verb = "将删除" if result.dry_run else "已删除"
        c = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.applications} 件申请的申请人个人信息，{result.attachments} 个申请材料附件，"
                f"{c.get('delivery_records_cleared', 0)} 条送达记录的凭证和邮件号码，"
                f"{c.get('stamped_scans_removed', 0)} 个盖章扫描件（另有 {c.get('stamped_scans_kept_as_records', 0)} 个"
                f"随已归档案卷保留），{c.get('messages_cleared', 0)} 条通知的收件人和正文"
                f"（计算日 {result.today.isoformat()}）。"
            )
        )
