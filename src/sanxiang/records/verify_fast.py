"""Fast path of the ledger verification (台账快速校验): whole chunks at a time, in bulk.

`verify_ledger_fast()` decides one thing only: does the ledger pass every check of the
streaming verifier (`verify.verify_ledger_streaming`)? It answers with a clean `LedgerReport`
when it does and with ``None`` as soon as anything differs (or anything unexpected happens),
and the caller then runs the streaming verifier, which names the first bad sequence number
and the problems. Failing reports therefore come from one implementation only; this module
must never accept a ledger the streaming verifier would reject (the tests run both on every
kind of tampering).

The ledger is cut into chunks of ``2**chunk_bits`` entries aligned on the Merkle tree, so
every full chunk is one complete subtree. For each chunk, over the raw DB-API connection:

* an aggregate over the primary key's index shows that the chunk's sequence numbers are
  exactly ``[start, stop)``;
* one query returns the entries in `seq` order with only what Python needs — the body as
  bytes, `entry_hash`, `prev` — and a flag computed inside the database: the body starts and
  ends with the head and tail that `verify._body_matches` builds from the columns, under
  conditions that make the database's strings exactly the verifier's (its JSON quoting,
  `at` in the stored form). Rows without the flag are checked afterwards with the streaming
  verifier's own functions, so they may differ only where it would accept them too;
* the bodies are hashed with `map` (no Python frame per entry); stored hashes and chain links
  are compared as one comma-separated string per column;
* the chunk's subtree is rebuilt level by level, and the stored `MerkleNode` rows of the
  chunk, read in id order by one aggregate query as a concatenated hash blob and a label
  string (``(index - (start >> level)) * 64 + level``), must be the canonical append order:
  the subtree in post-order, then the nodes the chunk's last leaf completes above it.

The parent process combines the chunk roots into the compact range, checks the nodes above
the chunks, the root and signature of every signed tree head and the log head. With a file or
server database, several chunks, no other thread and ``fork`` available (Linux), a forked child
with its own database connection verifies chunks too, taking them from the same work queue.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import signal
import sys
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from sanxiang.records import keys
from sanxiang.records.logs import HASHER, frontier_root
from sanxiang.records.models import LedgerEntry, LogHead, SignedTreeHead
from sanxiang.records.models.ledger import LEDGER_LOG
from sanxiang.records.services import GENESIS_PREV

logger = logging.getLogger(__name__)

CHUNK_BITS = 14  # 16,384 entries: about 10 MB of rows in memory at a time, and as fast as larger chunks
WORKERS = 2
MIN_PARALLEL_CHUNKS = 4
_MIN_ID = -(2**63)

_sha256 = hashlib.sha256
_digest = type(_sha256()).digest
_body, _entry_hash, _prev, _columns_match = (itemgetter(i) for i in range(4))  # columns of _ENTRIES_*
_LEAF_PREFIX = _sha256(b"\x00")
_NODE_PREFIX = _sha256(b"\x01")

# --------------------------------------------------------------------------- SQL

# Entries of one chunk. The last column is true when `verify._body_matches` would accept the
# row: the body starts with the head and ends with the tail it builds from the columns.
# `json_quote` / `to_json` escape exactly like `verify._json_str` (checked by `_probe_quoting`);
# `at` must be in the stored form, whose text the body repeats with "T" and "+00:00". The tail
# is 29 bytes of punctuation and names, `prev` (64: a `prev` of another length fails the chain
# check), `seq` and the quoted subject.
_ENTRIES_SQLITE = """
SELECT CAST(body AS BLOB), entry_hash, prev,
  typeof(body) = 'text'
  AND instr(body, '{"action":' || json_quote(action) || ',"actor":' || json_quote(actor)
                  || ',"at":"' || replace(at, ' ', 'T') || '+00:00"') = 1
  AND substr(CAST(body AS BLOB), -(93 + length(seq) + length(CAST(json_quote(subject) AS BLOB))))
      = CAST(',"prev":"' || prev || '","seq":' || seq || ',"subject":' || json_quote(subject) || '}' AS BLOB)
  AND at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]'
FROM records_ledgerentry WHERE seq >= %s AND seq < %s ORDER BY seq
"""

# PostgreSQL: the body and the expected tail as bytes once per row (OFFSET 0 keeps the
# planner from copying the expressions into each use), the tail compared by byte position.
_ENTRIES_POSTGRES = """
SELECT x.b, entry_hash, prev,
  starts_with(body, '{"action":' || to_json(action)::text || ',"actor":' || to_json(actor)::text
              || ',"at":"' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00"')
  AND substring(x.b from octet_length(x.b) - octet_length(t.tail) + 1) = t.tail
  AND at >= '0001-01-01 00:00:00+00' AND at < '10000-01-01 00:00:00+00'
FROM records_ledgerentry,
  LATERAL (SELECT convert_to(body, 'UTF8') AS b OFFSET 0) x,
  LATERAL (SELECT convert_to(',"prev":"' || prev || '","seq":' || seq || ',"subject":'
                             || to_json(subject)::text || '}', 'UTF8') AS tail OFFSET 0) t
WHERE seq >= %s AND seq < %s ORDER BY seq
"""

_QUOTE_SQLITE = "SELECT json_quote(%s)"
_QUOTE_POSTGRES = "SELECT to_json(%s::text)::text"
# Every character JSON escapes, the ones it leaves alone that look like candidates, non-ASCII.
_QUOTE_PROBE = "".join(map(chr, range(1, 128))) + "\x80\xa0\xad\u2028\u2029\ufeff\U0001f600中文"

# The sequence numbers of one chunk, from the primary key's index: exactly [start, stop) when
# there are stop - start rows, all distinct integers between start and stop - 1.
_SEQS = """
SELECT (SELECT count(*) FROM records_ledgerentry WHERE seq >= %s AND seq < %s),
  count(*), min(seq), max(seq), {odd}
FROM (SELECT DISTINCT seq FROM records_ledgerentry WHERE seq >= %s AND seq < %s) AS distinct_seqs
"""
_SEQS_SQLITE = _SEQS.format(odd="total(typeof(seq) <> 'integer')")
_SEQS_POSTGRES = _SEQS.format(odd="0")

# Stored nodes of one chunk, in id order: count, concatenated hashes and labels relative to the
# chunk (`(index - (start >> level)) * 64 + level`); a row of an unexpected type, length or
# range drops out of the concatenations, which then differ (SQLite: only a BLOB sorts at or
# above the empty BLOB; `+log` keeps the planner on the rowid range, scanned in id order).
_NODES_SQLITE = """
SELECT count(*),
  CAST(group_concat(CASE WHEN hash >= x'' AND length(hash) = 32 THEN hash END, '') AS BLOB),
  group_concat(CASE WHEN level BETWEEN 0 AND 63 AND "index" BETWEEN 0 AND 9223372036854775807
                    THEN ("index" - (%s >> level)) * 64 + level END, ',')
FROM records_merklenode WHERE +log = %s AND id > %s AND id <= %s
"""

_NODES_POSTGRES = """
SELECT count(*), string_agg(CASE WHEN octet_length(hash) = 32 THEN hash END, ''::bytea ORDER BY id),
  string_agg(CASE WHEN level BETWEEN 0 AND 63
                  THEN (("index" - (%s::bigint >> level::int)) * 64 + level)::text END, ',' ORDER BY id)
FROM records_merklenode WHERE log = %s AND id > %s AND id <= %s
"""

_NODE_ID = 'SELECT id FROM records_merklenode WHERE log = %s AND level = %s AND "index" = %s'


class _Database:
    """A raw DB-API connection and the SQL of its vendor."""

    def __init__(self, raw, vendor: str) -> None:
        self.raw = raw
        self.vendor = vendor
        sqlite = vendor == "sqlite"
        self.entries_sql = self.sql(_ENTRIES_SQLITE if sqlite else _ENTRIES_POSTGRES)
        self.nodes_sql = self.sql(_NODES_SQLITE if sqlite else _NODES_POSTGRES)
        self.seqs_sql = self.sql(_SEQS_SQLITE if sqlite else _SEQS_POSTGRES)
        self.node_id_sql = self.sql(_NODE_ID)
        self.node_count_sql = self.sql("SELECT count(*) FROM records_merklenode WHERE log = %s")
        self.quote_sql = self.sql(_QUOTE_SQLITE if sqlite else _QUOTE_POSTGRES)

    def cursor(self):
        if self.vendor == "postgresql":  # server-side binding, whatever the connection's cursor factory
            import psycopg

            return psycopg.Cursor(self.raw)
        return self.raw.cursor()

    def sql(self, text: str) -> str:
        """`text` (``%s`` placeholders) in the parameter style of the driver."""
        return _sqlite(text) if self.vendor == "sqlite" else text

    def fetchall(self, sql: str, params) -> list:
        cursor = self.cursor()
        try:
            if self.vendor == "postgresql":
                cursor.execute(sql, params, binary=True)  # bytea as bytes, without hex text
            else:
                cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            cursor.close()


def _sqlite(sql: str) -> str:
    return sql.replace("%s", "?")


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Chunk:
    """Entries ``[start, stop)``; their stored nodes have ids in ``(id_after, id_last]``."""

    number: int
    start: int
    stop: int
    id_after: int
    id_last: int
    head_sizes: tuple[int, ...] = ()


@dataclass
class ChunkResult:
    """What the parent needs of a verified chunk: its chain ends, its subtree root (full
    chunks), the stored nodes above it, the compact range of every signed head size inside
    it (level -> hash) and the rows left to the streaming verifier's column checks."""

    number: int
    first_prev: str
    last_hash: str
    root: bytes | None
    above: bytes
    pieces: dict[int, dict[int, bytes]] = field(default_factory=dict)
    flagged: list[int] = field(default_factory=list)


class Mismatch(Exception):
    """Something differs: leave the report to the streaming verifier."""


def _trailing_ones(value: int) -> int:
    return (~value & (value + 1)).bit_length() - 1


def _nodes_before(size: int) -> int:
    """Stored nodes of a log of `size` leaves (complete aligned subtrees of [0, size))."""
    return 2 * size - size.bit_count()


def _plan(db: _Database, n: int, bits: int, head_sizes) -> list[Chunk]:
    """The chunks of a ledger of `n` entries and the id ranges of their stored nodes.

    A chunk's nodes end with the last node its last leaf completes; looked up by its unique
    (level, index), its id closes the chunk's range and opens the next one.
    """
    step = 1 << bits
    chunks = []
    id_after = _MIN_ID
    for number, start in enumerate(range(0, n, step)):
        stop = min(n, start + step)
        last = stop - 1
        level = _trailing_ones(last)
        rows = db.fetchall(db.node_id_sql, (LEDGER_LOG, level, last >> level))
        if len(rows) != 1:
            raise Mismatch(f"no single stored node ({level}, {last >> level})")
        id_last = rows[0][0]
        if id_last <= id_after:
            raise Mismatch("stored nodes are out of order")
        sizes = tuple(size for size in head_sizes if start < size < start + step and size <= n)
        chunks.append(Chunk(number, start, stop, id_after, id_last, sizes))
        id_after = id_last
    return chunks


# --------------------------------------------------------------------------- one chunk


@lru_cache(maxsize=8)
def _post_order(size: int) -> tuple[itemgetter, int]:
    """Positions, in the list of a chunk's levels laid end to end, of its nodes in append
    order (post-order), and their number."""
    offsets, total, width = [], 0, size
    while width:
        offsets.append(total)
        total += width
        width >>= 1
    order = []
    for r in range(size):
        order.append(r)
        level = 1
        while (r + 1) % (1 << level) == 0:
            order.append(offsets[level] + ((r + 1) >> level) - 1)
            level += 1
    return itemgetter(*order) if len(order) > 1 else (lambda seq: (seq[0],)), total


@lru_cache(maxsize=8)
def _labels(size: int) -> str:
    """The label string of a chunk of `size` leaves (without the nodes above it)."""
    out = []
    for r in range(size):
        out.append(r * 64)
        level = 1
        while (r + 1) % (1 << level) == 0:
            out.append((((r + 1) >> level) - 1) * 64 + level)
            level += 1
    return ",".join(map(str, out))


def _levels(digests: list[bytes]) -> list[list[bytes]]:
    """The chunk's subtree, level by level: leaf hashes of the entry hashes, then the nodes.

    Copying a hash object primed with the RFC 6962 prefix costs less than hashing a fresh
    concatenation of prefix and children.
    """
    copy = _LEAF_PREFIX.copy
    level = []
    append = level.append
    for digest in digests:
        h = copy()
        h.update(digest)
        append(h.digest())
    levels = [level]
    copy = _NODE_PREFIX.copy
    while len(level) > 1:
        pairs = iter(level)
        level = []
        append = level.append
        for left, right in zip(pairs, pairs, strict=False):  # an odd last node waits for the next chunk
            h = copy()
            h.update(left)
            h.update(right)
            append(h.digest())
        levels.append(level)
    return levels


def _check_chunk(db: _Database, chunk: Chunk, bits: int) -> ChunkResult:
    """Entries, chain and stored subtree of one chunk, or `Mismatch`."""
    start, stop = chunk.start, chunk.stop
    size = stop - start
    count, distinct, low, high, odd = db.fetchall(db.seqs_sql, (start, stop, start, stop))[0]
    if (count, distinct, low, high, odd) != (size, size, start, stop - 1, 0):
        raise Mismatch(f"chunk {chunk.number}: sequence numbers")
    rows = db.fetchall(db.entries_sql, (start, stop))
    if len(rows) != size:
        raise Mismatch(f"chunk {chunk.number}: entries changed while reading")
    digests = list(map(_digest, map(_sha256, map(_body, rows))))
    joined = b"".join(digests)
    # One string per column, the values separated by commas (never in a hex digest), so that a
    # value of another length cannot line up with its neighbours.
    hexes = joined.hex(",", 32)
    if ",".join(map(_entry_hash, rows)) != hexes:
        raise Mismatch(f"chunk {chunk.number}: entry hash")
    if ",".join(map(_prev, rows[1:])) != hexes[:-65]:
        raise Mismatch(f"chunk {chunk.number}: chain")
    first_prev = rows[0][2]
    good = list(map(_columns_match, rows))
    del rows
    flagged = [] if good.count(1) == size else [start + i for i, ok in enumerate(good) if ok != 1]

    levels = _levels(digests)
    count, blob, labels = db.fetchall(db.nodes_sql, (start, LEDGER_LOG, chunk.id_after, chunk.id_last))[0]
    order, local = _post_order(size)
    expected = _nodes_before(stop) - _nodes_before(start)
    above = expected - local
    want_labels = _labels(size) + "".join(f",{level}" for level in range(bits + 1, bits + 1 + above))
    if count != expected or labels != want_labels:
        raise Mismatch(f"chunk {chunk.number}: stored node labels")
    blob = bytes(blob or b"")
    if len(blob) != 32 * expected or blob[:32 * local] != b"".join(order(list(chain.from_iterable(levels)))):
        raise Mismatch(f"chunk {chunk.number}: stored node hashes")

    pieces = {}
    for head_size in chunk.head_sizes:
        r = head_size - start
        pieces[head_size] = {level: levels[level][(r >> level) - 1]
                             for level in range(r.bit_length()) if r >> level & 1}
    root = levels[bits][0] if size == 1 << bits else None
    return ChunkResult(chunk.number, first_prev, joined[-32:].hex(), root, blob[32 * local:], pieces, flagged)


def _check_chunks(db: _Database, chunks: list[Chunk], bits: int, progress=None) -> list[ChunkResult]:
    """`_check_chunk` for each chunk; `progress(entries)` after each."""
    results = []
    for chunk in chunks:
        results.append(_check_chunk(db, chunk, bits))
        if progress:
            progress(chunk.stop - chunk.start)
    return results


# --------------------------------------------------------------------------- processes


def _can_fork(vendor: str) -> bool:
    """A forked child can open its own connection and see the same committed rows."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return False
    if threading.active_count() != 1 or connection.in_atomic_block:
        return False  # other threads (unsafe to fork), or rows a second connection cannot see
    if vendor == "sqlite":
        return not connection.is_in_memory_db()
    return vendor == "postgresql"


def _new_database() -> _Database:
    """A second connection to the same database, for the forked child."""
    raw = connection.get_new_connection(connection.get_connection_params())
    if connection.vendor == "postgresql":
        raw.autocommit = True
    return _Database(raw, connection.vendor)


class _WorkQueue:
    """Chunks handed out through a pipe: each process takes the next group when it is ready,
    so a process slowed down by other load on the machine simply takes fewer."""

    TOKEN = 4
    MAX_TOKENS = 8192  # 32 KiB: written at once into the pipe (64 KiB on Linux) before anyone reads

    def __init__(self, chunks: list[Chunk]) -> None:
        size = -(-len(chunks) // self.MAX_TOKENS)
        self.groups = [chunks[i:i + size] for i in range(0, len(chunks), size)]
        self.read_fd, write_fd = os.pipe()
        try:
            tokens = b"".join(i.to_bytes(self.TOKEN, "little") for i in range(len(self.groups)))
            if os.write(write_fd, tokens) != len(tokens):
                raise OSError("work queue: short write")
        finally:
            os.close(write_fd)

    def take(self) -> list[Chunk] | None:
        token = os.read(self.read_fd, self.TOKEN)  # atomic: every token is in the pipe already
        return self.groups[int.from_bytes(token, "little")] if token else None

    def drain(self) -> None:
        while os.read(self.read_fd, 65536):
            pass

    def close(self) -> None:
        os.close(self.read_fd)


def _check_queued(db: _Database, queue: _WorkQueue, bits: int, progress=None) -> list[ChunkResult]:
    """`_check_chunks` over the groups taken from `queue` until it is empty."""
    results = []
    while (group := queue.take()) is not None:
        try:
            results += _check_chunks(db, group, bits, progress)
        except BaseException:
            queue.drain()  # the other process finds the queue empty and stops
            raise
    return results


def _child(write_fd: int, queue: _WorkQueue, bits: int) -> None:
    """Body of the forked child: verify chunks from `queue`, send the outcome, exit without
    cleanup. `os._exit` skips every handler and finaliser, so the parent's connection
    (inherited as an open socket or file) is never closed or used from here."""
    status = 1
    try:
        try:
            payload = pickle.dumps(("ok", _check_queued(_new_database(), queue, bits)),
                                   protocol=pickle.HIGHEST_PROTOCOL)
        except Mismatch as exc:
            payload = pickle.dumps(("mismatch", str(exc)))
        except BaseException as exc:  # noqa: BLE001 - the parent falls back to the streaming verifier
            payload = pickle.dumps(("error", repr(exc)))
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
        status = 0
    finally:
        os._exit(status)


def _run_forked(chunks: list[Chunk], db: _Database, bits: int, progress) -> list[ChunkResult]:
    """Verify `chunks` in this process and a forked child, sharing them through a work queue."""
    queue = _WorkQueue(chunks)
    try:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _child(write_fd, queue, bits)
        os.close(write_fd)
        reaped = False
        with os.fdopen(read_fd, "rb") as answer:
            try:
                mine = _check_queued(db, queue, bits, progress)
                payload = answer.read()
                os.waitpid(pid, 0)
                reaped = True
            finally:
                if not reaped:  # this process failed first: stop the child
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
    finally:
        queue.close()
    kind, value = pickle.loads(payload) if payload else ("error", "no answer")  # noqa: S301 - our own child
    if kind == "mismatch":
        raise Mismatch(value)
    if kind != "ok":
        raise RuntimeError(f"verification child: {value}")
    return value + mine


# --------------------------------------------------------------------------- the whole ledger


def verify_ledger_fast(progress=None, *, chunk_bits: int | None = None, workers: int | None = None):
    """A clean `LedgerReport` if the whole ledger verifies, ``None`` if anything differs.

    `chunk_bits`: entries per chunk as a power of two (`CHUNK_BITS`). `workers`: 2 (the
    default, `WORKERS`) forks one child that takes chunks from the same work queue, where a
    second connection sees the same rows (see `_can_fork`); 1 verifies in this process only.
    """
    from sanxiang.records.verify import LedgerReport

    chunk_bits = CHUNK_BITS if chunk_bits is None else chunk_bits
    workers = WORKERS if workers is None else workers
    if connection.vendor not in ("sqlite", "postgresql") or chunk_bits < 1:
        return None
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived row tuples and no cycles: collections would only rescan them
    try:
        if connection.in_atomic_block:  # a savepoint: a failed query leaves the caller's transaction usable
            with transaction.atomic():
                n = _verify(progress, chunk_bits, workers)
        else:
            n = _verify(progress, chunk_bits, workers)
    except Mismatch as exc:
        logger.debug("ledger fast path: %s", exc)
        return None
    except Exception:
        logger.debug("ledger fast path failed", exc_info=True)
        return None
    finally:
        if collecting:
            gc.enable()
    return LedgerReport(checked=n)


def _verify(progress, bits: int, workers: int) -> int:
    """Verify the whole ledger; its number of entries, or `Mismatch`."""
    n = LedgerEntry.objects.count()
    heads: dict[int, list[SignedTreeHead]] = {}
    for sth in SignedTreeHead.objects.filter(log=LEDGER_LOG).order_by("tree_size", "id"):
        heads.setdefault(sth.tree_size, []).append(sth)
    if any(type(size) is not int or not 0 <= size <= n for size in heads):
        raise Mismatch("signed head beyond the entries")
    head = LogHead.objects.filter(log=LEDGER_LOG).first()

    connection.ensure_connection()
    db = _Database(connection.connection, connection.vendor)
    _probe_quoting(db)
    if db.fetchall(db.node_count_sql, (LEDGER_LOG,))[0][0] != _nodes_before(n):
        raise Mismatch("number of stored nodes")
    chunks = _plan(db, n, bits, sorted(heads))

    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, n)

    if workers > 1 and len(chunks) >= MIN_PARALLEL_CHUNKS and _can_fork(db.vendor):
        results = _run_forked(chunks, db, bits, advance)
    else:
        results = _check_chunks(db, chunks, bits, advance)
    results.sort(key=lambda result: result.number)

    last_hash = _merge(results, chunks, heads, bits)
    _check_signatures(heads)
    _check_flagged([seq for result in results for seq in result.flagged])
    if head is not None and (head.size != n or (head.last_hash or GENESIS_PREV) != last_hash):
        raise Mismatch("log head")
    if progress:
        progress(n, n)
    return n


def _merge(results: list[ChunkResult], chunks: list[Chunk], heads, bits: int) -> str:
    """Chain across chunks, the nodes above the chunks and every signed head's root."""
    frontier: list[bytes | None] = []

    def check_root(size: int, pieces: dict[int, bytes]) -> None:
        full = [pieces.get(level) for level in range(bits)] + frontier[bits:]
        root = frontier_root(full).hex()
        if any(sth.root_hash != root for sth in heads.get(size, ())):
            raise Mismatch(f"signed head at size {size}")

    check_root(0, {})
    prev = GENESIS_PREV
    for chunk, result in zip(chunks, results, strict=True):
        if result.number != chunk.number or result.first_prev != prev:
            raise Mismatch(f"chunk {chunk.number}: chain across chunks")
        for size in chunk.head_sizes:
            check_root(size, result.pieces[size])
        if result.root is not None:
            current, level, position = result.root, bits, chunk.number
            produced = []
            while position & 1 and level < len(frontier) and frontier[level] is not None:
                current = HASHER.node(frontier[level], current)
                frontier[level] = None
                level += 1
                position >>= 1
                produced.append(current)
            if len(frontier) <= level:
                frontier.extend([None] * (level + 1 - len(frontier)))
            frontier[level] = current
            if b"".join(produced) != result.above:
                raise Mismatch(f"chunk {chunk.number}: stored nodes above the chunk")
            if chunk.stop in heads:
                check_root(chunk.stop, {})
        elif result.above:
            raise Mismatch(f"chunk {chunk.number}: stored nodes above a partial chunk")
        prev = result.last_hash
    return prev


def _probe_quoting(db: _Database) -> None:
    """The database's JSON string quoting must be `verify._json_str`'s, character for character."""
    from sanxiang.records.verify import _json_str

    for probe in (_QUOTE_PROBE, "\x00" if db.vendor == "sqlite" else "plain"):
        if db.fetchall(db.quote_sql, (probe,))[0][0] != _json_str(probe):
            raise Mismatch("the database quotes JSON strings differently")


def _check_signatures(heads: dict[int, list[SignedTreeHead]]) -> None:
    """Every signed head is signed by this deployment's log key."""
    public_raw = keys.public_key_raw()
    key_id = keys.key_id(public_raw)
    for sths in heads.values():
        for sth in sths:
            message = keys.head_message(sth.tree_size, sth.root_hash, sth.timestamp)
            if sth.key_id != key_id or not keys.verify(message, sth.signature, public_raw):
                raise Mismatch(f"signature of the head at size {sth.tree_size}")


def _check_flagged(seqs: list[int]) -> None:
    """Rows the database did not vouch for: the streaming verifier's own column checks."""
    from sanxiang.records.verify import LedgerReport, _body_matches, _check_body

    for start in range(0, len(seqs), 500):
        rows = (LedgerEntry.objects.filter(seq__in=seqs[start:start + 500]).order_by("seq")
                .annotate(at_text=Cast("at", TextField()))
                .values_list("seq", "at_text", "actor", "subject", "action", "prev", "body"))
        for seq, at, actor, subject, action, prev, body in rows:
            if not _body_matches(seq, at, actor, subject, action, prev, body):
                report = LedgerReport()
                _check_body(report, seq, at, actor, subject, action, prev, body)
                if not report.ok:
                    raise Mismatch(f"entry {seq}: columns")
