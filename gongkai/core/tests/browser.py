"""Browser-test helpers shared by the Playwright journeys."""

from __future__ import annotations

import time


def wait_until(page, expression: str, *, timeout: float = 15.0) -> None:
    """Poll a JavaScript expression until it is truthy.

    Playwright's own ``wait_for_function`` compiles its predicate with ``new Function`` inside the page, which the
    site's Content Security Policy (``script-src 'self'``, no ``'unsafe-eval'``) refuses whenever the predicate is
    not already true on the first try. ``page.evaluate`` goes through the DevTools protocol and is not subject to the
    page's CSP, so the polling happens here.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"页面在 {timeout:g} 秒内没有满足：{expression}")
        page.wait_for_timeout(50)
