"""Full-text substring search of published decisions (公示检索): Chinese substrings, both databases.

What a search means is the same everywhere: a decision matches when its public text
(`PublicationItem.public_text`, every string of the public record) contains the query as a
substring, ASCII letters compared without case. Chinese has no spaces between words, so the
indexes are built on character trigrams, which find any substring of three characters or more:

* SQLite: an FTS5 table with the ``trigram`` tokenizer (`disclosure_search`, external
  content: it indexes `public_text` of `disclosure_publicationitem` without a second copy,
  kept in step by three triggers);
* PostgreSQL: the ``pg_trgm`` extension and a GIN index on ``UPPER(public_text)``, which is
  what Django's ``icontains`` compares.

On both, the exact substring condition (``icontains``) is always applied as well, so the
index only narrows the rows and never changes the answer. Queries of one or two characters
have no trigram: they are answered by the same condition without the index.

On SQLite a migration that rebuilds `disclosure_publicationitem` (most `AlterField`s do)
drops the three triggers with the old table: such a migration must call `install` again.

How common the trigrams of the decisions are is kept in `SearchTrigram` (`refresh_statistics`,
run by `sanxiang db optimize`): a hint for choosing how a search runs, never part of an answer.

The order "largest fine first" has its own index, written per database because PostgreSQL
needs ``NULLS LAST`` spelled out (SQLite sorts NULL lowest, so ``DESC`` already puts it last,
and does not accept the words in an index): `install_fine_order`.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import nullcontext

from django.db import connection, transaction
from django.db.models import QuerySet

__all__ = ["FINE_ORDER_INDEX", "MIN_INDEXED_LENGTH", "PROBE_LIMIT", "analyze_index", "candidates", "filter_text",
           "forget_statistics", "fts_phrase", "install", "install_fine_order", "match_text", "rebuild",
           "refresh_statistics", "statistics", "trigrams", "uninstall", "uninstall_fine_order"]

#: Shortest query the trigram indexes can answer.
MIN_INDEXED_LENGTH = 3
#: A text held by at most this many items is looked up in the index (`candidates`).
PROBE_LIMIT = 2000
#: Newest live decisions read by `refresh_statistics`.
STATISTICS_SAMPLE = 20_000
#: Seconds a process keeps the statistics it read (`statistics`; they change once a night).
STATISTICS_SECONDS = 60

_statistics: tuple[float, dict[str, tuple[float, int]]] | None = None


_SQLITE_INSTALL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS disclosure_search USING fts5("
    "public_text, content='disclosure_publicationitem', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS disclosure_search_ai AFTER INSERT ON disclosure_publicationitem BEGIN "
    "INSERT INTO disclosure_search(rowid, public_text) VALUES (new.id, new.public_text); END",
    "CREATE TRIGGER IF NOT EXISTS disclosure_search_ad AFTER DELETE ON disclosure_publicationitem BEGIN "
    "INSERT INTO disclosure_search(disclosure_search, rowid, public_text) "
    "VALUES ('delete', old.id, old.public_text); END",
    "CREATE TRIGGER IF NOT EXISTS disclosure_search_au AFTER UPDATE OF public_text "
    "ON disclosure_publicationitem BEGIN "
    "INSERT INTO disclosure_search(disclosure_search, rowid, public_text) "
    "VALUES ('delete', old.id, old.public_text); "
    "INSERT INTO disclosure_search(rowid, public_text) VALUES (new.id, new.public_text); END",
)
_SQLITE_REBUILD = ("INSERT INTO disclosure_search(disclosure_search) VALUES ('rebuild')",)
_SQLITE_UNINSTALL = (
    "DROP TRIGGER IF EXISTS disclosure_search_ai",
    "DROP TRIGGER IF EXISTS disclosure_search_ad",
    "DROP TRIGGER IF EXISTS disclosure_search_au",
    "DROP TABLE IF EXISTS disclosure_search",
)
_SQLITE_MATCH = "SELECT rowid FROM disclosure_search WHERE disclosure_search MATCH %s"
_PG_INSTALL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS disclosure_item_text_trgm ON disclosure_publicationitem "
    "USING gin (UPPER(public_text) gin_trgm_ops)",
)
_PG_UNINSTALL = ("DROP INDEX IF EXISTS disclosure_item_text_trgm",)


#: The index of the order "largest fine first" (`selectors.PUBLIC_SORTS["fine"]`).
FINE_ORDER_INDEX = "disclosure_item_fine_order"
_FINE_ORDER_COLUMNS = {
    "sqlite": "fine_amount DESC, decided_on DESC, id DESC",
    "postgresql": "fine_amount DESC NULLS LAST, decided_on DESC, id DESC",
}


def _run(schema_editor_or_connection, statements) -> None:
    conn = getattr(schema_editor_or_connection, "connection", schema_editor_or_connection)
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(schema_editor) -> None:
    """Create the search index of the database in use (migration `disclosure.0004`)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, _SQLITE_INSTALL)
        _run(schema_editor, _SQLITE_REBUILD)
    elif vendor == "postgresql":
        _run(schema_editor, _PG_INSTALL)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, _SQLITE_UNINSTALL)
    elif vendor == "postgresql":
        _run(schema_editor, _PG_UNINSTALL)


def install_fine_order(schema_editor) -> None:
    """Create the index of the fine order (migration `disclosure.0007`)."""
    columns = _FINE_ORDER_COLUMNS[schema_editor.connection.vendor]
    _run(schema_editor, [f"CREATE INDEX IF NOT EXISTS {FINE_ORDER_INDEX} "
                         f"ON disclosure_publicationitem ({columns})"])
    analyze_index(schema_editor, FINE_ORDER_INDEX)


def uninstall_fine_order(schema_editor) -> None:
    _run(schema_editor, [f"DROP INDEX IF EXISTS {FINE_ORDER_INDEX}"])


def analyze_index(schema_editor, name: str) -> None:
    """SQLite: where `disclosure_publicationitem` already has planner statistics (`ANALYZE`
    was run), gather them for the new index `name` too — an index without statistics looks
    cheap next to indexes with them. PostgreSQL keeps statistics per column, not per index."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return
        cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'disclosure_publicationitem' LIMIT 1")
        if cursor.fetchone() is not None:
            cursor.execute(f"ANALYZE {name}")


def rebuild() -> None:
    """Rebuild the SQLite index from the table (after a bulk load that bypassed the triggers)."""
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_REBUILD)


def trigrams(text: str) -> set[str]:
    """The distinct three-character substrings of `text` (none when it is shorter)."""
    return {text[i:i + 3] for i in range(len(text) - 2)}


def refresh_statistics(sample: int = STATISTICS_SAMPLE) -> dict:
    """Replace the trigram statistics (`SearchTrigram`) with new ones: the share of the newest
    `sample` live decisions whose public text holds each trigram, and the number of live
    decisions that share stands for. Only trigrams held by at least `PROBE_LIMIT` decisions are
    kept (a text with a rarer trigram is rarer still: it is looked up in the index). Returns
    what was measured (`live`, `sampled`, `kept`)."""
    from sanxiang.disclosure.models import LIVE_STATES, PublicationItem, SearchTrigram
    from sanxiang.disclosure.selectors import PUBLIC_SORTS

    live = PublicationItem.objects.filter(state__in=LIVE_STATES)
    total = live.count()
    held: Counter[str] = Counter()
    sampled = 0
    newest = live.order_by(*PUBLIC_SORTS["newest"]).values_list("public_text", flat=True)[:sample]
    for text in newest.iterator(chunk_size=1000):
        sampled += 1
        held.update(trigrams(text or ""))
    rows = []
    for gram, count in held.items():
        decisions = round(count / sampled * total)
        if decisions >= PROBE_LIMIT:
            rows.append(SearchTrigram(trigram=gram, share=count / sampled, decisions=decisions))
    with transaction.atomic():
        SearchTrigram.objects.all().delete()
        SearchTrigram.objects.bulk_create(rows, batch_size=1000)
    forget_statistics()
    return {"live": total, "sampled": sampled, "kept": len(rows)}


def statistics() -> dict[str, tuple[float, int]]:
    """The trigram statistics as {trigram: (share, decisions)} (`SearchTrigram`), read by each
    process at most once in `STATISTICS_SECONDS`, as it reads its settings once: a search asks
    for them before its first statement, and they change once a night."""
    global _statistics
    now = time.monotonic()
    if _statistics is None or now - _statistics[0] > STATISTICS_SECONDS:
        from sanxiang.disclosure.models import SearchTrigram

        rows = SearchTrigram.objects.values_list("trigram", "share", "decisions")
        _statistics = (now, {gram: (share, decisions) for gram, share, decisions in rows})
    return _statistics[1]


def forget_statistics() -> None:
    """Read the statistics again at the next `statistics()` call of this process."""
    global _statistics
    _statistics = None


def fts_phrase(text: str) -> str:
    """`text` as one FTS5 phrase (a quoted string: no query syntax is interpreted)."""
    return '"' + text.replace('"', '""') + '"'


def candidates(text: str, limit: int | None = None, *, cursor=None) -> list[int] | None:
    """Ids of the items whose public text contains `text`, when there are at most `limit` of
    them (default `PROBE_LIMIT`); None when there are more, or when `text` is too short for the
    index.

    The probe reads at most `limit` + 1 ids from the index (SQLite: the FTS5 table; PostgreSQL:
    the planner's choice, the GIN index for a rare text), whatever the state of the items; on
    `cursor` when given (one statement, no queryset: the public search runs it per visitor).
    """
    if len(text) < MIN_INDEXED_LENGTH:
        return None
    limit = PROBE_LIMIT if limit is None else limit
    if connection.vendor == "sqlite":
        sql, params = _SQLITE_MATCH + " LIMIT %s", (fts_phrase(text), limit + 1)
    else:
        # Django's own `icontains` (the expression the GIN index is built on).
        column = connection.ops.lookup_cast("icontains", "TextField") % "public_text"
        sql = (f"SELECT id FROM disclosure_publicationitem WHERE {column} "  # noqa: S608 (constant SQL)
               f"{connection.operators['icontains'] % '%s'} LIMIT %s")
        params = (f"%{connection.ops.prep_for_like_query(text)}%", limit + 1)
    with connection.cursor() if cursor is None else nullcontext(cursor) as probe:
        probe.execute(sql, params)
        ids = [row[0] for row in probe.fetchall()]
    return ids if len(ids) <= limit else None


def filter_text(qs: QuerySet, text: str) -> QuerySet:
    """Decisions of `qs` whose public text contains `text` (see the module docstring)."""
    return match_text(qs, text)[0]


def match_text(qs: QuerySet, text: str) -> tuple[QuerySet, QuerySet]:
    """(`rows`, `counted`): the decisions of `qs` whose public text contains `text`, twice — the
    same rows, each queryset shaped for its use.

    A rare text (at most `PROBE_LIMIT` items hold it) is looked up in the index and both go by
    those ids. A common one: `rows` checks row by row along the query's own order (the search
    order index), which finds a page of matches quickly; `counted`, on SQLite, walks the FTS5
    index and checks only the items it names, which reaches a capped count quickly however
    rare the text is among the rows walked (`core.paging.paginate(count_qs=…)`).
    """
    qs = qs.filter(public_text__icontains=text)
    ids = candidates(text)
    if ids is not None:
        qs = qs.filter(id__in=ids)
        return qs, qs
    if connection.vendor == "sqlite" and len(text) >= MIN_INDEXED_LENGTH:
        counted = qs.extra(tables=["disclosure_search"],  # noqa: S610 (constant SQL, bound parameter)
                           where=["disclosure_search.rowid = disclosure_publicationitem.id",
                                  "disclosure_search MATCH %s"], params=[fts_phrase(text)])
        return qs, counted
    return qs, qs
