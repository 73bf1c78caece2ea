"""Rules over any canonical annual-report JSON (computed or imported): each problem is a Finding naming its cells.

Public API: ``check_document(doc, *, previous=None, published_on=None, org_level=None, deadline=None)
-> list[Finding]``, ``errors(findings)``, ``Finding`` (``code``, ``severity``, ``message``, ``cells``;
``as_dict()`` its JSON), ``CODES`` (code → description). Stable finding codes are documented in README.md; cell
keys are ``CellRef.key`` strings (``"table3:<row key>:<column>"``, ``"table2:<item>/<row>:<column>"``,
``"table4:<group>:<column>"``), plus ``"sections:<一…六>"`` for sections and ``"table2"``/``"table3"``/``"table4"``
for whole tables. Modules: ``findings`` (the type, the codes), ``tables`` (structure, cell values, sum rules,
carry-over), ``text`` (sections, copied 五, text against the tables), ``engine`` (``check_document``, the kind,
schema, format and deadline rules).
"""

from __future__ import annotations

from .engine import check_document, errors
from .findings import CODES, Finding, Severity

__all__ = ["CODES", "Finding", "Severity", "check_document", "errors"]
