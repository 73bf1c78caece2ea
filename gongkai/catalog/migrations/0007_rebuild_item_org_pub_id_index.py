# Migration 0005 was edited after it first landed (commit 334321b added ``status`` to the index). A database that
# applied the first version still has the three-column index, and ``migrate`` would never correct it: drop and
# re-create the index under its name, so every database ends with the four columns the model declares.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_search_vector_storage_main"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="item", name="catalog_item_org_pub_id"),
        migrations.AddIndex(
            model_name="item",
            index=models.Index(fields=["org", "published_at", "id", "status"], name="catalog_item_org_pub_id"),
        ),
    ]
