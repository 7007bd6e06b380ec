"""The ledger's query columns become stored generated columns of the hashed body.

`at`, `actor`, `subject`, `action` and `prev` are computed by the database from `body`
(`records.ledger_columns`), so no one can write them and they cannot differ from what was
hashed; `seq_in_body` (does the body state the entry's `seq`?) is added for the verifiers. On SQLite the
table is rebuilt (a generated column cannot be added to a table with rows as STORED, and `seq`
becomes the rowid); on PostgreSQL the columns are replaced in place. Existing rows keep their
`seq`, `entry_hash` and `body`; the insert-only triggers are installed again.
"""

from django.db import migrations, models

from sanxiang.records import ledger_columns, triggers

TABLE = ledger_columns.TABLE


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                           "AND sql IS NOT NULL ORDER BY name", [TABLE])
            indexes = [row[0] for row in cursor.fetchall()]
            new = f"{TABLE}__new"
            cursor.execute(ledger_columns.sqlite_create_table(new))
            copy = f'INSERT INTO "{new}" (seq, entry_hash, body) SELECT seq, entry_hash, body FROM {TABLE} ORDER BY seq'  # noqa: S608
            cursor.execute(copy)
            cursor.execute(f"DROP TABLE {TABLE}")  # its triggers go with it
            cursor.execute(f'ALTER TABLE "{new}" RENAME TO "{TABLE}"')
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s "
                           "ORDER BY indexname", [TABLE, "%(subject%"])
            indexes = [row[0] for row in cursor.fetchall()]
            cursor.execute(ledger_columns.PG_CREATE_TIME_FUNCTION)
            drops = ", ".join(f"DROP COLUMN {name}" for name in ledger_columns.GENERATED)
            cursor.execute(f"ALTER TABLE {TABLE} {drops}, {ledger_columns.pg_add_columns()}")
        for sql in indexes:
            cursor.execute(sql)
    triggers.apply(connection, [TABLE], install=True)


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0003_evidence'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, elidable=False)],
            state_operations=[
            migrations.AlterField(
                model_name='ledgerentry',
                name='action',
                field=models.GeneratedField(db_persist=True, expression=ledger_columns.BodyValue('action'), output_field=models.CharField(max_length=100), verbose_name='action'),
            ),
            migrations.AlterField(
                model_name='ledgerentry',
                name='actor',
                field=models.GeneratedField(db_persist=True, expression=ledger_columns.BodyValue('actor'), output_field=models.CharField(max_length=100), verbose_name='actor'),
            ),
            migrations.AlterField(
                model_name='ledgerentry',
                name='at',
                field=models.GeneratedField(db_persist=True, expression=ledger_columns.BodyValue('at'), output_field=models.DateTimeField(verbose_name='time'), verbose_name='time'),
            ),
            migrations.AlterField(
                model_name='ledgerentry',
                name='prev',
                field=models.GeneratedField(db_persist=True, expression=ledger_columns.BodyValue('prev'), output_field=models.CharField(max_length=64), verbose_name='previous hash'),
            ),
            migrations.AlterField(
                model_name='ledgerentry',
                name='subject',
                field=models.GeneratedField(db_index=True, db_persist=True, expression=ledger_columns.BodyValue('subject'), output_field=models.CharField(max_length=100), verbose_name='subject'),
            ),
        ],
        ),
    ]
