"""Search index structures per database vendor, and the seed 领域 / 错敏词 rows.

The seed rows are frozen here as they were when this migration was written (a migration never imports live
code: a later edit of gongkai.catalog.seed or of the vocabulary must not change what an old migration inserts).
Both lists stay editable by staff afterwards; gongkai/catalog/tests/test_frozen_seed.py checks that this copy
and the live seed functions produce the same rows.
"""

from django.db import migrations


def create_search_index(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_fts USING fts5(title, body, tokenize='unicode61')"
        )
    elif conn.vendor == "postgresql":
        # A stored tsvector (title weighted A, the rest B) so ranking does not re-parse the text per row.
        schema_editor.execute(
            "ALTER TABLE catalog_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple', title_tokens), 'A') || setweight(to_tsvector('simple', tokens), 'B')"
            ") STORED"
        )
        schema_editor.execute("CREATE INDEX catalog_search_gin ON catalog_searchentry USING gin (vector)")


def drop_search_index(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS catalog_fts")
    elif conn.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_search_gin")
        schema_editor.execute("ALTER TABLE catalog_searchentry DROP COLUMN IF EXISTS vector")


# 国办发〔2017〕42号 / 国办发〔2019〕54号: the 26 试点领域 in their order, (name, alias).
PILOT_FIELDS = (
    ("重大建设项目", ""),
    ("公共资源交易", ""),
    ("财政预决算", ""),
    ("安全生产", ""),
    ("税收管理", ""),
    ("征地补偿", ""),
    ("国有土地上房屋征收与补偿", ""),
    ("农村危房改造", ""),
    ("城乡规划", ""),
    ("保障性住房", ""),
    ("环境保护", "生态环境"),
    ("公共文化服务", ""),
    ("公共法律服务", ""),
    ("扶贫", ""),
    ("救灾", ""),
    ("食品药品监管", ""),
    ("城市综合执法", ""),
    ("就业", ""),
    ("社会救助", ""),
    ("养老服务", ""),
    ("户籍管理", ""),
    ("涉农补贴", ""),
    ("医疗卫生", "卫生健康"),
    ("市政服务", ""),
    ("义务教育", ""),
    ("社会保险", ""),
)

# (wrong, correct, kind, severity, note). Organ names changed in the 2018 State Council reform.
TYPO_SEED = (
    ("社会主意", "社会主义", "serious", "block", ""),
    ("中国特色社会主意", "中国特色社会主义", "serious", "block", ""),
    ("中华人民共和国政府信息公开条列", "中华人民共和国政府信息公开条例", "serious", "block", ""),
    ("政府信息公开条列", "政府信息公开条例", "typo", "block", ""),
    ("国务院办公厅办公厅", "国务院办公厅", "organ_name", "block", ""),
    ("国家工商行政管理总局", "国家市场监督管理总局", "outdated", "warn", "2018年机构改革后撤销"),
    ("国家质量监督检验检疫总局", "国家市场监督管理总局", "outdated", "warn", "2018年机构改革后撤销"),
    ("国家食品药品监督管理总局", "国家市场监督管理总局", "outdated", "warn", "2018年机构改革后撤销"),
    ("国家卫生和计划生育委员会", "国家卫生健康委员会", "outdated", "warn", "2018年机构改革后撤销"),
    ("国土资源部", "自然资源部", "outdated", "warn", "2018年机构改革后撤销"),
    ("环境保护部", "生态环境部", "outdated", "warn", "2018年机构改革后撤销"),
    ("国家安全生产监督管理总局", "应急管理部", "outdated", "warn", "2018年机构改革后撤销"),
    ("农业部", "农业农村部", "outdated", "warn", "2018年机构改革后更名"),
    ("文化部", "文化和旅游部", "outdated", "warn", "2018年机构改革后撤销"),
    ("监察部", "国家监察委员会", "outdated", "warn", "2018年并入国家监察委员会"),
    ("按排", "安排", "typo", "warn", ""),
    ("既使", "即使", "typo", "warn", ""),
    ("再接再励", "再接再厉", "typo", "warn", ""),
    ("迫不急待", "迫不及待", "typo", "warn", ""),
    ("一愁莫展", "一筹莫展", "typo", "warn", ""),
    ("甘败下风", "甘拜下风", "typo", "warn", ""),
    ("默守成规", "墨守成规", "typo", "warn", ""),
    ("正本清原", "正本清源", "typo", "warn", ""),
    ("不径而走", "不胫而走", "typo", "warn", ""),
    ("出奇不意", "出其不意", "typo", "warn", ""),
)


def seed(apps, schema_editor):
    """Create the pilot fields and 错敏词 that are missing (by name / by wrong form)."""
    Field = apps.get_model("catalog", "Field")
    TypoEntry = apps.get_model("catalog", "TypoEntry")
    for n, (name, alias) in enumerate(PILOT_FIELDS, start=1):
        Field.objects.get_or_create(name=name, defaults={"alias": alias, "is_pilot": True, "sort_order": n})
    for wrong, correct, kind, severity, note in TYPO_SEED:
        TypoEntry.objects.get_or_create(
            wrong=wrong, defaults={"correct": correct, "kind": kind, "severity": severity, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
