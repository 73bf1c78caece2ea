"""Shared argument handling for the report commands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_by_code


def add_report_arguments(parser: CommandParser) -> None:
    parser.add_argument("--org", required=True, help="机构代码")
    parser.add_argument("--year", required=True, type=int, help="报告年度，如 2020")
    parser.add_argument("--format", choices=["2019", "2021"], default=None, help="报告格式（默认按年度）")
    parser.add_argument(
        "--scope", choices=["self", "tree"], default="self", help="self=本机关，tree=含下属机构"
    )


def org_from(options: dict[str, Any]) -> Organisation:
    org = org_by_code(options["org"])
    if org is None:
        raise CommandError(f"找不到机构代码为“{options['org']}”的机构。")
    if not 1990 <= options["year"] <= 2100:
        raise CommandError(f"年度“{options['year']}”不正确。")
    return org
