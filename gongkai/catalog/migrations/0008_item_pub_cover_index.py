# The newest-first index of the public lists carries the status and the organisation too, so the ids of a city's
# list page are read from the index alone (no row fetched per item to check them; BENCHMARKS.md, issue 22). The new
# index is built before the old one is dropped, so the lists are never without one.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_rebuild_item_org_pub_id_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="item",
            index=models.Index(fields=["published_at", "id", "status", "org"], name="catalog_item_pub_cover"),
        ),
        migrations.RemoveIndex(model_name="item", name="catalog_item_pub_id"),
    ]
