"""The 「政府信息公开工作机构代码」 column: who handles each organisation's applications (``handling_office``).

The file is checked as the tree will stand after the import, with the rules of ``orgs/handling.py``: the office
exists (in the database or the file), is active and handles for itself, so there is no chain and no cycle; an
organisation that keeps handling for others cannot hand its own applications on. Applying then has to pass the
same rules at every single step (each row goes through ``org_update``), so a link that is not yet valid when its
row comes (its office is created later in the file, or is still handed on until a later row clears it) waits
for the end of the import (:class:`Handover`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from gongkai.core import tabular
from gongkai.core.actors import Actor
from gongkai.core.tabular import CompactRowError as RowError
from gongkai.core.tabular import Row

from ..models import Organisation
from ..permissions import Action, can

FIELD = "handling_office"
HEADER = "政府信息公开工作机构代码"
CHAIN = "（不能形成转办链或循环）"
MAX_SHOWN_LOOP = 10


def current_links(existing: dict[str, Organisation], code_of_pk: dict[int, str]) -> dict[str, str | None]:
    """Each organisation's handling office by code (None: it handles its own), as the database has it."""
    return {
        code: code_of_pk.get(org.handling_office_id) if org.handling_office_id else None
        for code, org in existing.items()
    }


def normalise(by_code: dict[str, Row]) -> None:
    """An organisation naming itself handles its own applications: stored blank, as the service stores it."""
    for code, row in by_code.items():
        if row.values.get(FIELD) == code:
            row.values[FIELD] = ""


def check(
    by_code: dict[str, Row],
    all_codes: set[str],
    existing: dict[str, Organisation],
    links: dict[str, str | None],
    errors: list[tabular.RowError],
) -> None:
    """Report every row whose handling office cannot stand in the tree after the import.

    ``links`` is the database's (``current_links``); ``all_codes`` every code in the file, bad rows included
    (an office whose own row is wrong is reported there, not again here)."""
    final = dict(links)
    changed: list[str] = []
    for code, row in by_code.items():
        if FIELD not in row.values or FIELD in row.bad:
            final.setdefault(code, None)
            continue
        final[code] = row.values[FIELD] or None
        if final[code] != links.get(code):
            changed.append(code)

    def name_of(code: str) -> str:
        row = by_code.get(code)
        if row is not None and row.values.get("name"):
            return str(row.values["name"])
        return existing[code].name if code in existing else code

    moved = set(changed)
    # Organisations an office goes on handling for, by a link the file leaves as it is (a link the file
    # changes is judged on its own row).
    kept_by: dict[str, list[str]] = {}
    for code, office in final.items():
        if office is not None and code not in moved:
            kept_by.setdefault(office, []).append(code)
    for code in changed:
        office = final[code]
        if office is None:
            continue
        row = by_code[code]
        if reason := _office_error(code, office, final, existing, by_code, all_codes, name_of):
            errors.append(RowError(row.number, HEADER, reason))
            row.bad.add(FIELD)
            continue
        if kept := kept_by.get(code):
            names = "、".join(name_of(c) for c in kept[:3]) + ("等" if len(kept) > 3 else "")  # noqa: PLR2004
            errors.append(
                RowError(
                    row.number,
                    HEADER,
                    f"本机关正在办理{names}的申请，本机关的申请只能由本机关自行办理{CHAIN}",
                )
            )
            row.bad.add(FIELD)


def _office_error(
    code: str,
    office: str,
    final: dict[str, str | None],
    existing: dict[str, Organisation],
    by_code: dict[str, Row],
    all_codes: set[str],
    name_of: Callable[[str], str],
) -> str | None:
    if office not in existing and office not in by_code:
        if office in all_codes:
            return None  # its own row is wrong and says why
        return f"「{office}」在系统和本文件中都找不到"
    if office in existing and not existing[office].is_active:
        return f"「{name_of(office)}」已停用，不能作为办理申请的工作机构"
    if final.get(office) is None:
        return None
    # Only to word the message: a loop back to this organisation (followed a few links at most).
    chain, current = [code, office], final.get(office)
    while current is not None and current not in chain and len(chain) < MAX_SHOWN_LOOP:
        chain.append(current)
        current = final.get(current)
    if current == code:
        return "办理申请的工作机构形成循环：" + " → ".join(name_of(c) for c in [*chain, code])
    return f"「{name_of(office)}」本身的申请由「{name_of(str(final[office]))}」办理，不能再作为办理申请的工作机构{CHAIN}"


def denied(
    actor: Actor,
    fields: dict[str, Any],
    existing: dict[str, Organisation],
    path_of: Callable[[str], str | None],
) -> tuple[str, str] | None:
    """(column, reason) when ``actor`` may not hand the applications to the office: handing them over gives the
    office's staff access, so it needs MANAGE on the office too (as ``org_update`` does)."""
    office_code = fields.get(FIELD)
    if not office_code:
        return None
    office = existing.get(office_code)
    path = path_of(office_code)
    if path is None:  # in a cycle of 上级代码, reported already
        return None
    # An office that is new or moves in this file is judged where it will be after the import.
    target = Organisation(pk=office.pk if office else None, code=office_code, path=path)
    if can(actor, Action.MANAGE, target):
        return None
    shown = office.name if office else office_code
    return HEADER, f"您没有把申请交由「{shown}」办理的权限（须同时有管理该机构的权限）"


class Handover:
    """Applies the handling-office links in an order the service accepts at each step.

    A link is set with its row when it is valid at that moment: clearing always is; naming an office needs
    the office to exist and handle for itself, and no one to be handled by this organisation. Otherwise the
    link waits (:meth:`wait`), and :meth:`finish` sets the waiting ones once the rows they wait for are in.
    """

    def __init__(self, links: dict[str, str | None]) -> None:
        self.links: dict[str, str | None] = {}
        self.handled = Counter[str]()  # office code -> how many organisations it handles for now
        self.waiting: list[tuple[Row, str]] = []
        for code, office in links.items():
            self.done(code, office)

    def ready(self, code: str, office: str | None) -> bool:
        if office is None:
            return True
        return office in self.links and self.links[office] is None and not self.handled[code]

    def done(self, code: str, office: str | None) -> None:
        if old := self.links.get(code):
            self.handled[old] -= 1
        self.links[code] = office
        if office:
            self.handled[office] += 1

    def wait(self, row: Row, office: str) -> None:
        self.waiting.append((row, office))

    def finish(self, set_link: Callable[[Row, str], None]) -> None:
        """Set the waiting links, each as soon as it is valid; one that never is goes to the service, which
        refuses it with its reason (the checks should have caught it)."""
        while self.waiting:
            batch = [w for w in self.waiting if self.ready(w[0].values["code"], w[1])] or self.waiting[:1]
            for row, office in batch:
                set_link(row, office)
                self.done(row.values["code"], office)
            taken = {id(w) for w in batch}
            self.waiting = [w for w in self.waiting if id(w) not in taken]
