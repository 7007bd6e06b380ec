"""The ledger's query columns are computed by the database from the hashed body (生成列).

A ledger entry is its canonical body: `{action, actor, at, payload, prev, seq, subject}` as
canonical JSON, and `entry_hash` = SHA-256 of it. The columns `at`, `actor`, `subject`,
`action` and `prev` exist only to be queried; they are STORED generated columns whose values
the database derives from `body` on every insert, on both SQLite and PostgreSQL. Nobody can
write them, so they cannot drift from what was hashed, and the verifiers need not compare
them row by row — as long as the table is still defined that way, which
`generated_columns_intact()` checks against the definitions below (a person with direct
database access could rebuild the table with plain columns; the verifiers then compare every
row's columns with its body again).

`seq` cannot be a generated column (it is the primary key: on SQLite the rowid, so reading a
range of entries is one range scan of the table). `seq_in_body`, also generated, says whether
the body states that very `seq` as a JSON integer (a body saying `"seq":"5"` does not state
5); the database computes it whenever `seq` or `body` is written, so the verifiers only read
it (`SEQ_MISMATCH`). It is not a field of the Django model: only the verifiers read it.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Func

TABLE = "records_ledgerentry"

#: Body keys of the generated columns.
GENERATED = ("at", "actor", "subject", "action", "prev")

# ---------------------------------------------------------------------------------- SQLite

# `at`: the body's ISO text ("2026-11-27T21:28:00.123456+00:00") in the form Django stores a
# UTC time on SQLite ("2026-11-27 21:28:00.123456"); any other offset is kept, so the column
# always denotes the body's instant.
_SQLITE_AT = ("CASE WHEN substr(json_extract(\"body\", '$.at'), -6) = '+00:00' "
              "THEN replace(substr(json_extract(\"body\", '$.at'), 1, length(json_extract(\"body\", '$.at')) - 6), "
              "'T', ' ') ELSE json_extract(\"body\", '$.at') END")

SQLITE_EXPRESSIONS = {
    "at": _SQLITE_AT,
    "actor": "json_extract(\"body\", '$.actor')",
    "subject": "json_extract(\"body\", '$.subject')",
    "action": "json_extract(\"body\", '$.action')",
    "prev": "json_extract(\"body\", '$.prev')",
}


def sqlite_create_table(name: str = TABLE) -> str:
    """The table as the migration creates it (and as SQLite keeps its text in `sqlite_master`)."""
    return (
        f'CREATE TABLE "{name}" ('
        '"seq" integer NOT NULL PRIMARY KEY CHECK ("seq" >= 0), '
        '"entry_hash" varchar(64) NOT NULL UNIQUE, '
        '"body" text NOT NULL, '
        f'"at" datetime NOT NULL GENERATED ALWAYS AS ({SQLITE_EXPRESSIONS["at"]}) STORED, '
        f'"actor" varchar(100) NOT NULL GENERATED ALWAYS AS ({SQLITE_EXPRESSIONS["actor"]}) STORED, '
        f'"subject" varchar(100) NOT NULL GENERATED ALWAYS AS ({SQLITE_EXPRESSIONS["subject"]}) STORED, '
        f'"action" varchar(100) NOT NULL GENERATED ALWAYS AS ({SQLITE_EXPRESSIONS["action"]}) STORED, '
        f'"prev" varchar(64) NOT NULL GENERATED ALWAYS AS ({SQLITE_EXPRESSIONS["prev"]}) STORED, '
        "\"seq_in_body\" GENERATED ALWAYS AS (typeof(json_extract(\"body\", '$.seq')) = 'integer' "
        "AND json_extract(\"body\", '$.seq') = \"seq\") STORED)"
    )


# ------------------------------------------------------------------------------ PostgreSQL

# Text to timestamptz is only STABLE in PostgreSQL (it may read the session's time zone); the
# body always names its offset, so the conversion is immutable here, as a generated column
# requires.
PG_TIME_FUNCTION = "sanxiang_ledger_time"
PG_TIME_FUNCTION_BODY = " SELECT (($1)::jsonb ->> 'at')::timestamptz "
PG_CREATE_TIME_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION {PG_TIME_FUNCTION}(text) RETURNS timestamptz "
    f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $${PG_TIME_FUNCTION_BODY}$$"
)

PG_EXPRESSIONS = {
    "at": f"{PG_TIME_FUNCTION}(body)",
    "actor": "((body)::jsonb ->> 'actor')",
    "subject": "((body)::jsonb ->> 'subject')",
    "action": "((body)::jsonb ->> 'action')",
    "prev": "((body)::jsonb ->> 'prev')",
    "seq_in_body": ("CASE WHEN jsonb_typeof((body)::jsonb -> 'seq') = 'number' "
                    "THEN ((body)::jsonb ->> 'seq')::numeric = seq ELSE false END"),
}
# Column types, spelled as PostgreSQL prints them back (`format_type`), which is valid DDL too.
PG_TYPES = {"at": "timestamp with time zone", "actor": "character varying(100)",
            "subject": "character varying(100)", "action": "character varying(100)",
            "prev": "character varying(64)", "seq_in_body": "boolean"}

# The expressions as PostgreSQL prints them back (`pg_get_expr`).
_PG_DEPARSED = {
    "at": "sanxiang_ledger_time(body)",
    "actor": "((body)::jsonb ->> 'actor'::text)",
    "subject": "((body)::jsonb ->> 'subject'::text)",
    "action": "((body)::jsonb ->> 'action'::text)",
    "prev": "((body)::jsonb ->> 'prev'::text)",
    "seq_in_body": ("\nCASE\n    WHEN (jsonb_typeof(((body)::jsonb -> 'seq'::text)) = 'number'::text) "
                    "THEN ((((body)::jsonb ->> 'seq'::text))::numeric = (seq)::numeric)\n    ELSE false\nEND"),
}


def pg_add_columns() -> str:
    """The ALTER TABLE clauses adding the generated columns."""
    return ", ".join(
        f"ADD COLUMN {name} {PG_TYPES[name]} NOT NULL "
        f"GENERATED ALWAYS AS ({expression}) STORED"
        for name, expression in PG_EXPRESSIONS.items())


# ------------------------------------------------------------------------------- both

#: True (SQL, both databases) for an entry whose body does not state its `seq`.
SEQ_MISMATCH = "NOT seq_in_body"


def generated_columns_intact(connection) -> bool:
    """Is the ledger table still defined with the generated columns above, and `seq` its
    integer primary key (so the sequence numbers are distinct integers)?"""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
            row = cursor.fetchone()
            return row is not None and row[0] == sqlite_create_table()
        if connection.vendor != "postgresql":
            return False
        cursor.execute(
            "SELECT a.attname, a.attgenerated, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid) "
            "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped", [TABLE])
        columns = {name: (generated, printed_type, expression) for name, generated, printed_type, expression
                   in cursor.fetchall()}
        if any(columns.get(name) != ("s", PG_TYPES[name], expression)
               for name, expression in _PG_DEPARSED.items()):
            return False
        if columns.get("seq") != ("", "bigint", None):
            return False
        cursor.execute("SELECT pg_get_constraintdef(oid), convalidated FROM pg_constraint "
                       "WHERE conrelid = to_regclass(%s) AND contype = 'p'", [TABLE])
        if cursor.fetchall() != [("PRIMARY KEY (seq)", True)]:
            return False
        cursor.execute("SELECT prosrc, provolatile, pronargs FROM pg_proc WHERE proname = %s", [PG_TIME_FUNCTION])
        return cursor.fetchall() == [(PG_TIME_FUNCTION_BODY, "i", 1)]


class BodyValue(Func):
    """A value of the ledger entry's canonical body, as the database computes the column."""

    def __init__(self, key: str, **extra) -> None:
        if key not in GENERATED:
            raise ValueError(f"no generated ledger column {key!r}")
        self.key = key
        super().__init__(F("body"), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor == "sqlite":
            return SQLITE_EXPRESSIONS[self.key], []
        if connection.vendor == "postgresql":
            return PG_EXPRESSIONS[self.key], []
        raise ImproperlyConfigured(f"the ledger runs on SQLite and PostgreSQL, not {connection.vendor}")
