"""Split the corpus into a development half and a test half, once: writes bench/corpus/split.json.

    python bench/corpus/split.py --dry-run     print the split, write nothing
    python bench/corpus/split.py               write split.json (refuses if it exists)
    python bench/corpus/split.py --force       overwrite it (only before it is committed: the split is fixed then)
    python bench/corpus/split.py --append      add labels that are not in split.json yet (committed ids never move)
    python bench/corpus/split.py --check       check split.json against the labels (every id in one half; derived
                                               files with their source); exit 1 on problems

Reads only the labels' metadata (id, shape, format, derived, derived_from) — never a file's content, never what the
importer makes of it. A real report and every file derived from it form one group, and a group goes to one half,
so the test half never shares a report with the development half. Groups are placed one by one, rarest shape and
stratum first (stratum = (shape, format) of each member), ties broken by a seeded SHA-256 of the real report's id;
each goes to the half that keeps its members' strata and shapes most even, each weighted by 1 / its size (so a
rare shape counts most), then the halves' sizes (a final tie: the hash's lowest bit). So every shape with two or
more reports lands on both sides wherever the groups allow. Adding a report can move others: split once, after
the labels are done.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels"
SPLIT = HERE / "split.json"
SEED = 20261206
HALVES = ("dev", "test")
METHOD = (
    "groups = a real report + the files derived from it (one half per group); strata = (shape, format) of each "
    "member; groups placed rarest shape/stratum first, then by sha256(f'{seed}:{id}') of the real report's id; "
    "each to the half where sum over members of (stratum count difference / stratum size + shape count "
    "difference / shape size) is lower, then fewer reports, then the hash's lowest bit"
)


def _hash(seed: int, ident: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{ident}".encode()).digest()[:8], "big")


def metadata() -> dict[str, dict[str, Any]]:
    """id → the label fields the split may use (nothing else is read into the result)."""
    out = {}
    for path in sorted(LABELS.glob("*.json")):
        lab = json.loads(path.read_text(encoding="utf-8"))
        out[path.stem] = {k: lab.get(k) for k in ("shape", "format", "derived", "derived_from")}
    return out


def groups(meta: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """Real report id → [it, its derived files…]; raises ValueError for a derived file without a real source."""
    out: dict[str, list[str]] = {i: [i] for i, m in meta.items() if not m["derived"]}
    for i, m in meta.items():
        if m["derived"]:
            if m["derived_from"] not in out:
                raise ValueError(
                    f"{i}: derived_from {m['derived_from']!r} is not a real report in the corpus"
                )
            out[m["derived_from"]].append(i)
    return out


def assign(
    meta: dict[str, dict[str, Any]], seed: int = SEED, fixed: dict[str, list[str]] | None = None
) -> dict[str, list[str]]:
    """{"dev": [ids], "test": [ids]} (sorted), deterministic for the given labels and seed.

    ``fixed``: a committed split. Its ids never move; a new file derived from a placed report joins that report's
    half, and only the new groups are placed, by the same rule, against the halves as they stand."""
    grouped = groups(meta)
    stratum = {i: (m["shape"], m["format"]) for i, m in meta.items()}
    size = Counter(stratum.values())
    shape_size = Counter(m["shape"] for m in meta.values())

    def rarity(g: str) -> tuple[int, int]:
        return min((shape_size[stratum[i][0]], size[stratum[i]]) for i in grouped[g])

    per_stratum = {h: Counter[tuple[Any, Any]]() for h in HALVES}
    per_shape = {h: Counter[Any]() for h in HALVES}
    halves: dict[str, list[str]] = {h: [] for h in HALVES}

    def place(half: str, ids: list[str]) -> None:
        for i in ids:
            halves[half].append(i)
            per_stratum[half][stratum[i]] += 1
            per_shape[half][stratum[i][0]] += 1

    placed = {i: h for h in HALVES for i in (fixed or {}).get(h, []) if i in meta}
    for g in list(grouped):
        if g in placed:
            place(placed[g], grouped.pop(g))
    order = sorted(grouped, key=lambda g: (rarity(g), _hash(seed, g), g))
    for g in order:
        members = grouped[g]

        def cost(h: str, members: list[str] = members) -> tuple[Fraction, int]:
            """How uneven the halves get with the group in h: each member's stratum and shape, weighted by
            1 / their size (a rare shape counts most), then the halves' sizes."""
            o = HALVES[1 - HALVES.index(h)]
            uneven = Fraction(0)
            for i in members:
                st = stratum[i]
                uneven += Fraction(per_stratum[h][st] - per_stratum[o][st], size[st])
                uneven += Fraction(per_shape[h][st[0]] - per_shape[o][st[0]], shape_size[st[0]])
            return uneven, len(halves[h]) - len(halves[o])

        costs = {h: cost(h) for h in HALVES}
        if costs["dev"] == costs["test"]:
            half = HALVES[_hash(seed, g) & 1]
        else:
            half = min(HALVES, key=lambda h: costs[h])
        place(half, members)
    return {h: sorted(ids) for h, ids in halves.items()}


def describe(meta: dict[str, dict[str, Any]], split: dict[str, list[str]]) -> str:
    half_of = {i: h for h in HALVES for i in split.get(h, [])}
    strata = sorted({(m["shape"], m["format"]) for m in meta.values()}, key=str)
    lines = [f"{'shape':14} {'format':6} {'dev':>4} {'test':>4}"]
    for shape, fmt in strata:
        ids = [i for i, m in meta.items() if (m["shape"], m["format"]) == (shape, fmt)]
        dev = sum(half_of.get(i) == "dev" for i in ids)
        lines.append(f"{shape!s:14} {fmt!s:6} {dev:4} {len(ids) - dev:4}")
    lines.append(f"{'total':21} {len(split.get('dev', [])):4} {len(split.get('test', [])):4}")
    lines.append("dev:  " + " ".join(split.get("dev", [])))
    lines.append("test: " + " ".join(split.get("test", [])))
    return "\n".join(lines)


def check(meta: dict[str, dict[str, Any]], split: dict[str, Any]) -> list[str]:
    """Problems of a split against the labels: ids missing or twice, derived files away from their source."""
    problems = []
    seen = Counter(i for h in HALVES for i in split.get(h, []))
    problems += [f"{i} is in both halves" for i, n in seen.items() if n > 1]
    problems += [f"{i} is in no half" for i in meta if i not in seen]
    problems += [f"{i} is in the split but has no label" for i in seen if i not in meta]
    half_of = {i: h for h in HALVES for i in split.get(h, [])}
    for i, m in meta.items():
        if m["derived"] and i in half_of and half_of.get(m["derived_from"]) != half_of[i]:
            problems.append(f"{i} (derived from {m['derived_from']}) is not in its source's half")
    return problems


def load_split() -> dict[str, Any] | None:
    return json.loads(SPLIT.read_text(encoding="utf-8")) if SPLIT.exists() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dry-run", action="store_true", help="print the split, write nothing")
    parser.add_argument("--force", action="store_true", help="overwrite an existing split.json")
    parser.add_argument("--check", action="store_true", help="check split.json against the labels")
    parser.add_argument(
        "--append",
        action="store_true",
        help="place only labels not in split.json yet (committed ids never move)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    meta = metadata()
    if args.check:
        split = load_split()
        if split is None:
            print("no split.json yet")
            return 1
        problems = check(meta, split)
        print(describe(meta, split))
        print("\n".join(problems) or "split.json covers every label; derived files are with their sources")
        return 1 if problems else 0
    committed = load_split() if args.append else None
    if args.append and committed is None:
        print("--append needs an existing split.json", file=sys.stderr)
        return 1
    split = assign(meta, args.seed, fixed=committed)
    if committed is not None:
        moved = [i for h in HALVES for i in committed.get(h, []) if i not in split[h]]
        assert not moved, f"committed ids moved: {moved}"
    doc = {"seed": args.seed, "method": METHOD, **split}
    print(describe(meta, split))
    if args.dry_run:
        return 0
    if SPLIT.exists() and not (args.force or args.append):
        print(f"{SPLIT} exists: the split is fixed once committed (--force to "
              "overwrite an uncommitted one)", file=sys.stderr)  # fmt: skip
        return 1
    SPLIT.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {SPLIT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
