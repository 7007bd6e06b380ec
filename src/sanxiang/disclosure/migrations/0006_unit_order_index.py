from django.db import migrations, models

from sanxiang.disclosure import search


def analyze_new_index(apps, schema_editor) -> None:
    search.analyze_index(schema_editor, "disclosure_item_unit_order")


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
