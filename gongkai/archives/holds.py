"""The archive's hold on an application's official records, for the personal-data retention run.

An application filed here (归档) is an official record for its 保管期限 (《中华人民共和国档案法》; the period is
the record's ``retention_years``, 0 permanent): until the period ends the retention run keeps the stamped scans
of its issued letters (PIPL 第四十七条第二款: a period set by law that has not ended — keep, stop other processing)
and removes the rest of the applicant's personal data as for any application (applications/retention_scrub.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import ArchiveRecord


def holds_records(application: Any, today: dt.date) -> bool:
    record = ArchiveRecord.objects.filter(application=application).first()
    if record is None:
        return False
    return record.keep_until is None or today.year <= record.keep_until
