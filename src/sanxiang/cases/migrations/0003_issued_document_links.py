"""Issued documents: their activity, their vault item, the values they were rendered with; one
correction per version.

Nullable columns only (ALTER TABLE ADD COLUMN), so SQLite does not rebuild the insert-only
table; the triggers are re-installed anyway (idempotent) in case a backend rebuilt it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from sanxiang.records.triggers import apply


def reinstall_triggers(apps, schema_editor):
    apply(schema_editor.connection, ["cases_issueddocument"], install=True)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_insert_only_triggers'),
        ('records', '0003_evidence'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='issueddocument',
            name='activity',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='cases.activity', verbose_name='activity'),
        ),
        migrations.AddField(
            model_name='issueddocument',
            name='context',
            field=models.JSONField(blank=True, help_text='The values the template was rendered with (typed JSON).', null=True, verbose_name='rendered values'),
        ),
        migrations.AddField(
            model_name='issueddocument',
            name='evidence',
            field=models.ForeignKey(blank=True, help_text='The evidence item (kind document) holding the issued file.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='records.evidence', verbose_name='vault item'),
        ),
        migrations.AddConstraint(
            model_name='issueddocument',
            constraint=models.UniqueConstraint(condition=models.Q(('supersedes__isnull', False)), fields=('supersedes',), name='cases_issueddocument_one_correction'),
        ),
        migrations.RunPython(reinstall_triggers, migrations.RunPython.noop, elidable=False),
    ]
