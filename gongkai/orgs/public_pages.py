"""Which cached public pages a change shows on (core/pagecache): an organisation's and every one's above it.

A page under ``/gk/<code>/`` depends on the generation ``page_scope(code)``. A list holds its subtree's items,
so a change in an organisation retires the pages of its whole chain up to the root (``org.path`` is that chain
of codes) and the site's home page (its newest items and reports come from every organisation). A change to the tree itself (a name, a move, a new organisation, contact details in the 指南) shows
in every breadcrumb, drop-down and 下级机构 list: it retires every page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gongkai.core import pagecache

from .models import Organisation

SITE = "site"  # the site's home page: it lists the newest items and reports of every organisation


def site_scope(kwargs: Mapping[str, Any]) -> str:
    """``public_page(scope=…)`` for the site's home page (its newest items come from the whole tree)."""
    return SITE


def page_scope(code: str) -> str:
    """The generation the public pages of the organisation ``code`` are kept under."""
    return f"org:{code.upper()}"


def page_scope_of(kwargs: Mapping[str, Any]) -> str:
    """``public_page(scope=…)`` for the URLs ``/gk/<code>/…``."""
    return page_scope(str(kwargs["code"]))


def pages_changed_under(paths: Iterable[str]) -> None:
    """The pages of the organisations at ``paths`` (materialised ``/A/B/C/``) and of all above them changed."""
    codes = {code for path in paths for code in path.strip("/").split("/") if code}
    pagecache.bump([SITE, *(page_scope(code) for code in codes)])


def org_pages_changed(*orgs: Organisation) -> None:
    """What these organisations publish changed (an item, a report): their pages and their ancestors'."""
    pages_changed_under(org.path for org in orgs)


def all_pages_changed() -> None:
    """The organisation tree changed: every public page."""
    pagecache.bump_everything()
