"""The bulk fast path of the ledger verification against the streaming verifier.

`verify_ledger_fast` may only say "intact" when `verify_ledger_streaming` finds nothing; on
anything else it steps aside and `verify_ledger` returns the streaming report. Every case
runs with several chunk sizes so that entries, nodes and signed heads fall inside chunks, on
their boundaries and above them.
"""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection

from sanxiang.records import ledger_columns, services, triggers, verify_fast
from sanxiang.records.ledger.canonical import sha256_hex
from sanxiang.records.models import LedgerEntry, LogHead, MerkleNode, SignedTreeHead
from sanxiang.records.models.ledger import LEDGER_LOG
from sanxiang.records.tests.tampering import insert_entry, make_columns_plain
from sanxiang.records.verify import verify_ledger, verify_ledger_streaming

LEDGER_TABLES = ("records_ledgerentry", "records_merklenode", "records_signedtreehead")
BITS = (1, 2, 3, 16)


def append(n: int, **kwargs) -> list[LedgerEntry]:
    start = LedgerEntry.objects.count()
    return [services.ledger_append(subject=kwargs.get("subject", f"case:{(start + i) % 7}"),
                                   action=kwargs.get("action", "case.noted"),
                                   actor=kwargs.get("actor", "user:1"),
                                   payload={"i": start + i, "text": f"第{start + i}条记录"})
            for i in range(n)]


def raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def fast(bits: int, workers: int = 1):
    return verify_fast.verify_ledger_fast(chunk_bits=bits, workers=workers)


@pytest.fixture
def untriggered(db):
    """Drop the insert-only triggers, as someone with direct database access could."""
    triggers.apply(connection, LEDGER_TABLES, install=False)
    yield
    triggers.apply(connection, LEDGER_TABLES, install=True)


@pytest.fixture
def ledger(db):
    """23 entries with signed heads at 8 (a chunk boundary for small chunks), 13 and 23."""
    append(8)
    services.ledger_sign_head()
    append(5)
    services.ledger_sign_head()
    append(10)
    services.ledger_sign_head()
    return 23


def test_intact_ledgers_of_every_shape_pass_the_fast_path(db):
    """Sizes around powers of two, heads inside chunks and on their boundaries, empty ledger."""
    services.ledger_sign_head()
    for target in (1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 18, 31, 33):
        append(target - LedgerEntry.objects.count())
        if target % 3 == 0 or target in (8, 16):
            services.ledger_sign_head()
        for bits in BITS:
            report = fast(bits)
            assert report is not None, (target, bits)
            assert report.as_dict() == {"ok": True, "checked": target, "first_bad_seq": None, "problems": []}
    assert verify_ledger().as_dict() == verify_ledger_streaming().as_dict()


def test_empty_ledger(db):
    assert fast(16).as_dict() == verify_ledger_streaming().as_dict()
    services.ledger_sign_head()
    assert fast(2).as_dict() == verify_ledger_streaming().as_dict()


def test_unusual_values_pass_like_the_streaming_verifier(db, monkeypatch):
    """Quotes, backslashes, control and non-ASCII characters in the values (escaped in the body)
    and a time without microseconds."""
    append(3, subject='case:"引号"\\反斜杠', actor="user:\t1\n", action="case.noted\u2028")
    append(2, subject="案件:甲", actor="用户:乙")
    real = services.timezone
    monkeypatch.setattr(services, "timezone", SimpleNamespace(now=lambda: real.now().replace(microsecond=0)))
    append(2)
    monkeypatch.setattr(services, "timezone", real)
    append(2)
    assert LedgerEntry.objects.get(seq=0).subject == 'case:"引号"\\反斜杠'
    for bits in BITS:
        assert fast(bits).as_dict() == {"ok": True, "checked": 9, "first_bad_seq": None, "problems": []}
    assert verify_ledger_streaming().ok


def _node_id(level: int, index: int) -> int:
    return MerkleNode.objects.get(log=LEDGER_LOG, level=level, index=index).id


def _swap_node_ids(a: int, b: int) -> None:
    raw("UPDATE records_merklenode SET id = -7 WHERE id = %s", a)
    raw("UPDATE records_merklenode SET id = %s WHERE id = %s", a, b)
    raw("UPDATE records_merklenode SET id = %s WHERE id = -7", b)


def _swap_node_indexes(level: int, a: int, b: int) -> None:
    raw('UPDATE records_merklenode SET "index" = 100000 WHERE log = %s AND level = %s AND "index" = %s',
        LEDGER_LOG, level, a)
    raw('UPDATE records_merklenode SET "index" = %s WHERE log = %s AND level = %s AND "index" = %s',
        a, LEDGER_LOG, level, b)
    raw('UPDATE records_merklenode SET "index" = %s WHERE log = %s AND level = %s AND "index" = 100000',
        b, LEDGER_LOG, level)


def _rewrite_last_entry_body(old: str, new: str) -> None:
    """Change the last entry's body and redo its hash, leaf and log head: only the column
    checks of the streaming verifier can notice."""
    entry = LedgerEntry.objects.get(seq=22)
    body = entry.body.replace(old, new, 1)
    assert body != entry.body
    entry_hash = sha256_hex(body.encode())
    raw("UPDATE records_ledgerentry SET body = %s, entry_hash = %s WHERE seq = 22", body, entry_hash)
    from sanxiang.records.logs import HASHER

    leaf = HASHER.leaf(bytes.fromhex(entry_hash))
    raw('UPDATE records_merklenode SET hash = %s WHERE log = %s AND level = 0 AND "index" = 22',
        leaf, LEDGER_LOG)  # the only stored node over leaf 22 of 23
    LogHead.objects.filter(log=LEDGER_LOG).update(last_hash=entry_hash)
    raw("DELETE FROM records_signedtreehead WHERE tree_size = 23")


TAMPERING = {
    "body-character": lambda: raw("UPDATE records_ledgerentry SET body = replace(body, '第13条', '第18条') "
                                  "WHERE seq = 13"),
    "body-rehashed": lambda: _rehash(4, "第4条", "第9条"),
    "plain-column-subject": lambda: _plain("UPDATE records_ledgerentry SET subject = 'case:99' WHERE seq = 3"),
    "plain-column-action": lambda: _plain("UPDATE records_ledgerentry SET action = 'case.closed' WHERE seq = 17"),
    "plain-column-actor": lambda: _plain("UPDATE records_ledgerentry SET actor = 'user:2' WHERE seq = 0"),
    "plain-column-at": lambda: _plain("UPDATE records_ledgerentry SET at = at + interval '1 second' WHERE seq = 9"
                                      if connection.vendor == "postgresql" else
                                      "UPDATE records_ledgerentry SET at = replace(at, ':', '-') WHERE seq = 9"),
    "plain-column-prev": lambda: _plain("UPDATE records_ledgerentry SET prev = %s WHERE seq = 11", "a" * 64),
    "column-entry-hash": lambda: raw("UPDATE records_ledgerentry SET entry_hash = %s WHERE seq = 6", "b" * 64),
    "column-entry-hashes-shifted": lambda: _shift_text("entry_hash", 5),
    "plain-column-prevs-shifted": lambda: (make_columns_plain(), _shift_text("prev", 6)),
    "deleted-entry": lambda: raw("DELETE FROM records_ledgerentry WHERE seq = 6"),
    "deleted-last-entry": lambda: raw("DELETE FROM records_ledgerentry WHERE seq = 22"),
    "inserted-entry": lambda: _insert_after_last(),
    "reordered-entries": lambda: _swap_entries(2, 7),
    "last-body-prev-field": lambda: _rewrite_last_entry_body(f'"prev":"{LedgerEntry.objects.get(seq=22).prev}"',
                                                             f'"prev":"{"0" * 64}"'),
    "last-body-seq-field": lambda: _rewrite_last_entry_body('"seq":22', '"seq":23'),
    "node-leaf": lambda: raw('UPDATE records_merklenode SET hash = %s WHERE level = 0 AND "index" = 14', b"\0" * 32),
    "node-inner": lambda: raw('UPDATE records_merklenode SET hash = %s WHERE level = 2 AND "index" = 1', b"\0" * 32),
    "node-above-small-chunks": lambda: raw(
        'UPDATE records_merklenode SET hash = %s WHERE level = 4 AND "index" = 0', b"\1" * 32),
    "node-hashes-shifted": lambda: _shift_node_hash(_node_id(0, 9)),
    "node-index-text": lambda: _sqlite_only('UPDATE records_merklenode SET "index" = \'x\' '
                                            'WHERE level = 2 AND "index" = 0'),
    "node-level-text": lambda: _sqlite_only("UPDATE records_merklenode SET level = 'x' "
                                            'WHERE level = 3 AND "index" = 0'),
    "node-deleted": lambda: raw('DELETE FROM records_merklenode WHERE level = 1 AND "index" = 5'),
    "node-extra": lambda: MerkleNode.objects.create(log=LEDGER_LOG, level=0, index=23, hash=b"\2" * 32),
    "node-labels-swapped": lambda: _swap_node_indexes(0, 4, 5),
    "node-ids-swapped": lambda: _swap_node_ids(_node_id(0, 2), _node_id(0, 3)),
    "node-level-out-of-range": lambda: raw(
        'UPDATE records_merklenode SET level = 64, "index" = 4 WHERE level = 0 AND "index" = 5'),
    "head-signature": lambda: raw("UPDATE records_signedtreehead SET signature = %s WHERE tree_size = 13", "A" * 88),
    "head-root": lambda: raw("UPDATE records_signedtreehead SET root_hash = %s WHERE tree_size = 8", "c" * 64),
    "head-key-id": lambda: raw("UPDATE records_signedtreehead SET key_id = %s WHERE tree_size = 23", "d" * 64),
    "head-beyond": lambda: SignedTreeHead.objects.create(log=LEDGER_LOG, tree_size=40, root_hash="e" * 64,
                                                         timestamp=1, signature="A" * 88, key_id="x"),
    "log-head-size": lambda: LogHead.objects.filter(log=LEDGER_LOG).update(size=22),
    "log-head-last-hash": lambda: LogHead.objects.filter(log=LEDGER_LOG).update(last_hash="f" * 64),
}


def _plain(sql: str, *params) -> None:
    make_columns_plain()
    raw(sql, *params)


def _shift_text(column: str, seq: int) -> None:
    """Move the last character of one row's value to the front of the next row's: the values
    run together stay the same."""
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses a 65-character value in a varchar(64) column")
    first, second = (getattr(LedgerEntry.objects.get(seq=s), column) for s in (seq, seq + 1))
    raw(f"UPDATE records_ledgerentry SET {column} = %s WHERE seq = %s", first[:-1], seq)
    raw(f"UPDATE records_ledgerentry SET {column} = %s WHERE seq = %s", first[-1] + second, seq + 1)


def _sqlite_only(sql: str) -> None:
    """A value of another type in an integer column: possible in SQLite only."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL refuses a value of another type")
    raw(sql)


def _shift_node_hash(node_id: int) -> None:
    """The same for a stored node hash and the node stored after it."""
    first, following = MerkleNode.objects.filter(id__gte=node_id).order_by("id")[:2]
    a, b = bytes(first.hash), bytes(following.hash)
    raw("UPDATE records_merklenode SET hash = %s WHERE id = %s", a[:-1], first.id)
    raw("UPDATE records_merklenode SET hash = %s WHERE id = %s", a[-1:] + b, following.id)


def _rehash(seq: int, old: str, new: str) -> None:
    body = LedgerEntry.objects.get(seq=seq).body.replace(old, new)
    raw("UPDATE records_ledgerentry SET body = %s, entry_hash = %s WHERE seq = %s",
        body, sha256_hex(body.encode()), seq)


def _insert_after_last() -> None:
    last = LedgerEntry.objects.get(seq=22)
    insert_entry(23, "e" * 64, last.body)


def _swap_entries(a: int, b: int) -> None:
    first, second = LedgerEntry.objects.get(seq=a), LedgerEntry.objects.get(seq=b)
    for target, source in ((a, second), (b, first)):
        raw("UPDATE records_ledgerentry SET body = %s, entry_hash = %s WHERE seq = %s",
            source.body, "f" * 63 + str(target % 10), target)


@pytest.mark.parametrize("name", list(TAMPERING))
def test_tampering_leaves_the_report_to_the_streaming_verifier(untriggered, ledger, name):
    TAMPERING[name]()
    expected = verify_ledger_streaming()
    assert not expected.ok, name
    for bits in BITS:
        assert fast(bits) is None, (name, bits)
    assert verify_ledger().as_dict() == expected.as_dict()


def test_a_node_hash_stored_as_text_fails_both_verifiers_alike(untriggered, ledger):
    """SQLite keeps a value's type per row: the streaming verifier cannot read such a node."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps bytea")
    raw('UPDATE records_merklenode SET hash = CAST(hash AS TEXT) WHERE level = 0 AND "index" = 3')
    for bits in BITS:
        assert fast(bits) is None
    with pytest.raises(DatabaseError, match="decode"):
        verify_ledger_streaming()
    with pytest.raises(DatabaseError, match="decode"):
        verify_ledger()


@pytest.mark.parametrize("change", ["escaped-subject", "rewritten-unsigned-tail"])
def test_consistent_rewrites_of_the_last_unsigned_entry_pass_both_verifiers(untriggered, ledger, change):
    """A body that spells the same subject with a JSON escape; a body whose subject is changed
    and everything after it (hash, leaf, log head) redone, with no signed head over it. The
    columns follow the body, so neither verifier can tell: only signing heads often protects
    the newest entries against such a rewrite."""
    new = '"subject":"case:\\u0031"' if change == "escaped-subject" else '"subject":"case:1\\u0031"'
    _rewrite_last_entry_body('"subject":"case:1"', new)
    assert LedgerEntry.objects.get(seq=22).subject == ("case:1" if change == "escaped-subject" else "case:11")
    expected = verify_ledger_streaming()
    assert expected.ok
    for bits in BITS:
        assert fast(bits).as_dict() == expected.as_dict()


def test_a_rebuilt_table_leaves_even_an_intact_ledger_to_the_streaming_verifier(untriggered, ledger):
    """Plain columns holding the same values (another spelling of a time, on SQLite): the
    streaming verifier compares every row and accepts them."""
    make_columns_plain()
    if connection.vendor == "sqlite":
        raw("UPDATE records_ledgerentry SET at = replace(at, ' ', 'T') || '+00:00' WHERE seq = 5")
    for bits in BITS:
        assert fast(bits) is None
    assert verify_ledger().as_dict() == {"ok": True, "checked": 23, "first_bad_seq": None, "problems": []}


@pytest.mark.parametrize("change", ["column-expression", "primary-key"])
def test_the_table_definition_is_checked(untriggered, ledger, change):
    """A column computed from something else, or `seq` no longer a primary key (duplicates
    possible): the fast path steps aside."""
    assert ledger_columns.generated_columns_intact(connection)
    if connection.vendor == "postgresql":
        if change == "column-expression":  # the time conversion replaced by another function body
            raw(f"CREATE OR REPLACE FUNCTION {ledger_columns.PG_TIME_FUNCTION}(text) RETURNS timestamptz "
                "LANGUAGE sql IMMUTABLE AS $$ SELECT now() $$")
        else:
            raw("ALTER TABLE records_ledgerentry DROP CONSTRAINT records_ledgerentry_pkey")
    elif change == "column-expression":  # a column definition changed through the schema table
        raw("PRAGMA writable_schema = ON")
        try:
            raw("UPDATE sqlite_master SET sql = replace(sql, '$.actor', '$.action') WHERE name = 'records_ledgerentry'")
        finally:
            raw("PRAGMA writable_schema = OFF")
    else:
        pytest.skip("SQLite: the table's text is compared whole; `seq` is the rowid only in that table")
    assert not ledger_columns.generated_columns_intact(connection)
    assert fast(3) is None
    assert verify_ledger().as_dict() == verify_ledger_streaming().as_dict()


def test_verify_ledger_answers_from_the_fast_path_when_intact(ledger, monkeypatch):
    def streaming(progress=None):
        raise AssertionError("the streaming verifier should not run")

    monkeypatch.setattr("sanxiang.records.verify.verify_ledger_streaming", streaming)
    seen = []
    report = verify_ledger(lambda done, total: seen.append((done, total)))
    assert report.ok and report.checked == 23
    assert seen[-1] == (23, 23)


def test_an_unexpected_error_falls_back_to_the_streaming_verifier(ledger, monkeypatch):
    def broken(*args):
        raise ValueError("unexpected")

    monkeypatch.setattr(verify_fast, "_levels", broken)
    assert verify_fast.verify_ledger_fast() is None
    assert verify_ledger().as_dict() == verify_ledger_streaming().as_dict()


# --------------------------------------------------------------------------- two processes


@pytest.fixture
def second_connection(monkeypatch, tmp_path):
    """Let the forked child reach the test database: a file copy of SQLite's in-memory test
    database (a second connection cannot open that one); PostgreSQL's own, after a commit."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "ledger.sqlite3"

        def snapshot():
            target = sqlite3.connect(copy)
            connection.connection.backup(target)
            target.close()

        def new_database():
            return verify_fast._Database(sqlite3.connect(copy), "sqlite")

        monkeypatch.setattr(verify_fast, "_new_database", new_database)
    else:
        def snapshot():
            pass

    monkeypatch.setattr(verify_fast, "_can_fork", lambda vendor: True)
    forks = []
    run_forked = verify_fast._run_forked

    def counted(*args):
        forks.append(args[0])
        return run_forked(*args)

    monkeypatch.setattr(verify_fast, "_run_forked", counted)
    snapshot.forks = forks
    return snapshot


@pytest.mark.django_db(transaction=True)
def test_two_processes_verify_like_one(second_connection):
    append(23)
    services.ledger_sign_head()
    append(14)
    services.ledger_sign_head()
    second_connection()
    for bits in (1, 2, 3):
        report = fast(bits, workers=2)
        assert report is not None and second_connection.forks, bits
        second_connection.forks.clear()
        assert report.as_dict() == {"ok": True, "checked": 37, "first_bad_seq": None, "problems": []}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("seq", [2, 30], ids=["first-chunk", "last-chunk"])
def test_two_processes_find_tampering_in_any_chunk(second_connection, seq):
    append(37)
    services.ledger_sign_head()
    triggers.apply(connection, LEDGER_TABLES, install=False)
    try:
        raw("UPDATE records_ledgerentry SET body = replace(body, '记录', '记载') WHERE seq = %s", seq)
        second_connection()
        assert fast(2, workers=2) is None
        assert verify_ledger_streaming().first_bad_seq == seq
    finally:
        triggers.apply(connection, LEDGER_TABLES, install=True)


@pytest.mark.django_db(transaction=True)
def test_a_failing_child_falls_back(second_connection, monkeypatch):
    append(20)
    second_connection()

    def unreachable():
        raise OSError("no second connection")

    monkeypatch.setattr(verify_fast, "_new_database", unreachable)
    assert fast(2, workers=2) is None
    assert verify_ledger().as_dict() == {"ok": True, "checked": 20, "first_bad_seq": None, "problems": []}


def test_the_work_queue_hands_out_every_chunk_once(monkeypatch):
    monkeypatch.setattr(verify_fast._WorkQueue, "MAX_TOKENS", 3)
    chunks = [verify_fast.Chunk(i, 4 * i, 4 * i + 4, i, i + 1) for i in range(10)]
    queue = verify_fast._WorkQueue(chunks)
    taken = []
    while (group := queue.take()) is not None:
        taken.append([chunk.number for chunk in group])
    queue.close()
    assert taken == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
