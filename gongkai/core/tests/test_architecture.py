"""Architecture guards (issue #14): module size, private names, app layers.

Each guard is a ratchet: today's debts are listed here (or in pyproject's ``[tool.importlinter]``) with a
ceiling, a listed debt may only shrink, and a paid one must be struck from its list. New code meets the rule.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "gongkai"

LINE_LIMIT = 450

# Modules over LINE_LIMIT today, each with its length as a ceiling: it may shrink, never grow. Split it along its
# own seams (issue #14, item 2) and delete its line once it is at or under the limit.
OVERSIZED: dict[str, int] = {}
# Being split right now: their entries may go stale (at or under the limit, or gone) until the split lands;
# then delete them here and in OVERSIZED.
SPLIT_IN_PROGRESS: set[str] = set()

# Imports of another module's _private name, each with the reason it is still there. Make the name public (it
# is shared API) or move the helper to where both users belong, then delete the line.
PRIVATE_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}


def _app_modules() -> Iterator[Path]:
    """Every module of the package except tests and migrations."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_app_module_is_over_the_line_limit() -> None:
    problems = []
    for path in _app_modules():
        rel, n = _rel(path), _lines(path)
        ceiling = OVERSIZED.get(rel)
        if ceiling is None and n > LINE_LIMIT:
            problems.append(f"{rel}: {n} lines, over the {LINE_LIMIT}-line limit: split it along its seams")
        elif ceiling is not None and n > ceiling:
            problems.append(
                f"{rel}: {n} lines, grown past its ceiling of {ceiling} (issue #14): it may only shrink"
            )
    assert not problems, "\n".join(problems)


def test_the_oversized_list_holds_only_oversized_modules() -> None:
    stale = []
    for rel in OVERSIZED:
        path = ROOT / rel
        if rel in SPLIT_IN_PROGRESS:
            continue
        if not path.exists():
            stale.append(f"{rel}: gone: delete its line from OVERSIZED")
        elif (n := _lines(path)) <= LINE_LIMIT:
            stale.append(f"{rel}: {n} lines, now within the limit: delete its line from OVERSIZED")
    assert not stale, "\n".join(stale)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@cache
def _is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _from_import_source(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imported_private(tree: ast.AST, me: str, package: str, modules: dict[str, str]) -> Iterator[str]:
    """Private names taken by ``from … import``; fills ``modules`` (local name → gongkai module bound to it)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "gongkai":
                    modules[alias.asname or "gongkai"] = alias.name if alias.asname else "gongkai"
        if not isinstance(node, ast.ImportFrom):
            continue
        source = _from_import_source(node, package)
        if source.split(".")[0] != "gongkai":
            continue
        for alias in node.names:
            target = f"{source}.{alias.name}"
            if _is_module(target):
                modules[alias.asname or alias.name] = target
                if _is_private(alias.name) and not me.startswith(f"{source}."):
                    yield target  # a private module, imported from outside its package
            elif _is_private(alias.name) and source != me:
                yield target


def _attribute_private(tree: ast.AST, me: str, modules: dict[str, str]) -> Iterator[str]:
    """Private names reached as ``module._name`` through a name bound to a gongkai module."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and _is_private(node.attr)):
            continue
        chain: list[str] = []
        value: ast.expr = node.value
        while isinstance(value, ast.Attribute):
            chain.insert(0, value.attr)
            value = value.value
        if isinstance(value, ast.Name) and value.id in modules:
            owner = ".".join([modules[value.id], *chain])
            if owner != me and _is_module(owner):
                yield f"{owner}.{node.attr}"


def _private_uses(path: Path, source: str | None = None) -> Iterator[str]:
    """Dotted names of other modules' private names that ``path`` imports or reaches by attribute."""
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source, filename=str(path))
    modules: dict[str, str] = {}
    yield from _imported_private(tree, me, package, modules)
    yield from _attribute_private(tree, me, modules)


def test_no_module_uses_another_modules_private_names() -> None:
    found = {(_module_name(path), name) for path in _app_modules() for name in _private_uses(path)}
    new = sorted(found - PRIVATE_IMPORTS_ALLOWED.keys())
    stale = sorted(PRIVATE_IMPORTS_ALLOWED.keys() - found)
    problems = [f"{who} uses {name}: make it public or move it (issue #14)" for who, name in new]
    problems += [
        f"{who} no longer uses {name}: delete it from PRIVATE_IMPORTS_ALLOWED" for who, name in stale
    ]
    assert not problems, "\n".join(problems)


def test_the_private_name_scan_sees_each_form_of_use() -> None:
    """The scanner itself: from-import, relative import, module attribute; own names and dunders pass."""
    module = PACKAGE / "reports" / "importing" / "split.py"  # resolves the relative imports below
    source = (
        "import gongkai.reports.compute as compute\n"
        "from gongkai.reports import checks\n"
        "from gongkai.reports.checks import _hidden, __version__\n"
        "from .extract import _near\n"
        "from .split import _own\n"
        "compute._filter\n"
        "checks._rule\n"
        "checks.public\n"
    )
    assert set(_private_uses(module, source)) == {
        "gongkai.reports.checks._hidden",
        "gongkai.reports.importing.extract._near",
        "gongkai.reports.compute._filter",
        "gongkai.reports.checks._rule",
    }


def _gongkai_imports(path: Path, source: str | None = None) -> Iterator[str]:
    """Every gongkai module ``path`` imports: absolute or relative, at module level or inside a function."""
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source, filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.split(".")[0] == "gongkai")
        elif isinstance(node, ast.ImportFrom):
            origin = _from_import_source(node, package)
            if origin == "gongkai":  # from gongkai import orgs
                yield from (f"gongkai.{alias.name}" for alias in node.names)
            elif origin.split(".")[0] == "gongkai":
                yield origin


def _outside_core(dotted: str) -> bool:
    return dotted.split(".")[:2] != ["gongkai", "core"]


def test_core_imports_no_other_app() -> None:
    """core is the floor every app stands on (core/README.md): it imports no other gongkai app, whether the
    layer contract lists that app or not (tests and migrations aside). What needs a domain app belongs above."""
    problems = [
        f"{_rel(path)} imports {name}: core imports no other app (move the code up, or pass the value in)"
        for path in _app_modules()
        if path.relative_to(PACKAGE).parts[0] == "core"
        for name in _gongkai_imports(path)
        if _outside_core(name)
    ]
    assert not problems, "\n".join(problems)


def test_the_core_import_scan_sees_each_form_of_import() -> None:
    module = PACKAGE / "core" / "uploads" / "checks.py"  # resolves the relative imports below
    source = (
        "import gongkai.orgs.models\n"
        "from gongkai import accounts\n"
        "from gongkai.core.models import AuditEntry\n"
        "from ...orgs.permissions import can\n"
        "from .. import services\n"
        "def later():\n"
        "    from gongkai.workdays import calendar\n"
    )
    assert {name for name in _gongkai_imports(module, source) if _outside_core(name)} == {
        "gongkai.orgs.models",
        "gongkai.accounts",
        "gongkai.orgs.permissions",
        "gongkai.workdays",
    }


def test_the_layer_contract_holds() -> None:
    """import-linter's contracts in pyproject.toml (a subprocess: lint-imports reconfigures logging)."""
    code = (
        "import sys; from importlinter.cli import lint_imports; "
        f"sys.exit(lint_imports(config_filename={str(ROOT / 'pyproject.toml')!r}, no_cache=True, no_logo=True))"
    )
    result = subprocess.run(  # noqa: S603 — fixed argv, no shell
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


# A field's callables (upload_to, validators, default, …) are written by makemigrations as a reference to the app's
# own models module: the autodetector compares them by identity, so a copy would be a change. The only exception.
MIGRATION_FIELD_REFERENCES = {"upload_to", "validators", "default", "limit_choices_to", "choices"}


def _migration_live_imports(path: Path, source: str | None = None) -> Iterator[str]:
    """The live gongkai code a migration module imports (a function-level import counts as much as a top one).

    Allowed: its own migrations package (a sibling frozen module such as ``_frozen_0002``), and a plain module-level
    ``import gongkai.<app>.models`` used only as a field's callable (``MIGRATION_FIELD_REFERENCES``).
    """
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    app_models = f"{package.rpartition('.')[0]}.models"
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source, filename=str(path))
    referenced = {
        id(node)
        for keyword in ast.walk(tree)
        if isinstance(keyword, ast.keyword) and keyword.arg in MIGRATION_FIELD_REFERENCES
        for node in ast.walk(keyword.value)
    }
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "gongkai":
                    continue
                if not (alias.name == app_models and alias.asname is None and id(node) in top_level):
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            origin = _from_import_source(node, package)
            own = origin == package or origin.startswith(f"{package}.")
            if origin.split(".")[0] == "gongkai" and not own:
                yield from (f"{origin}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Name) and node.id == "gongkai" and id(node) not in referenced:
            yield "gongkai (used outside a field's callable arguments)"


def test_migrations_import_no_live_app_code() -> None:
    """A migration is history: what it does must not change when the app's code does (issue #14, item 7). Freeze
    the data or the algorithm it needs inside it, or in a sibling module of its migrations package, and reach
    models through ``apps.get_model`` (historical models)."""
    problems = [
        f"{_rel(path)} imports {name}: freeze what it needs in the migration (or migrations/_frozen_*.py)"
        for path in sorted(PACKAGE.glob("*/migrations/*.py"))
        for name in _migration_live_imports(path)
    ]
    assert not problems, "\n".join(problems)


def test_the_migration_import_scan_sees_each_form_of_import() -> None:
    module = PACKAGE / "workdays" / "migrations" / "0009_example.py"  # resolves the relative imports below
    source = (
        "import gongkai.workdays.models\n"
        "import gongkai.catalog.models\n"
        "from gongkai.workdays import seed\n"
        "from gongkai import core\n"
        "from ..selectors import last_known_year\n"
        "from ._frozen_0009 import DAYS\n"
        "from . import _frozen_0009\n"
        "from gongkai.workdays.migrations._frozen_0009 import RUNS\n"
        "field = models.DateField(validators=[gongkai.workdays.models.validate_day])\n"
        "def forwards(apps, schema_editor):\n"
        "    from gongkai.workdays.arrangements import default_source\n"
        "    gongkai.workdays.models.DayKind.HOLIDAY\n"
    )
    assert set(_migration_live_imports(module, source)) == {
        "gongkai.catalog.models",
        "gongkai.workdays.seed",
        "gongkai.core",
        "gongkai.workdays.selectors.last_known_year",
        "gongkai.workdays.arrangements.default_source",
        "gongkai (used outside a field's callable arguments)",
    }
