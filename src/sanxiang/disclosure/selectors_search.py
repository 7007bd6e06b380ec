"""One page of the public decision search (公示检索分页), the way the API and the portal serve it.

The rows are exactly those of `selectors.public_search` (same filters, same order, same
`disclosure.search` text matching, counting capped at `PUBLIC_COUNT_CAP`); this module only
answers the page differently, because a public search runs for every visitor:

* **Direct SQL.** Building three querysets per request (probe, count, page) cost more than
  running them; the statements here are written out once per shape, with the lookups Django
  itself uses for `icontains`, `contains` and `startswith` on the database in use, and read
  only the columns a result list shows (`PublicRow`).
* **A rare text** (the index holds it for at most `search.PROBE_LIMIT` items) is answered in
  one statement: the page, with the number of matching rows as a window count.
* **Exact caches (精确缓存).** The capped count of a search, and what the index holds for a
  text, are kept in Django's cache under a key made of everything they depend on: the
  normalised filters (the unit resolved to the codes of its subtree), today's date (a
  display period that ends at midnight drops its decision from the count) and the state of
  the public transparency log (its size and compact range). Every change of which decisions
  are public or of what they say — publication, correction, withdrawal, expiry — appends a
  leaf to that log in the same transaction (`services._commit_record`, `publication_withdraw`,
  `_expire`), so a change of any of them is a new key: a cached value is never stale. The log
  state is read before anything else, so a value stored under it was computed on data at
  least that new. Two values outlive a log state because they stay true: a count past the cap
  by more than the leaves appended since (each leaf moves a count by one at most:
  `_cached_count`, `COUNT_SLACK`), and that a text is common (taking a text for common costs
  time, never rows). The page's rows themselves are never cached: they are read every time,
  with every condition on the decision's state, display period and filters (the text's
  only where the ids are not those of a cached page: see below), so a withdrawn decision
  can never be served.
* **One statement when nothing changed.** A process first answers with the log state it saw
  last, whose cached values it uses; the statement that reads the page's rows reads the log's
  state as well, in the same snapshot, and the answer stands only if that state is the one
  assumed. Otherwise (a publication since, or no rows to carry the state) the search runs
  again from the log's state read first. Values computed on the way are stored under the
  older state, on newer data: a count kept for later states then counts more leaves since
  than there were (it lasts less, never too long), and the rest is read only by a process
  assuming that older state, whose check then fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sanxiang.core.paging import DEFAULT_PAGE_SIZE, PageOf, check_page
from sanxiang.disclosure import search
from sanxiang.disclosure.models import (
    LIVE_STATES,
    ORDER_INDEX,
    PARTY_INDEX,
    UNIT_ORDER_INDEX,
    PublicationItem,
    PublicLogLeaf,
)
from sanxiang.records.models import LogHead
from sanxiang.records.models.ledger import PUBLIC_LOG

__all__ = ["CACHE_SECONDS", "PublicRow", "log_state", "search_page"]

#: How long a cached count or probe is kept (it is exact whatever its age: this only bounds memory).
CACHE_SECONDS = 3600
#: PostgreSQL: a caseless text held by at least this share of the decisions is counted by
#: reading rows in table order with a plain `LIKE` (~1.3 µs a row: 2,001 matches come after a
#: few tens of thousands of rows at most), not through the trigram index on `UPPER(public_text)`,
#: whose bitmap for a common text holds most of the table and whose recheck computes `UPPER`
#: of every row (~3.4 µs a row). Below it, the index finds the few matching rows faster.
PLAIN_COUNT_DENSITY = 0.03
#: Rows sampled (the newest live decisions) to estimate a text's share (`_density`).
DENSITY_SAMPLE = 5000
#: PostgreSQL: a caseless text estimated to be held by at least this many times
#: `search.PROBE_LIMIT` decisions is taken as common without the index probe (`_surely_common`).
COMMON_MARGIN = 4
#: A rare text held by at most this many items: its matching rows are read whole in one pass
#: (a second pass choosing the page's ids on the sort keys first costs more than it saves).
READ_WHOLE_IDS = 100
#: Probes naming more items than this are not cached (they would crowd the cache out).
MAX_CACHED_IDS = 500
#: A count past the cap goes on this far, so that "more than the cap" stays known to be true
#: while up to this many leaves are appended to the public log (`_cached_count`): a broad
#: search is not counted again after each publication.
COUNT_SLACK = 100
_KEY_PREFIX = "sanxiang:public-search:v2:"

_ITEM = PublicationItem._meta.db_table
_FTS = "disclosure_search"
_LEAVES = PublicLogLeaf._meta.db_table
_COLUMNS = ("id", "public_id", "decision_kind", "unit_code", "state", "published_at", "log_index",
            "public_record", "title", "party_code", "decided_on")
_ORDER = {
    "newest": f"{_ITEM}.decided_on DESC, {_ITEM}.published_at DESC, {_ITEM}.id DESC",
    "oldest": f"{_ITEM}.decided_on ASC, {_ITEM}.published_at ASC, {_ITEM}.id ASC",
    "fine": f"{_ITEM}.fine_amount DESC NULLS LAST, {_ITEM}.decided_on DESC, {_ITEM}.id DESC",
}


class PublicRow:
    """What a result list shows of one published decision (the columns a page reads)."""

    __slots__ = _COLUMNS

    def __init__(self, values) -> None:
        for name, value in zip(_COLUMNS, values, strict=True):
            setattr(self, name, value)
        published = self.published_at
        if isinstance(published, str):
            published = parse_datetime(published)
        if published is not None and timezone.is_naive(published):  # SQLite: naive, in UTC
            published = timezone.make_aware(published, dt.UTC)
        self.published_at = published
        if isinstance(self.decided_on, str):
            self.decided_on = dt.date.fromisoformat(self.decided_on)

    @property
    def record(self) -> dict | None:
        """The public record as data (`PublicationItem.record`)."""
        import json

        return json.loads(self.public_record) if self.public_record else None


@dataclass(frozen=True)
class _Where:
    sql: str
    params: list


def _like(lookup: str, column: str) -> str:
    """`column <lookup> %s` as Django writes it on the database in use."""
    lhs = connection.ops.lookup_cast(lookup, "TextField") % column
    return f"{lhs} {connection.operators[lookup] % '%s'}"


def _like_value(lookup: str, value: str) -> str:
    value = connection.ops.prep_for_like_query(value)
    return f"{value}%" if lookup == "startswith" else f"%{value}%"


@dataclass(frozen=True)
class LogState:
    """The public transparency log's state: its size, the hash of its last leaf, and a token
    made of the size and a digest of its compact range (a different history of the same size,
    e.g. after a restore, gives a different token)."""

    size: int
    last_leaf: str
    token: str


def _leaf_at(index: str) -> str:
    return (f"SELECT leaf_hash FROM {_LEAVES} "  # noqa: S608
            f"WHERE {_LEAVES}.{connection.ops.quote_name('index')} = {index}")


def log_state(cursor) -> LogState:
    """The public transparency log's state now (one statement)."""
    head = LogHead._meta.db_table
    cursor.execute(f"SELECT size, frontier, ({_leaf_at(f'{head}.size - 1')}) FROM {head} WHERE log = %s",  # noqa: S608
                   [PUBLIC_LOG])
    row = cursor.fetchone()
    if row is None:
        return LogState(0, "", "0")
    size, frontier, last_leaf = row
    return LogState(size, last_leaf or "", _token(size, frontier))


def _token(size: int | None, frontier) -> str:
    if size is None:
        return "0"
    return f"{size}:{hashlib.sha256(str(frontier).encode('utf-8')).hexdigest()[:24]}"


#: The log head's size and compact range as two more columns of a statement
#: (`search_page`: the rows and the state they belong to, read together).
_HEAD_COLUMNS = ", ".join(f"(SELECT {column} FROM {LogHead._meta.db_table} WHERE log = %s)"  # noqa: S608
                          for column in ("size", "frontier"))
#: The log state this process saw last (`search_page`: a guess, checked by the statement itself).
_last_seen: LogState | None = None


def _leaf_before(cursor, size: int) -> str:
    """The hash of the last leaf of the log when it had `size` leaves ("" for none)."""
    if size == 0:
        return ""
    cursor.execute(_leaf_at("%s"), [size - 1])
    row = cursor.fetchone()
    return row[0] if row else ""


def _cached_count(cursor, key: str, log: LogState, cap: int) -> int | None:
    """The count stored under `key` (`_store_count`), when it still holds: the number counted
    at this log state; at a later state, a count past the cap by more than the leaves appended
    since — each leaf publishes, corrects, withdraws or ends one decision, so moves a count by
    one at most, and "more than `cap`" stays true. Only when the log grew from the one counted
    (the leaf that was last then is still in its place), else None (count again)."""
    exact = cache.get(key + ":" + log.token)
    if exact is not None:
        return exact
    entry = cache.get(key)
    if entry is None:
        return None
    total, size, last = entry
    grown = log.size - size
    if grown <= 0 or total - grown <= cap or _leaf_before(cursor, size) != last:
        return None
    cache.set(key + ":" + log.token, total - grown, CACHE_SECONDS)
    return total - grown


def _store_count(key: str, log: LogState, total: int, cap: int) -> None:
    """Keep `total` (counted at `log` or later) for `_cached_count`."""
    cache.set(key + ":" + log.token, total, CACHE_SECONDS)
    if total > cap:
        cache.set(key, (total, log.size, log.last_leaf), CACHE_SECONDS)


def _key(kind: str, *parts) -> str:
    return _KEY_PREFIX + kind + ":" + hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _caseless(text: str) -> bool:
    """No character of `text` has an upper or a lower case (Chinese, digits, punctuation)."""
    return all(ch.lower() == ch == ch.upper() for ch in text)


def _unit_codes(cursor, unit: str) -> tuple[str, ...]:
    """Codes of `unit` and the units below it (empty when there is no such unit)."""
    table = "accounts_unit"
    cursor.execute(f"SELECT path FROM {table} WHERE code = %s ORDER BY path LIMIT 1", [unit])  # noqa: S608
    row = cursor.fetchone()
    if row is None:
        return ()
    cursor.execute(f"SELECT code FROM {table} WHERE {_like('startswith', 'path')} ORDER BY code",  # noqa: S608
                   [_like_value("startswith", row[0])])
    return tuple(r[0] for r in cursor.fetchall())


def _probe(cursor, text: str, log: LogState) -> list[int] | None:
    """`search.candidates(text)` (not run for a text surely common: `_surely_common`). The ids
    of a rare text are cached under the log state (only a publication or a correction changes
    which items hold a text, and each appends a leaf); that a text is common, under the text
    alone: a text taken for common when it no longer is costs time, never rows (the common
    path finds exactly the rows the ids would name)."""
    common = _key("common", text, search.PROBE_LIMIT)
    if cache.get(common):
        return None
    key = _key("probe", text, search.PROBE_LIMIT, log.token)
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    ids = None if _surely_common(cursor, text) else search.candidates(text, cursor=cursor)
    if ids is None:
        cache.set(common, True, CACHE_SECONDS)
    elif len(ids) <= MAX_CACHED_IDS:
        cache.set(key, tuple(ids), CACHE_SECONDS)
    return ids


def _plain_on_postgresql(text: str | None) -> bool:
    """PostgreSQL, and `text` long enough for the trigram index and caseless: `UPPER` changes no
    character of it and turns no other character into one of them, so a plain substring
    condition (`LIKE`, the density sample) selects the rows `icontains` selects."""
    return (bool(text) and connection.vendor == "postgresql" and len(text) >= search.MIN_INDEXED_LENGTH
            and _caseless(text))


def _surely_common(cursor, text: str) -> bool:
    """PostgreSQL: whether so many decisions hold `text` (caseless, three characters or more)
    that looking it up in the trigram index can be skipped — the index answers a common text
    with a bitmap of most of the table (7–70 ms at 1,000,000 decisions), and its answer would
    only be "common". Every trigram of the text must be common in the search statistics
    (`SearchTrigram`, `sanxiang db optimize`; without statistics: never), and the share of the
    newest decisions holding the text itself (`_density`) must stand for at least
    `COMMON_MARGIN` × `search.PROBE_LIMIT` decisions. A wrong guess costs time, never rows: the
    common path finds exactly the rows the probe would have named."""
    if not _plain_on_postgresql(text):
        return False
    known = search.statistics()
    found = [known.get(gram) for gram in search.trigrams(text)]
    if None in found:
        return False  # a trigram held by fewer than PROBE_LIMIT decisions: the text is rarer
    share, decisions = min(found)  # the rarest trigram
    if share <= 0:
        return False
    live = decisions / share  # the live decisions the statistics stand for
    return _density(cursor, text) * live >= COMMON_MARGIN * search.PROBE_LIMIT


def _density(cursor, text: str) -> float:
    """PostgreSQL: the share of the newest `DENSITY_SAMPLE` live decisions whose text contains
    `text` (a caseless text: compared as it is), cached under the text alone: an estimate that
    only chooses how a search runs (`search_page`, `_surely_common`), never what it finds."""
    key = _key("density", text)
    cached = cache.get(key)
    if cached is not None:
        return cached
    live = ", ".join(["%s"] * len(LIVE_STATES))
    cursor.execute(f"SELECT COUNT(*) FILTER (WHERE {_like('contains', 'sample.public_text')}), COUNT(*) "  # noqa: S608
                   f"FROM (SELECT {_ITEM}.public_text FROM {_ITEM} WHERE {_ITEM}.state IN ({live}) "
                   f"ORDER BY {_ORDER['newest']} LIMIT %s) sample",
                   [_like_value("contains", text), *(str(s) for s in LIVE_STATES), DENSITY_SAMPLE])
    found, sampled = cursor.fetchone()
    density = found / sampled if sampled else 0.0
    cache.set(key, density, CACHE_SECONDS)
    return density


def _walked(codes: tuple[str, ...] | None, party_code: str | None, sort: str | None) -> str:
    """The table as the statements that walk rows name it. SQLite: with the index to walk
    (`INDEXED BY`), whatever the planner's statistics say — without `ANALYZE` (a database that
    grew from empty) it takes `disclosure_item_state_party` for any search, reads every live
    decision and sorts them (2.7 s for a common text at 1,000,000 against 0.7 ms along the
    search order). One party's decisions: that index; the fine order: its own
    (`search.install_fine_order`); one unit's: the unit's search order; otherwise the search
    order."""
    if connection.vendor != "sqlite":
        return _ITEM
    if party_code:
        index = PARTY_INDEX
    elif sort == "fine":
        index = search.FINE_ORDER_INDEX
    elif codes and len(codes) == 1:
        index = UNIT_ORDER_INDEX
    else:
        index = ORDER_INDEX
    return f"{_ITEM} INDEXED BY {index}"


def search_page(*, q: str | None = None, unit: str | None = None, kind: str | None = None,
                penalty_type: str | None = None, amount_min: Decimal | None = None,
                amount_max: Decimal | None = None, date_from: dt.date | None = None,
                date_to: dt.date | None = None, party_code: str | None = None, sort: str | None = None,
                page: int = 1, page_size: int = DEFAULT_PAGE_SIZE, count_cap: int | None = None,
                today: dt.date | None = None) -> PageOf:
    """Page `page` of `selectors.public_search(…)` (same filters and errors) as `PublicRow`s,
    counted up to `count_cap` (default `selectors.PUBLIC_COUNT_CAP`) as `core.paging.paginate`
    counts: `total` at most the cap, `total_capped` when more match, no page beyond the cap."""
    from sanxiang.disclosure.selectors import PUBLIC_COUNT_CAP, check_public_filters

    cap = PUBLIC_COUNT_CAP if count_cap is None else count_cap
    check_public_filters(sort=sort, amount_min=amount_min, amount_max=amount_max, date_from=date_from,
                         date_to=date_to)
    check_page(page, page_size)
    today = today or timezone.localdate()
    text = q.strip() if q and q.strip() else None
    start = (page - 1) * page_size
    ops = connection.ops

    def answer(cursor, log: LogState, guessed: bool) -> PageOf | None:
        """The page at log state `log`. `guessed`: `log` is the state this process saw last,
        not read now; the statement reading the rows then reads the log's state too, and the
        answer is None unless it is `log` (every cached value used was kept under it)."""

        def empty(total: int = 0, capped: bool = False) -> PageOf | None:
            return None if guessed else PageOf(items=[], total=total, page=page, page_size=page_size,
                                              total_capped=capped)

        head, head_params = (f", {_HEAD_COLUMNS}", [PUBLIC_LOG, PUBLIC_LOG]) if guessed else ("", [])

        def current(rows: list) -> list | None:
            """`rows` without the log state's columns, or None when that state is not `log`."""
            if not guessed:
                return rows
            if not rows or _token(rows[0][-2], rows[0][-1]) != log.token:
                return None
            return [row[:-2] for row in rows]

        codes = _unit_codes(cursor, unit) if unit else None
        if codes == ():
            return empty()
        # The conditions of `selectors.public_search`, in its order (`in_period_q` first).
        where = [f"{_ITEM}.state IN ({', '.join(['%s'] * len(LIVE_STATES))})",
                 f"({_ITEM}.expires_on IS NULL OR {_ITEM}.expires_on > %s)"]
        params: list = [str(s) for s in LIVE_STATES] + [ops.adapt_datefield_value(today)]
        if codes:
            where.append(f"{_ITEM}.unit_code IN ({', '.join(['%s'] * len(codes))})")
            params += codes
        if kind:
            where.append(f"{_ITEM}.decision_kind = %s")
            params.append(kind)
        if penalty_type:
            where.append(_like("contains", f"{_ITEM}.penalty_codes"))
            params.append(_like_value("contains", f",{penalty_type},"))
        if amount_min is not None:
            where.append(f"{_ITEM}.fine_amount >= %s")
            params.append(ops.adapt_decimalfield_value(amount_min))
        if amount_max is not None:
            where.append(f"{_ITEM}.fine_amount <= %s")
            params.append(ops.adapt_decimalfield_value(amount_max))
        if date_from:
            where.append(f"{_ITEM}.decided_on >= %s")
            params.append(ops.adapt_datefield_value(date_from))
        if date_to:
            where.append(f"{_ITEM}.decided_on <= %s")
            params.append(ops.adapt_datefield_value(date_to))
        if party_code:
            where.append(f"{_ITEM}.party_code = %s")
            params.append(party_code)
        ids = None
        plain_where, plain_params = list(where), list(params)  # every condition but the text's
        if text:
            where.append(_like("icontains", f"{_ITEM}.public_text"))
            params.append(_like_value("icontains", text))
            ids = _probe(cursor, text, log)
            if ids == []:
                return empty()
        columns = ", ".join(f"{_ITEM}.{c}" for c in _COLUMNS)
        order = _ORDER[sort or "newest"]
        # Statements that read given ids look them up by id whatever the planner's statistics
        # say (SQLite: `NOT INDEXED` leaves only the rowid; an index of the filters, e.g. by
        # unit and date, would otherwise be walked, and without `ANALYZE` it looks cheap).
        by_id = f"{_ITEM} NOT INDEXED" if connection.vendor == "sqlite" else _ITEM
        walked = _walked(codes, party_code, sort)
        size = min(page_size, cap - start)
        if ids is not None:
            # A rare text: every matching row is among `ids` (at most PROBE_LIMIT <= cap):
            # the page and the number of matching rows in one statement.
            where.append(f"{_ITEM}.id IN ({', '.join(['%s'] * len(ids))})")
            params += ids
            sql_where = " AND ".join(where)
            if size > 0:
                if len(ids) <= READ_WHOLE_IDS:
                    # A few candidates: every matching row is read whole, counted and sorted.
                    cursor.execute(f"SELECT {columns}, COUNT(*) OVER () AS n{head} FROM {by_id} "  # noqa: S608
                                   f"WHERE {sql_where} ORDER BY {order} LIMIT %s OFFSET %s",
                                   [*head_params, *params, size, start])
                else:
                    # The page's ids are chosen (and the matches counted) on the sort keys alone;
                    # only the page's rows are then read whole.
                    cursor.execute(f"SELECT {columns}, page.n{head} FROM {_ITEM} JOIN ("  # noqa: S608
                                   f"SELECT {_ITEM}.id AS page_id, COUNT(*) OVER () AS n FROM {by_id} "
                                   f"WHERE {sql_where} ORDER BY {order} LIMIT %s OFFSET %s"
                                   f") page ON {_ITEM}.id = page.page_id ORDER BY {order}",
                                   [*head_params, *params, size, start])
                rows = current(cursor.fetchall())
                if rows is None:
                    return None
                if rows:
                    total = min(rows[0][-1], cap)
                    return PageOf(items=[PublicRow(r[:-1]) for r in rows], total=total, page=page,
                                  page_size=page_size, total_capped=rows[0][-1] > cap)
                if start == 0:
                    return empty()
            if guessed:
                return None
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {by_id} WHERE {sql_where} "  # noqa: S608
                           f"LIMIT %s) counted", [*params, cap + 1])
            total = cursor.fetchone()[0]
            return empty(min(total, cap), total > cap)
        sql_where = " AND ".join(where)
        key = _key("count", text, codes, kind, penalty_type, amount_min, amount_max, date_from, date_to,
                   party_code, cap, today.isoformat())
        total = _cached_count(cursor, key, log, cap)
        if total is None:
            tables, count_where, count_params = _walked(codes, party_code, None), sql_where, params
            if text and connection.vendor == "sqlite" and len(text) >= search.MIN_INDEXED_LENGTH:
                # Walk the FTS5 index: only the items holding the text are read (`search.match_text`).
                # For a text without cased letters (Chinese, digits, punctuation) the index's phrase
                # match is the substring condition itself (case folding cannot change such
                # characters, nor turn another character into one), so the row's text need not be
                # read again. The index is walked first, each item then read by id (`CROSS JOIN`
                # fixes the order in SQLite, `NOT INDEXED` the lookup).
                tables = f"{_FTS} CROSS JOIN {by_id}"
                if _caseless(text):
                    count_where, count_params = " AND ".join(plain_where), plain_params
                else:
                    count_where, count_params = sql_where, params
                count_where = f"{count_where} AND {_FTS}.rowid = {_ITEM}.id AND {_FTS} MATCH %s"
                count_params = [*count_params, search.fts_phrase(text)]
            elif _plain_on_postgresql(text) and _density(cursor, text) >= PLAIN_COUNT_DENSITY:
                count_where = " AND ".join([*plain_where, _like("contains", f"{_ITEM}.public_text")])
                count_params = [*plain_params, _like_value("contains", text)]
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {tables} WHERE {count_where} "  # noqa: S608
                           f"LIMIT %s) counted", [*count_params, cap + 1 + COUNT_SLACK])
            total = cursor.fetchone()[0]
            _store_count(key, log, total, cap)
        capped, total = total > cap, min(total, cap)
        if size <= 0 or start >= total:
            return empty(total, capped)
        # Which ids make the page is cached under the search, the log state, the sort, page and
        # size; the rows are read again every time, by id and with every condition.
        page_key = _key("page", key, log.token, sort or "newest", start, size)
        ids = cache.get(page_key)
        if ids is None:
            cursor.execute(f"SELECT {columns}{head} FROM {walked} WHERE {sql_where} ORDER BY {order} "  # noqa: S608
                           f"LIMIT %s OFFSET %s", [*head_params, *params, size, start])
            rows = current(cursor.fetchall())
            if rows is None:
                return None
            cache.set(page_key, [r[0] for r in rows], CACHE_SECONDS)
        elif ids:
            # Every condition again but the text's: a decision's text changes only by a
            # correction, which is a new log state (another key); reading the public text of
            # each row again would be most of the statement's cost.
            cursor.execute(f"SELECT {columns}{head} FROM {by_id} WHERE {' AND '.join(plain_where)} "  # noqa: S608
                           f"AND {_ITEM}.id IN ({', '.join(['%s'] * len(ids))}) ORDER BY {order}",
                           [*head_params, *plain_params, *ids])
            rows = current(cursor.fetchall())
            if rows is None:
                return None
        else:
            rows = []
            if guessed:
                return None
        return PageOf(items=[PublicRow(r) for r in rows], total=total, page=page, page_size=page_size,
                      total_capped=capped)

    global _last_seen
    with connection.cursor() as cursor:
        guess = _last_seen
        if guess is not None and (found := answer(cursor, guess, guessed=True)) is not None:
            return found
        _last_seen = log = log_state(cursor)  # read first: whatever is read below is at least this new
        return answer(cursor, log, guessed=False)
