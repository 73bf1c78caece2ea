"""Seed data: the 26 试点领域 and the starting 错敏词 dictionary (both editable by staff afterwards)."""

from __future__ import annotations

from typing import Any

from .vocab import PILOT_FIELDS, Severity, TypoKind

# (wrong, correct, kind, severity, note). Organ names changed in the 2018 State Council reform.
TYPO_SEED: tuple[tuple[str, str, str, str, str], ...] = (
    ("社会主意", "社会主义", TypoKind.SERIOUS, Severity.BLOCK, ""),
    ("中国特色社会主意", "中国特色社会主义", TypoKind.SERIOUS, Severity.BLOCK, ""),
    (
        "中华人民共和国政府信息公开条列",
        "中华人民共和国政府信息公开条例",
        TypoKind.SERIOUS,
        Severity.BLOCK,
        "",
    ),
    ("政府信息公开条列", "政府信息公开条例", TypoKind.TYPO, Severity.BLOCK, ""),
    ("国务院办公厅办公厅", "国务院办公厅", TypoKind.ORGAN_NAME, Severity.BLOCK, ""),
    (
        "国家工商行政管理总局",
        "国家市场监督管理总局",
        TypoKind.OUTDATED,
        Severity.WARN,
        "2018年机构改革后撤销",
    ),
    (
        "国家质量监督检验检疫总局",
        "国家市场监督管理总局",
        TypoKind.OUTDATED,
        Severity.WARN,
        "2018年机构改革后撤销",
    ),
    (
        "国家食品药品监督管理总局",
        "国家市场监督管理总局",
        TypoKind.OUTDATED,
        Severity.WARN,
        "2018年机构改革后撤销",
    ),
    (
        "国家卫生和计划生育委员会",
        "国家卫生健康委员会",
        TypoKind.OUTDATED,
        Severity.WARN,
        "2018年机构改革后撤销",
    ),
    ("国土资源部", "自然资源部", TypoKind.OUTDATED, Severity.WARN, "2018年机构改革后撤销"),
    ("环境保护部", "生态环境部", TypoKind.OUTDATED, Severity.WARN, "2018年机构改革后撤销"),
    ("国家安全生产监督管理总局", "应急管理部", TypoKind.OUTDATED, Severity.WARN, "2018年机构改革后撤销"),
    ("农业部", "农业农村部", TypoKind.OUTDATED, Severity.WARN, "2018年机构改革后更名"),
    ("文化部", "文化和旅游部", TypoKind.OUTDATED, Severity.WARN, "2018年机构改革后撤销"),
    ("监察部", "国家监察委员会", TypoKind.OUTDATED, Severity.WARN, "2018年并入国家监察委员会"),
    ("按排", "安排", TypoKind.TYPO, Severity.WARN, ""),
    ("既使", "即使", TypoKind.TYPO, Severity.WARN, ""),
    ("再接再励", "再接再厉", TypoKind.TYPO, Severity.WARN, ""),
    ("迫不急待", "迫不及待", TypoKind.TYPO, Severity.WARN, ""),
    ("一愁莫展", "一筹莫展", TypoKind.TYPO, Severity.WARN, ""),
    ("甘败下风", "甘拜下风", TypoKind.TYPO, Severity.WARN, ""),
    ("默守成规", "墨守成规", TypoKind.TYPO, Severity.WARN, ""),
    ("正本清原", "正本清源", TypoKind.TYPO, Severity.WARN, ""),
    ("不径而走", "不胫而走", TypoKind.TYPO, Severity.WARN, ""),
    ("出奇不意", "出其不意", TypoKind.TYPO, Severity.WARN, ""),
)


def seed_fields(field_model: Any) -> int:
    """Create the 26 pilot fields that are missing (by name); returns how many were created."""
    created = 0
    for n, f in enumerate(PILOT_FIELDS, start=1):
        _, new = field_model.objects.get_or_create(
            name=f.name, defaults={"alias": f.alias, "is_pilot": True, "sort_order": n}
        )
        created += int(new)
    return created


def seed_typos(entry_model: Any) -> int:
    created = 0
    for wrong, correct, kind, severity, note in TYPO_SEED:
        _, new = entry_model.objects.get_or_create(
            wrong=wrong,
            defaults={"correct": correct, "kind": str(kind), "severity": str(severity), "note": note},
        )
        created += int(new)
    return created
