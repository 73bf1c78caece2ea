"""The portal's cached pages as the page-cache middleware sees them (core/pagecache/middleware.py).

``settings.GONGKAI_PAGE_CACHE_PATHS`` names ``page_scopes_of_path``: for a path that may have a kept copy, the
scopes its copy depends on (the same as its view's ``public_page(scope=…)``); for any other path None, so the
middleware lets it through without a cache round trip.
"""

from __future__ import annotations

import re

from gongkai.core.pagecache import EVERYTHING
from gongkai.orgs.public_pages import SITE, page_scope

# an organisation's pages; attachments and report downloads are never kept
_ORG_PAGE = re.compile(r"^/gk/([^/]+)/(?!.*/files/)(?!.*/report\.)")


def page_scopes_of_path(path: str) -> tuple[str, ...] | None:
    if path == "/":
        return (EVERYTHING, SITE)  # the home view keeps its copy under the site scope too (views.home)
    if match := _ORG_PAGE.match(path):
        return (EVERYTHING, page_scope(match.group(1)))
    return None
