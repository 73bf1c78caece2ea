"""What every page of an organisation's 专栏 looks up about the organisation, reused across its cache misses.

A miss of a public page is mostly a page retired by a publication in the tree, or another page of the same
organisation: the organisation, its ancestors and its tree are unchanged. They are remembered in this process
under the generation every organisation change bumps (``EVERYTHING``, orgs/public_pages.py), as read for the
page being rendered (core/pagecache/memo.py), so an organisation change retires them exactly as it retires
every page. Outside a cached page's rendering (a logged-in user, search) they are read every time.
"""

from __future__ import annotations

import copy

from django.shortcuts import get_object_or_404

from gongkai.core.pagecache import EVERYTHING, remembered
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_ancestors

# the generation of what only an organisation change alters (orgs.public_pages.all_pages_changed)
TREE = (EVERYTHING,)


def public_org(code: str) -> Organisation:
    """The active organisation ``code`` (404 otherwise); a copy, so a view may cache relations on it."""
    code = code.upper()
    org = remembered("portal:org", code, lambda: get_object_or_404(Organisation, code=code, is_active=True),
                     scopes=TREE)  # fmt: skip
    return copy.copy(org)


def ancestors(org: Organisation) -> list[Organisation]:
    """``org_ancestors(org)`` (the breadcrumbs), root first; not to be mutated."""
    return remembered("portal:ancestors", org.code, lambda: org_ancestors(org), scopes=TREE)
