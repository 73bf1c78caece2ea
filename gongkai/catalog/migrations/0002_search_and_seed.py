"""Search index structures per database vendor, and the seed 领域 / 错敏词 rows."""

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


def seed(apps, schema_editor):
    from gongkai.catalog.seed import seed_fields, seed_typos

    seed_fields(apps.get_model("catalog", "Field"))
    seed_typos(apps.get_model("catalog", "TypoEntry"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
