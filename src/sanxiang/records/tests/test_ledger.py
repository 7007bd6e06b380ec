"""The ledger (执法全过程记录 台账): hash chain, Merkle tree, signed heads, insert-only, verify."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from sanxiang.records import keys, ledger_columns, logs, services, triggers
from sanxiang.records.ledger import merkle
from sanxiang.records.ledger.canonical import sha256_hex
from sanxiang.records.models import LedgerEntry, LogHead, MerkleNode, SignedTreeHead
from sanxiang.records.models.ledger import LEDGER_LOG
from sanxiang.records.tests.tampering import insert_entry, make_columns_plain
from sanxiang.records.verify import verify_ledger

LEDGER_TABLES = ("records_ledgerentry", "records_merklenode", "records_signedtreehead")


def append(n: int, subject: str = "case:1") -> list[LedgerEntry]:
    return [services.ledger_append(subject=subject, action="case.noted", actor="user:1",
                                   payload={"i": i, "text": f"第{i}条记录"}) for i in range(n)]


@pytest.fixture
def untriggered(db):
    """Drop the insert-only triggers, as someone with direct database access could."""
    triggers.apply(connection, LEDGER_TABLES, install=False)
    yield
    triggers.apply(connection, LEDGER_TABLES, install=True)


def raw(sql: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_entries_are_chained_and_canonical(db):
    first, second, third = append(3)
    assert [e.seq for e in (first, second, third)] == [0, 1, 2]
    assert first.prev == "0" * 64
    assert second.prev == first.entry_hash and third.prev == second.entry_hash
    assert sha256_hex(second.body.encode()) == second.entry_hash
    body = json.loads(second.body)
    assert list(body) == sorted(body)
    assert body["payload"] == {"i": 1, "text": "第1条记录"}
    assert "第1条记录" in second.body and " " not in second.body.replace("第1条记录", "")
    head = LogHead.objects.get(log=LEDGER_LOG)
    assert head.size == 3 and head.last_hash == third.entry_hash


def test_append_joins_the_callers_transaction(db):
    append(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        append(2)
        raise RuntimeError("the caller's change failed")
    assert LedgerEntry.objects.count() == 1
    assert LogHead.objects.get(log=LEDGER_LOG).size == 1
    assert MerkleNode.objects.filter(log=LEDGER_LOG).count() == 1
    assert verify_ledger().ok


@pytest.mark.parametrize("sql", [
    pytest.param("UPDATE records_ledgerentry SET body = 'x'", id="update-ledger"),
    pytest.param("DELETE FROM records_ledgerentry", id="delete-ledger"),
    pytest.param("UPDATE records_merklenode SET level = 9", id="update-node"),
    pytest.param("DELETE FROM records_merklenode", id="delete-node"),
    pytest.param("DELETE FROM records_signedtreehead", id="delete-head"),
])
def test_plain_update_or_delete_is_refused_by_the_database(db, sql):
    append(2)
    services.ledger_sign_head()
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(sql)
    assert LedgerEntry.objects.count() == 2


def test_orm_update_and_delete_are_refused(db):
    entry = append(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(body="{}")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()


@pytest.mark.parametrize("column", ["at", "actor", "subject", "action", "prev", "seq_in_body"])
def test_the_columns_computed_from_the_body_cannot_be_written(untriggered, column):
    """Even without the triggers: the database computes them from the hashed body."""
    entry = append(2)[1]
    value = "2030-01-01 00:00:00" if column == "at" else ("1" if column == "seq_in_body" else "tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"UPDATE records_ledgerentry SET {column} = %s WHERE seq = 1", value)
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"INSERT INTO records_ledgerentry (seq, entry_hash, body, {column}) VALUES (2, %s, %s, %s)",
            "e" * 64, entry.body.replace('"seq":1', '"seq":2'), value)
    assert LedgerEntry.objects.get(seq=1).actor == "user:1"


def test_the_columns_follow_the_body(db):
    entry = append(1, subject='案件:"引号"')[0]
    stored = LedgerEntry.objects.get(seq=0)
    body = json.loads(stored.body)
    assert (stored.subject, stored.actor, stored.action, stored.prev) == (
        body["subject"], body["actor"], body["action"], body["prev"])
    assert stored.at == entry.at and stored.at.isoformat(timespec="microseconds") == body["at"]
    assert ledger_columns.generated_columns_intact(connection)


def test_intact_ledger_verifies(db):
    append(37)
    services.ledger_sign_head()
    append(5)
    services.ledger_sign_head()
    report = verify_ledger()
    assert report.ok, report.problems
    assert report.checked == 42 and report.first_bad_seq is None


def tamper(seq: int, old: str, new: str) -> None:
    body = LedgerEntry.objects.get(seq=seq).body
    assert old in body
    raw("UPDATE records_ledgerentry SET body = %s WHERE seq = %s", body.replace(old, new, 1), seq)


def test_one_changed_character_is_named(untriggered):
    append(20)
    tamper(13, "第13条", "第18条")
    report = verify_ledger()
    assert not report.ok and report.first_bad_seq == 13


def test_changed_column_of_a_rebuilt_table_is_named(untriggered):
    """Columns made plain again (the table rebuilt by hand) are compared with the body row by row."""
    append(5)
    make_columns_plain()
    raw("UPDATE records_ledgerentry SET subject = 'case:2' WHERE seq = 3")
    report = verify_ledger()
    assert report.first_bad_seq == 3
    assert report.problems == ["entry 3: column subject does not match the hashed body"]


def test_rehashed_change_breaks_the_chain_and_the_tree(untriggered):
    """Recomputing the tampered entry's own hash does not help: the next link and the tree break."""
    append(10)
    entry = LedgerEntry.objects.get(seq=4)
    body = entry.body.replace("第4条", "第9条")
    raw("UPDATE records_ledgerentry SET body = %s, entry_hash = %s WHERE seq = 4", body, sha256_hex(body.encode()))
    report = verify_ledger()
    assert not report.ok and report.first_bad_seq == 4


def test_deleted_entry_is_named(untriggered):
    append(10)
    raw("DELETE FROM records_ledgerentry WHERE seq = 6")
    report = verify_ledger()
    assert not report.ok and report.first_bad_seq == 6


def test_reordered_entries_are_named(untriggered):
    append(10)
    a, b = LedgerEntry.objects.get(seq=2), LedgerEntry.objects.get(seq=7)
    for target, source in ((2, b), (7, a)):
        raw("UPDATE records_ledgerentry SET body = %s, entry_hash = %s WHERE seq = %s",
            source.body, "f" * 63 + str(target), target)
    assert verify_ledger().first_bad_seq == 2


def test_inserted_entry_is_detected(untriggered):
    append(5)
    fake = LedgerEntry.objects.get(seq=4)
    insert_entry(5, "e" * 64, fake.body)
    report = verify_ledger()
    assert not report.ok and report.first_bad_seq == 5


def test_tampered_tree_node_is_detected(untriggered):
    append(8)
    raw("UPDATE records_merklenode SET hash = %s WHERE level = 2 AND " + '"index"' + " = 1", b"\0" * 32)
    assert not verify_ledger().ok


def test_signed_head_covers_the_root_and_verifies(db):
    append(9)
    head = services.ledger_sign_head()
    assert head.tree_size == 9
    assert head.root_hash == logs.root_at(LEDGER_LOG, 9).hex()
    assert keys.verify(keys.head_message(9, head.root_hash, head.timestamp), head.signature)
    assert services.ledger_sign_head() == head  # unchanged size: same head


def test_forged_signature_is_detected(untriggered):
    append(3)
    services.ledger_sign_head()
    raw("UPDATE records_signedtreehead SET signature = %s", "A" * 88)
    report = verify_ledger()
    assert not report.ok and any("signature" in p for p in report.problems)


def test_proofs_from_the_database_verify(db):
    entries = append(23)
    root = logs.root_at(LEDGER_LOG, 23)
    for entry in entries[::5]:
        proof = logs.inclusion_proof(LEDGER_LOG, entry.seq, 23)
        merkle.verify_inclusion(logs.HASHER.leaf(bytes.fromhex(entry.entry_hash)), entry.seq, 23, proof, root,
                                logs.HASHER)
    old_root = logs.root_at(LEDGER_LOG, 11)
    merkle.verify_consistency(11, 23, old_root, root, logs.consistency_proof(LEDGER_LOG, 11, 23), logs.HASHER)


def test_verify_command_json_and_exit_code(untriggered, capsys):
    append(4)
    call_command("ledger", "verify", "--json")
    assert json.loads(capsys.readouterr().out) == {"ok": True, "checked": 4, "first_bad_seq": None, "problems": []}
    tamper(2, "第2条", "第3条")
    with pytest.raises(SystemExit) as exc:
        call_command("ledger", "verify", "--json")
    assert exc.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["first_bad_seq"] == 2


def test_signed_heads_are_insert_only(db):
    append(1)
    services.ledger_sign_head()
    with pytest.raises(DatabaseError), transaction.atomic():
        SignedTreeHead.objects.update(tree_size=5)
