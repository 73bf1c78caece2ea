"""Checking the organisation rows together and against the database, then applying them (parents first)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from gongkai.core import tabular
from gongkai.core.actors import Actor, is_system
from gongkai.core.models import AuditAction
from gongkai.core.services import audit_record
from gongkai.core.tabular import ApplyError, ImportResult, Row
from gongkai.core.tabular import CompactRowError as RowError  # the organisation import's wording

from .. import services
from ..models import Organisation
from ..permissions import Action, can, is_system_admin
from . import offices
from .columns import HEADER_OF


@dataclass
class Change:
    row: Row
    existing: Organisation | None
    fields: dict[str, Any]  # only what changes; "parent" and "handling_office" as codes ("" = none)


@dataclass
class Plan:
    changes: list[Change]  # parents first
    unchanged: list[Row]
    links: dict[str, str | None] = field(default_factory=dict)  # handling offices in the database, by code


def _duplicates(
    rows: list[Row], by_name: dict[str, Organisation], errors: list[tabular.RowError]
) -> dict[str, Row]:
    """The rows by code; a later row repeating a code or name (in the file or the database) is reported."""
    by_code: dict[str, Row] = {}
    first_with_name: dict[str, Row] = {}
    for row in rows:
        code, name = row.values.get("code", ""), row.values.get("name", "")
        if code and "code" not in row.bad:
            if code in by_code:
                errors.append(RowError(row.number, "代码", f"代码与第{by_code[code].number}行重复"))
                row.bad.add("code")
            else:
                by_code[code] = row
        if name and "name" not in row.bad:
            if name in first_with_name:
                errors.append(RowError(row.number, "名称", f"名称与第{first_with_name[name].number}行重复"))
                row.bad.add("name")
                continue
            first_with_name[name] = row
            other = by_name.get(name)
            if other is not None and other.code != code:
                hint = "；如需互换两个机构的名称，请分两次导入" if other.code in by_code else ""
                errors.append(
                    RowError(row.number, "名称", f"名称已被现有机构使用（代码 {other.code}）{hint}")
                )
                row.bad.add("name")
    return by_code


def _check_parents(
    by_code: dict[str, Row],
    existing: dict[str, Organisation],
    parent_of: dict[str, str | None],
    errors: list[tabular.RowError],
) -> None:
    """Overlay the file's parents on the tree; report unknown parents, self-parents and cycles."""
    for code, row in by_code.items():
        parent = row.values.get("parent") or None
        if "parent" in row.bad:
            continue
        if parent is not None and parent not in existing and parent not in by_code:
            errors.append(RowError(row.number, "上级代码", f"上级代码「{parent}」在系统和本文件中都找不到"))
            row.bad.add("parent")
            continue
        parent_of[code] = parent

    def name_of(code: str) -> str:
        row = by_code.get(code)
        if row is not None and row.values.get("name"):
            return str(row.values["name"])
        return existing[code].name if code in existing else code

    for code, row in by_code.items():
        if "parent" in row.bad:
            continue
        if parent_of.get(code) == code:
            errors.append(RowError(row.number, "上级代码", "上级代码不能是本机构自己的代码"))
            row.bad.add("parent")
            continue
        chain, seen, current = [code], {code}, parent_of.get(code)
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = parent_of.get(current)
        if current == code:
            path = " → ".join(name_of(c) for c in [*chain, code])
            errors.append(RowError(row.number, "上级代码", f"上级关系形成循环：{path}"))
            row.bad.add("parent")


def _paths(parent_of: dict[str, str | None]) -> Callable[[str], str | None]:
    """The path of a code after the import; None where the chain runs into a cycle (reported already)."""
    final_path: dict[str, str | None] = {}

    def path_of(code: str) -> str | None:
        chain: list[str] = []
        current: str | None = code
        while current is not None and current not in final_path:
            if current in chain:
                final_path.update(dict.fromkeys(chain))
                break
            chain.append(current)
            current = parent_of.get(current)
        base = "/" if current is None else final_path[current]
        for link in reversed(chain):
            if link not in final_path:
                base = f"{base}{link}/" if base is not None else None
                final_path[link] = base
        return final_path[code]

    return path_of


def plan(rows: list[Row], actor: Actor, errors: list[tabular.RowError]) -> Plan:
    """Check the rows together and against the database; the changes (parents first) and the unchanged rows."""
    existing = {o.code: o for o in Organisation.objects.all()}
    code_of_pk = {o.pk: o.code for o in existing.values()}
    by_name = {o.name: o for o in existing.values()}
    by_code = _duplicates(rows, by_name, errors)
    offices.normalise(by_code)
    # The tree after the import: the database, overlaid with the parents the file gives.
    parent_of: dict[str, str | None] = {
        o.code: code_of_pk.get(o.parent_id) if o.parent_id else None for o in existing.values()
    }
    _check_parents(by_code, existing, parent_of, errors)
    path_of = _paths(parent_of)
    links = offices.current_links(existing, code_of_pk)
    all_codes = {str(row.values["code"]) for row in rows if row.values.get("code")}
    offices.check(by_code, all_codes, existing, links, errors)

    result = Plan([], [], links)
    for code, row in by_code.items():
        if row.bad:
            continue
        org = existing.get(code)
        if org is None:
            fields = {k: v for k, v in row.values.items() if k != "code"}
        else:
            fields = {
                k: v for k, v in row.values.items() if k != "code" and _current(org, k, code_of_pk) != v
            }
        if org is not None and not fields:
            result.unchanged.append(row)
            continue
        if not is_system(actor) and (
            reason := _denied(actor, org, fields, existing, path_of)
            or offices.denied(actor, fields, existing, path_of)
        ):
            errors.append(RowError(row.number, *reason))
            continue
        result.changes.append(Change(row, org, fields))
    result.changes.sort(key=lambda c: (str(path_of(c.row.values["code"])).count("/"), c.row.number))
    return result


def _current(org: Organisation, name: str, code_of_pk: dict[int, str]) -> Any:
    if name in ("parent", offices.FIELD):
        pk = getattr(org, f"{name}_id")
        return code_of_pk.get(pk) if pk else ""
    return getattr(org, name)


def _denied(
    actor: Actor,
    org: Organisation | None,
    fields: dict[str, Any],
    existing: dict[str, Organisation],
    path_of: Callable[[str], str | None],
) -> tuple[str, str] | None:
    """(column, reason) when ``actor`` may not make this change; mirrors the services' checks."""
    if org is not None and not can(actor, Action.MANAGE, org):
        return "代码", f"您没有修改「{org.name}」的权限"
    if org is not None and "parent" not in fields:
        return None
    parent_code = fields.get("parent") or None
    if parent_code is None:
        if is_system_admin(actor):
            return None
        what = "新增顶级机构" if org is None else "把机构改为顶级机构"
        return "上级代码", f"只有系统管理员可以{what}"
    parent = existing.get(parent_code)
    path = path_of(parent_code)
    if path is None:  # the parent sits in a cycle, already reported
        return None
    # A parent that is new or moves in this file is judged where it will be after the import.
    target = Organisation(pk=parent.pk if parent else None, code=parent_code, path=path)
    if can(actor, Action.MANAGE, target):
        return None
    shown = parent.name if parent else parent_code
    what = "在「{}」下新增机构" if org is None else "把机构移到「{}」下"
    return "上级代码", f"您没有{what.format(shown)}的权限"


def fill(result: ImportResult, planned: Plan) -> None:
    """Codes per outcome; created and updated only when the file has no error (nothing is written otherwise)."""
    result.unchanged = [row.values["code"] for row in planned.unchanged]
    if result.ok:
        result.created = [c.row.values["code"] for c in planned.changes if c.existing is None]
        result.updated = [c.row.values["code"] for c in planned.changes if c.existing is not None]


def apply(planned: Plan, actor: Actor, filename: str, result: ImportResult) -> None:
    """Create and update through the services (one audit row each), then one summary row for the file.

    A handling office that cannot be named yet when its row comes is named at the end (``offices.Handover``:
    then that organisation has a second audit row, for this field alone)."""
    placed: dict[str, Organisation] = {}  # orgs whose path is current, by code (saves a query a row)
    handover = offices.Handover(planned.links)
    for change in planned.changes:
        fields = dict(change.fields)
        code = change.row.values["code"]
        if fields.get("parent"):
            # The service reads the parent's path: use a fresh one, as earlier rows may have moved it.
            parent_code = fields["parent"]
            if parent_code not in placed:
                placed[parent_code] = Organisation.objects.get(code=parent_code)
            fields["parent"] = placed[parent_code]
        elif "parent" in fields:
            fields["parent"] = None
        link = handover.links.get(code)
        if offices.FIELD in fields:
            office = fields.pop(offices.FIELD) or None
            if handover.ready(code, office):
                # Fresh: whether the office hands its own applications on may have changed in this import.
                fields[offices.FIELD] = Organisation.objects.get(code=office) if office else None
                link = office
            else:
                handover.wait(change.row, str(office))
        if change.existing is None:
            placed[code] = _service(change.row, services.org_create, actor=actor, code=code, **fields)
        elif fields:
            if "parent" in fields:
                placed.clear()  # a move re-paths the subtree: cached paths below it are stale
            placed[code] = _service(
                change.row, services.org_update, actor=actor, org=change.existing, **fields
            )
        handover.done(code, link)

    def set_link(row: Row, office: str) -> None:
        org, handler = (
            Organisation.objects.get(code=row.values["code"]),
            Organisation.objects.get(code=office),
        )
        _service(row, services.org_update, actor=actor, org=org, handling_office=handler)

    handover.finish(set_link)
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        object_type="orgs.organisation",
        object_repr=f"机构导入：{filename}"[:200],
        changes={
            "file": filename,
            "created": result.created,
            "updated": result.updated,
            "unchanged": len(result.unchanged),
        },
    )


def _service(row: Row, write: Callable[..., Organisation], **kwargs: Any) -> Organisation:
    """One service call for ``row``; a refusal becomes that row's error (and rolls the import back)."""
    try:
        return write(**kwargs)
    except ValidationError as exc:
        raise ApplyError(_validation_row_error(row.number, exc)) from exc
    except PermissionDenied as exc:
        raise ApplyError(RowError(row.number, "", str(exc))) from exc
    except IntegrityError as exc:
        raise ApplyError(RowError(row.number, "", "与其他机构的代码或名称冲突")) from exc


def _validation_row_error(number: int, exc: ValidationError) -> RowError:
    if hasattr(exc, "error_dict"):
        name, messages = next(iter(exc.message_dict.items()))
        return RowError(number, HEADER_OF.get(name, ""), "；".join(messages))
    return RowError(number, "", "；".join(exc.messages))
