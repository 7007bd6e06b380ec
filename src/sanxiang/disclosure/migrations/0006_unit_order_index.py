from django.db import migrations, models


def analyze_new_index(apps, schema_editor) -> None:
    """SQLite: where the table already has planner statistics (`ANALYZE` was run), gather them
    for the new index too — an index without statistics looks cheap next to indexes with them."""
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps its statistics per column, not per index
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return
        cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'disclosure_publicationitem' LIMIT 1")
        if cursor.fetchone() is not None:
            cursor.execute("ANALYZE disclosure_item_unit_order")


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0005_search_order_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='publicationitem',
            index=models.Index(fields=['unit_code', '-decided_on', '-published_at', '-id'], name='disclosure_item_unit_order'),
        ),
        migrations.RunPython(analyze_new_index, migrations.RunPython.noop),
    ]
