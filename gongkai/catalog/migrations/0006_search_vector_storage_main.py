"""PostgreSQL: keep the search vector in the row, uncompressed, and move the token text to TOAST instead.

A searchentry row (title tokens + body tokens + vector) is larger than the 2 kB TOAST threshold, and by default
the vector — the biggest column — was compressed or moved out of line, so every ``vector @@ query`` tested
outside the GIN index (the capped count of a frequent word, the walk of the newest entries) paid a
decompression or a TOAST fetch: 1.3–7 µs per row, against 0.55 µs with STORAGE MAIN (BENCHMARKS.md). Rows
written before this migration keep their layout until they are rewritten.
"""

from django.db import migrations


def vector_main(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalog_searchentry ALTER COLUMN vector SET STORAGE MAIN")


def vector_extended(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE catalog_searchentry ALTER COLUMN vector SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_item_org_pub_id_index")]

    operations = [migrations.RunPython(vector_main, vector_extended)]
