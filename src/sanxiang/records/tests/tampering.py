"""What a person with direct database access could do to the ledger table (test support)."""

from __future__ import annotations

from django.db import connection

from sanxiang.records import ledger_columns


def raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def make_columns_plain() -> None:
    """Turn the generated columns into plain, writable ones holding the same values: SQLite by
    rebuilding the table, PostgreSQL by dropping the expressions (run inside the test's
    transaction, which rolls it back)."""
    table = ledger_columns.TABLE
    if connection.vendor == "sqlite":
        raw(f"CREATE TABLE plain_ledger AS SELECT seq, at, actor, subject, action, prev, seq_in_body, entry_hash, body "
            f"FROM {table} ORDER BY seq")  # noqa: S608 - constant names
        raw(f"DROP TABLE {table}")
        raw(f"ALTER TABLE plain_ledger RENAME TO {table}")
    else:
        for name in (*ledger_columns.GENERATED, "seq_in_body"):
            raw(f"ALTER TABLE {table} ALTER COLUMN {name} DROP EXPRESSION")
    assert not ledger_columns.generated_columns_intact(connection)


def insert_entry(seq: int, entry_hash: str, body: str) -> None:
    """A row written by hand (the database computes the generated columns)."""
    raw(f"INSERT INTO {ledger_columns.TABLE} (seq, entry_hash, body) VALUES (%s, %s, %s)",  # noqa: S608
        seq, entry_hash, body)
