"""What a page's rendering may reuse from an earlier rendering in this process: never stale, like the page itself.

A cache miss renders the organisation's chrome (the 专栏 navigation, the column tree, the breadcrumbs), looks up
the organisation, its tree and its filter options although none of them changed since the previous miss: a
miss is mostly a page retired by a publication elsewhere in the tree. ``remembered(name, vary, compute)`` keeps
``compute()``'s result in this process under the generations the page being rendered was read under (the
decorator's, read from the shared cache on this very request), so it is reused only while they are still the
current ones: the bump that retires the page (a publication, a withdrawal, an organisation change) retires what
its rendering remembered, on every node. What is kept is also bounded in age by the page cache's lifetime
(``kept.py``): a change whose bump failed shows after that time at the latest, as the pages do.

Outside a cached page's rendering (a logged-in user, the page cache off or unreachable, a view not kept) there
are no generations to key by, and ``compute()`` runs every time. ``vary`` must name everything the result
depends on besides what the page's generations cover; a result must not be mutated by its users.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from . import counting, generations
from .kept import Kept

T = TypeVar("T")
MAX_ENTRIES = (
    4096  # one per (name, vary): an organisation's chrome, tree and filter options, a few per page kind
)


class Remembered(Kept[tuple[Hashable, object]]):
    """(generations, value) by (name, vary): one value per key, the last one computed (``kept.Kept``: also
    bounded in age by the page cache's lifetime)."""

    def __init__(self, limit: int = MAX_ENTRIES) -> None:
        super().__init__(lambda: limit)

    def recall(self, key: Hashable, generations: Hashable) -> tuple[bool, object]:
        entry = self.get(key)
        if entry is None or entry[0] != generations:
            return False, None
        return True, entry[1]

    def keep(self, key: Hashable, generations: Hashable, value: object) -> None:
        self.put(key, (generations, value))


REMEMBERED = Remembered()


def rendering_generations() -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """The scopes of the cached page being rendered and their generations read on this request; None outside
    one."""
    state = counting.current_rendering()
    return None if state is None else state.generations


def _rendering_generations_of(scopes: Sequence[str] | None) -> tuple[int, ...] | None:
    """The generations of ``scopes`` (None: all the page's) as read for the page being rendered; None outside
    one, or if the page does not depend on one of them."""
    found = rendering_generations()
    if found is None:
        return None
    page_scopes, gens = found
    if scopes is None:
        return gens
    if not all(s in page_scopes for s in scopes):
        return None
    by_scope = dict(zip(page_scopes, gens, strict=True))
    return tuple(by_scope[s] for s in scopes)


def generations_now(scopes: Sequence[str]) -> tuple[int, ...]:
    """The current generations of ``scopes``: as read for the page being rendered when it depends on them all
    (no second round trip), else from the shared cache."""
    found = _rendering_generations_of(scopes)
    return found if found is not None else generations.current(scopes)


def remembered(
    name: str, vary: Hashable, compute: Callable[[], T], *, scopes: Sequence[str] | None = None
) -> T:
    """``compute()``, or what it returned for the same ``name`` and ``vary`` in a rendering under the same
    generations of ``scopes`` (None: all the page's) as the page being rendered now. ``scopes`` must cover every
    change that can alter the result (e.g. ``(EVERYTHING,)`` for what only an organisation change alters)."""
    gens = _rendering_generations_of(scopes)
    if gens is None:
        return compute()
    key = (name, vary)
    tag = (tuple(scopes) if scopes is not None else None, gens)
    found, value = REMEMBERED.recall(key, tag)
    if found:
        return value  # type: ignore[return-value]
    value = compute()
    REMEMBERED.keep(key, tag, value)
    return value
