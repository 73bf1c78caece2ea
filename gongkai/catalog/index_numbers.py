"""索引号: the 前段码 of an organisation and the allocation of ``组织机构代码/YYYY-NNNNN`` numbers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.orgs.models import Organisation

from .models import IndexCounter, Item


def org_code9(org: Organisation) -> str:
    """The 前段码: the 9-character 组织机构代码 (taken from positions 9–17 of an 18-character 统一社会信用代码)."""
    code = org.code.replace("-", "").upper()
    return code[8:17] if len(code) == 18 else code


@transaction.atomic
def index_no_allocate(*, org: Organisation, year: int) -> str:
    """Draw the next ``组织机构代码/YYYY-NNNNN`` for ``org`` and ``year``; never the same twice.

    The per-organisation-year counter (``core.counters.SerialCounter``) is locked while the number is drawn,
    so concurrent drafts queue on it. A serial an imported item already holds is skipped. Numbers are never
    handed back (目录系统实施指引: 索引号唯一且不变).
    """
    counter = IndexCounter.locked(org=org, year=year)
    prefix = f"{org_code9(org)}/{year:04d}-"
    while True:
        serial = counter.draw()
        if serial > 99999:  # the transaction rolls the counter back
            raise ValidationError(f"「{org.name}」{year}年的索引号序号已用尽（最多99999个）。")
        candidate = f"{prefix}{serial:05d}"
        if not Item.objects.filter(index_no=candidate).exists():
            return candidate
