from django.db import migrations

from sanxiang.disclosure import search


def install(apps, schema_editor) -> None:
    search.install_fine_order(schema_editor)


def uninstall(apps, schema_editor) -> None:
    search.uninstall_fine_order(schema_editor)


class Migration(migrations.Migration):
    """The index of the order "largest fine first" (`search.install_fine_order`: written per
    database, so not in the model's `Meta.indexes`)."""

    dependencies = [
        ('disclosure', '0006_unit_order_index'),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
