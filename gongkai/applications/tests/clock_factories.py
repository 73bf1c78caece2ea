"""Builders for clock events used by the clock tests."""

from __future__ import annotations

from gongkai.applications.clocks import ClockEvent, EventKind
from gongkai.workdays.tests.factories import d


def received(day: str) -> ClockEvent:
    return ClockEvent(EventKind.RECEIVED, d(day))


def event(kind: EventKind | str, day: str, **fields: object) -> ClockEvent:
    return ClockEvent(kind, d(day), **fields)  # type: ignore[arg-type]
