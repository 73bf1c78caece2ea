"""Statutory clocks of an application, as pure functions over its events (《条例》第三十至三十五条).

``compute_clock(events, today=None)`` reads the event log (``ClockEvent``) and returns a ``ClockReport``; each
rule lives in its own module (``correction``, ``consultations``, ``fees``, ``reply``, ``state``) over the
working-day arithmetic of ``gongkai.workdays``.
"""

from __future__ import annotations

from .compute import compute_clock
from .counting import count_forward, counted_between, merge_intervals
from .events import (
    CONSULTATION_ARTICLES,
    ClockEvent,
    ClockInputError,
    ClockReport,
    ClockState,
    ConsultationClock,
    Consulted,
    EventKind,
)
from .periods import (
    CONSULTATION_DAYS,
    CORRECTION_NOTICE_DAYS,
    DELAY_ARTICLE,
    FEE_PAUSE_NOTE,
    FEE_PAYMENT_DAYS,
    FEE_PAYMENT_SOURCE,
    FEE_RULE_NOTE,
    MAX_EXTENSION_DAYS,
    OTHER_AGENCY_NOTE,
    REPLY_DAYS,
)

__all__ = [
    "compute_clock",
    "ClockEvent",
    "ClockInputError",
    "ClockReport",
    "ClockState",
    "ConsultationClock",
    "Consulted",
    "EventKind",
    "CONSULTATION_ARTICLES",
    "CONSULTATION_DAYS",
    "CORRECTION_NOTICE_DAYS",
    "DELAY_ARTICLE",
    "FEE_PAUSE_NOTE",
    "FEE_PAYMENT_DAYS",
    "FEE_PAYMENT_SOURCE",
    "FEE_RULE_NOTE",
    "MAX_EXTENSION_DAYS",
    "OTHER_AGENCY_NOTE",
    "REPLY_DAYS",
    "count_forward",
    "counted_between",
    "merge_intervals",
]
