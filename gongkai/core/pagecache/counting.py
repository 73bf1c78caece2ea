"""Page views counted in the cache layer: what a view counts when it renders is counted again on every copy served.

An app registers a counter by name (``register_view_counter`` in its ``AppConfig.ready()``) and calls
``count_view(name, *args)`` while rendering: the counter runs at once, and the call is noted with the cached
copy, whose every hit (and every ``304 Not Modified``) replays it. So a cached page costs no render and still
counts as a view, through the same buffer as before (catalog/visits.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

Note = tuple[str, tuple[int | str, ...]]
_COUNTERS: dict[str, Callable[..., None]] = {}


@dataclass
class Rendering:
    """What a view said about itself while rendering: the views it counted, and whether the page may be kept."""

    notes: list[Note] = field(default_factory=list)
    cacheable: bool = True
    # the page's scopes and the generations read for them on this request (what memo.remembered keys by)
    generations: tuple[tuple[str, ...], tuple[int, ...]] | None = None


_rendering: ContextVar[Rendering | None] = ContextVar("page_rendering", default=None)


def register_view_counter(name: str, counter: Callable[..., None]) -> None:
    """Make ``counter(*args)`` replayable by name on cached copies (called once, from ``AppConfig.ready()``)."""
    _COUNTERS[name] = counter


def count_view(name: str, *args: int | str) -> None:
    """Count one view with the counter ``name``, now and on every cached copy of the page being rendered."""
    _COUNTERS[name](*args)
    if (rendering := _rendering.get()) is not None:
        rendering.notes.append((name, args))


def not_cacheable() -> None:
    """The page being rendered is not the canonical answer to its address (e.g. a list asked for a page number
    it does not have): serve it, but do not keep it."""
    if (rendering := _rendering.get()) is not None:
        rendering.cacheable = False


def current_rendering() -> Rendering | None:
    """The state of the cached page being rendered, None outside one."""
    return _rendering.get()


@contextmanager
def rendering(generations: tuple[tuple[str, ...], tuple[int, ...]] | None = None) -> Iterator[Rendering]:
    state = Rendering(generations=generations)
    token = _rendering.set(state)
    try:
        yield state
    finally:
        _rendering.reset(token)


def replay(notes: list[Note]) -> None:
    """Count the views a cached copy noted when it was rendered."""
    for name, args in notes:
        counter = _COUNTERS.get(name)
        if counter is None:  # a counter renamed by a newer release: the page key changes with it
            log.warning("page view counter %s is not registered", name)
            continue
        counter(*args)
