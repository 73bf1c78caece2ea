"""Deadline sources: apps holding open deadlines recompute them whenever the calendar changes.

An app registers a callable once (in its ``AppConfig.ready``)::

    from gongkai.workdays.registry import CalendarChange, RecomputeResult, register_deadline_source

    def recompute_application_deadlines(change: CalendarChange) -> RecomputeResult:
        ...  # recompute every open deadline; audit and notify the ones that moved
        return RecomputeResult(source="applications", examined=n, changed=k)

    register_deadline_source("applications", recompute_application_deadlines)

After a year is loaded (or reloaded), :func:`recompute_open_deadlines` calls every source inside
the loading transaction, after the new calendar is in force: a source that raises undoes the
whole load. Sources write their changes through their own services (one audit row each) and
use :meth:`CalendarChange.notify` for mail, which is sent only once the load has committed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction

from gongkai.core.actors import Actor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CalendarChange:
    """What a load changed: the years loaded and the days whose working/non-working status flipped."""

    years: tuple[int, ...]
    changed_dates: frozenset[dt.date]
    actor: Actor  # who loaded it (a user, or a SystemActor)

    def affects(self, start: dt.date, end: dt.date) -> bool:
        """Could a count over (start, end] have moved? (A hint: provisional results must be redone anyway.)"""
        return any(start < d <= end for d in self.changed_dates)

    def notify(self, *, recipients: Iterable[str], subject: str, body: str) -> None:
        """Mail ``recipients`` once the load has committed (never for a load that was rolled back)."""
        to = sorted({r for r in recipients if r})
        if not to:
            return

        def send() -> None:
            try:
                send_mail(subject, body, None, to)
            except Exception:  # a mail outage must not turn a committed load into an error page
                logger.exception("workdays: could not send deadline notification to %s", to)

        transaction.on_commit(send)


@dataclass(frozen=True)
class RecomputeResult:
    source: str
    examined: int
    changed: int
    notes: tuple[str, ...] = field(default=())


DeadlineSource = Callable[[CalendarChange], RecomputeResult]

_sources: dict[str, DeadlineSource] = {}


def register_deadline_source(name: str, source: DeadlineSource) -> DeadlineSource:
    """Register (or replace) the recompute callable of ``name``; returns it, so it can decorate."""
    _sources[name] = source
    return source


def unregister_deadline_source(name: str) -> None:
    _sources.pop(name, None)


def deadline_sources() -> dict[str, DeadlineSource]:
    return dict(_sources)


def recompute_open_deadlines(change: CalendarChange) -> list[RecomputeResult]:
    """Call every registered source; any failure raises a Chinese ValidationError (the load rolls back)."""
    results: list[RecomputeResult] = []
    for name, source in list(_sources.items()):
        try:
            results.append(source(change))
        except ValidationError:
            raise
        except Exception as exc:
            logger.exception("workdays: deadline source %s failed", name)
            raise ValidationError(
                f"重新计算「{name}」的未结期限时出错（{exc}），本次载入已撤销，日历未作任何更改。"
            ) from exc
    return results
