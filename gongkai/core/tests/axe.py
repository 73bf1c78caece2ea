"""axe-core in the browser tests: the vendored engine (npm axe-core 4.14.1, MPL-2.0, tests only; see
docs/dependencies.md) is evaluated in the page by Playwright, since the pages' CSP forbids any script but their
own; the page itself never loads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).parent / "static" / "axe-core" / "axe.min.js"
# Every rule axe runs by default (WCAG 2.0/2.1/2.2 A and AA, and best practices), whatever its impact.
RUN_OPTIONS = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}  # fmt: skip


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The violations axe finds on the page as it is now (any impact)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
    result = page.evaluate("options => window.axe.run(document, options)", RUN_OPTIONS)
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and node, for a failing assertion."""
    lines = []
    for v in violations:
        for node in v["nodes"][:5]:
            lines.append(
                f"[{v['impact']}] {v['id']}: {v['help']} — {' '.join(node['target'])}: {node.get('failureSummary', '')[:200]}"
            )
    return "\n".join(lines)
