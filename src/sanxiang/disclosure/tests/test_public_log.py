"""The public transparency log (公开透明日志): leaves, signed head, entries, proofs, limits.

API.md "Public API" (log/head, log/entries, log/consistency; RFC 6962 §2.1 hashing; the head
signature over "{tree_size}\\n{root_hash}\\n{timestamp}\\n"); DESIGN.md "Publicity: the public
transparency log".
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from sanxiang.disclosure import publiclog
from sanxiang.disclosure.models import PublicLogLeaf
from sanxiang.records import logs
from sanxiang.records.ledger import merkle
from sanxiang.records.ledger.canonical import canonical_json
from sanxiang.records.models import LedgerEntry, SignedTreeHead
from sanxiang.records.models.ledger import LEDGER_LOG, PUBLIC_LOG
from sanxiang.records.services import ledger_append
from sanxiang.records.tests.test_ledger_concurrency import fresh_database  # noqa: F401 - fixture

LOG = "/api/public/v1/log"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2026, 11, 20, 10, 30, 15, 123456, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached heads live in the (per-process) default cache."""
    cache.clear()
    yield
    cache.clear()


def record(i: int) -> dict:
    return {"document_number": f"沪环罚〔2026〕{i}号", "party": "上海某某化工有限公司", "fine_amount": "500000.00",
            "kind": "penalty", "unit": "pudong"}


def record_sha256(i: int) -> str:
    return hashlib.sha256(canonical_json(record(i))).hexdigest()


def publish(n: int, start: int = 0) -> list[PublicLogLeaf]:
    return [publiclog.public_log_append(action="publish", item=f"GS2026{i:05d}", at=AT + dt.timedelta(minutes=i),
                                        record_sha256=record_sha256(i), actor="user:7")
            for i in range(start, start + n)]


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code, error
    if field is not None:
        assert error["details"]["field"] == field, error
    return error


# --------------------------------------------------------------------------- leaves


def test_leaf_bytes_are_canonical_json_of_exactly_four_fields(db):
    leaf = publish(1)[0]
    document = json.loads(leaf.leaf)
    assert document == {"action": "publish", "at": "2026-11-20T10:30:15.123+08:00", "item": "GS202600000",
                        "record_sha256": record_sha256(0)}
    assert leaf.leaf_bytes == canonical_json(document)
    assert leaf.leaf_bytes == (b'{"action":"publish","at":"2026-11-20T10:30:15.123+08:00","item":"GS202600000",'
                               b'"record_sha256":"' + record_sha256(0).encode() + b'"}')
    assert leaf.leaf_hash == hashlib.sha256(b"\x00" + leaf.leaf_bytes).hexdigest()  # RFC 6962 leaf hash
    assert (leaf.index, leaf.action, leaf.item, leaf.record_sha256) == (0, "publish", "GS202600000", record_sha256(0))


def test_leaf_time_is_written_in_the_sites_time_zone(db):
    utc = dt.datetime(2026, 11, 20, 2, 30, 15, tzinfo=dt.UTC)
    leaf = publiclog.public_log_append(action="withdraw", item="GS1", at=utc, record_sha256="0" * 64, actor="user:7")
    assert json.loads(leaf.leaf)["at"] == "2026-11-20T10:30:15.000+08:00"


def test_leaf_never_carries_the_record_itself(db):
    leaf = publish(1)[0]
    for value in record(0).values():
        assert value not in leaf.leaf


def test_append_is_on_the_ledger_with_index_and_leaf_hash(db):
    first, second = publish(2)
    entries = list(LedgerEntry.objects.filter(action="public_log.appended").order_by("seq"))
    assert [json.loads(e.body)["payload"] for e in entries] == [
        {"index": 0, "leaf_hash": first.leaf_hash, "action": "publish", "item": first.item},
        {"index": 1, "leaf_hash": second.leaf_hash, "action": "publish", "item": second.item},
    ]
    assert {e.actor for e in entries} == {"user:7"}


@pytest.mark.parametrize("changes, message", [
    pytest.param({"action": "checkpoint"}, "action", id="checkpoint-is-not-a-publication-action"),
    pytest.param({"action": "delete"}, "action", id="unknown-action"),
    pytest.param({"item": ""}, "item", id="no-public-id"),
    pytest.param({"record_sha256": "A" * 64}, "record_sha256", id="upper-case-hash"),
    pytest.param({"record_sha256": "ab"}, "record_sha256", id="short-hash"),
    pytest.param({"at": dt.datetime(2026, 11, 20, 10, 0)}, "at", id="naive-time"),
])
def test_append_refuses_bad_leaves(db, changes, message):
    arguments = {"action": "publish", "item": "GS1", "at": AT, "record_sha256": "0" * 64, "actor": "user:7", **changes}
    with pytest.raises(ValueError, match=message):
        publiclog.public_log_append(**arguments)
    assert not PublicLogLeaf.objects.exists() and publiclog.public_log_size() == 0


def test_append_joins_the_callers_transaction(db):
    publish(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(2, start=1)
        raise RuntimeError("the publication failed")
    assert publiclog.public_log_size() == 1 and PublicLogLeaf.objects.count() == 1
    assert LedgerEntry.objects.filter(action="public_log.appended").count() == 1


@pytest.mark.parametrize("sql", [
    pytest.param("UPDATE disclosure_publiclogleaf SET leaf = 'x'", id="update"),
    pytest.param("DELETE FROM disclosure_publiclogleaf", id="delete"),
])
def test_leaves_are_insert_only(db, sql):
    publish(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert PublicLogLeaf.objects.count() == 2


# --------------------------------------------------------------------------- checkpoints


def test_checkpoint_carries_the_ledger_root(db):
    for i in range(5):
        ledger_append(subject="case:1", action="case.noted", actor="user:1", payload={"i": i})
    publish(2)
    size = logs.current_size(LEDGER_LOG)
    leaf = publiclog.public_log_checkpoint(actor="system")
    document = json.loads(leaf.leaf)
    assert set(document) == {"action", "at", "ledger_root", "ledger_size"}
    assert document["action"] == "checkpoint" and leaf.action == "checkpoint" and leaf.item is None
    assert document["ledger_size"] == size
    assert document["ledger_root"] == logs.root_at(LEDGER_LOG, size).hex()
    assert leaf.leaf_bytes == canonical_json(document)
    appended = LedgerEntry.objects.get(seq=size)  # the checkpoint's own entry comes after what it covers
    assert appended.action == "public_log.appended" and json.loads(appended.body)["payload"]["index"] == leaf.index


def test_checkpoint_is_idempotent_until_the_ledger_moves(db):
    ledger_append(subject="case:1", action="case.noted", actor="user:1")
    first = publiclog.public_log_checkpoint(actor="system")
    assert publiclog.public_log_checkpoint(actor="system").index == first.index
    ledger_append(subject="case:1", action="case.noted", actor="user:1")
    second = publiclog.public_log_checkpoint(actor="system")
    assert second.index == first.index + 1
    assert json.loads(second.leaf)["ledger_size"] == json.loads(first.leaf)["ledger_size"] + 2


def test_checkpoint_of_an_empty_ledger(db):
    leaf = publiclog.public_log_checkpoint(actor="system")
    assert json.loads(leaf.leaf)["ledger_size"] == 0
    assert json.loads(leaf.leaf)["ledger_root"] == hashlib.sha256(b"").hexdigest()


def test_checkpoint_command(db, capsys):
    from django.core.management import call_command

    ledger_append(subject="case:1", action="case.noted", actor="user:1")
    call_command("log", "checkpoint")
    out = json.loads(capsys.readouterr().out)
    assert out["index"] == 0 and out["leaf"]["ledger_size"] == 1


# --------------------------------------------------------------------------- head


def verify_head(head: dict) -> None:
    assert head["algorithm"] == "ed25519" and isinstance(head["timestamp"], int)
    key = base64.b64decode(head["public_key"])
    assert len(key) == 32
    message = f"{head['tree_size']}\n{head['root_hash']}\n{head['timestamp']}\n".encode()
    Ed25519PublicKey.from_public_bytes(key).verify(base64.b64decode(head["signature"]), message)


def test_head_signature_verifies_with_the_published_key(client, db):
    publish(5)
    head = client.get(f"{LOG}/head").json()
    verify_head(head)
    assert head["tree_size"] == 5
    assert head["root_hash"] == logs.root_at(PUBLIC_LOG, 5).hex()
    assert abs(head["timestamp"] - dt.datetime.now(dt.UTC).timestamp() * 1000) < 60_000


def test_head_of_the_empty_log(client, db):
    head = client.get(f"{LOG}/head").json()
    verify_head(head)
    assert (head["tree_size"], head["root_hash"]) == (0, hashlib.sha256(b"").hexdigest())


def test_head_always_covers_every_leaf_appended_so_far(client, db):
    seen = []
    for n in range(1, 8):
        publish(1, start=n)
        head = client.get(f"{LOG}/head").json()
        assert head["tree_size"] == n == PublicLogLeaf.objects.count()
        assert head["root_hash"] == logs.root_at(PUBLIC_LOG, n).hex()
        verify_head(head)
        seen.append(head)
    assert len({h["root_hash"] for h in seen}) == 7


def test_head_is_signed_once_per_size(client, db):
    publish(3)
    first = client.get(f"{LOG}/head").json()
    cache.clear()  # from the database this time
    assert client.get(f"{LOG}/head").json() == first
    assert client.get(f"{LOG}/head").json() == first  # from the cache
    assert SignedTreeHead.objects.filter(log=PUBLIC_LOG).count() == 1
    publish(1, start=3)
    assert client.get(f"{LOG}/head").json()["tree_size"] == 4
    assert SignedTreeHead.objects.filter(log=PUBLIC_LOG).count() == 2


def test_head_command(db, capsys):
    from django.core.management import call_command

    publish(2)
    call_command("log", "head")
    head = json.loads(capsys.readouterr().out)
    verify_head(head)
    assert head["tree_size"] == 2


# --------------------------------------------------------------------------- entries and proofs


def test_entries_round_trip_the_exact_leaf_bytes(client, db):
    leaves = publish(6)
    body = client.get(f"{LOG}/entries", {"start": 0, "end": 5}).json()
    assert [e["index"] for e in body["entries"]] == list(range(6))
    data = [base64.b64decode(e["leaf"]) for e in body["entries"]]
    assert data == [leaf.leaf_bytes for leaf in leaves]
    head = client.get(f"{LOG}/head").json()
    assert merkle.root(6, merkle.MemorySubtreeSource.from_leaves(data)).hex() == head["root_hash"]
    middle = client.get(f"{LOG}/entries", {"start": 2, "end": 3}).json()["entries"]
    assert [(e["index"], base64.b64decode(e["leaf"])) for e in middle] == [(2, data[2]), (3, data[3])]


def test_inclusion_proofs_verify_with_the_pure_module(db):
    leaves = publish(11)
    for tree_size in (1, 2, 5, 8, 11):
        root = bytes.fromhex(logs.root_at(PUBLIC_LOG, tree_size).hex())
        for leaf in leaves[:tree_size]:
            proof = publiclog.public_proof(leaf.index, tree_size)
            assert (proof["leaf_index"], proof["tree_size"]) == (leaf.index, tree_size)
            merkle.verify_inclusion(merkle.leaf_hash(leaf.leaf_bytes), leaf.index, tree_size,
                                    [bytes.fromhex(h) for h in proof["audit_path"]], root)
    assert publiclog.public_proof(3)["tree_size"] == 11  # default: the current size
    with pytest.raises(merkle.ProofError):
        merkle.verify_inclusion(merkle.leaf_hash(leaves[4].leaf_bytes), 3, 11,
                                [bytes.fromhex(h) for h in publiclog.public_proof(3, 11)["audit_path"]],
                                logs.root_at(PUBLIC_LOG, 11))


def test_consistency_proofs_from_the_api_verify(client, db):
    publish(13)
    second_root = logs.root_at(PUBLIC_LOG, 13)
    for first in range(0, 14):
        response = client.get(f"{LOG}/consistency", {"first": first, "second": 13})
        assert response.status_code == 200
        proof = [bytes.fromhex(h) for h in response.json()["proof"]]
        merkle.verify_consistency(first, 13, logs.root_at(PUBLIC_LOG, first), second_root, proof)
    proof = [bytes.fromhex(h) for h in client.get(f"{LOG}/consistency", {"first": 6, "second": 9}).json()["proof"]]
    merkle.verify_consistency(6, 9, logs.root_at(PUBLIC_LOG, 6), logs.root_at(PUBLIC_LOG, 9), proof)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(6, 9, logs.root_at(PUBLIC_LOG, 5), logs.root_at(PUBLIC_LOG, 9), proof)


@pytest.mark.parametrize("path, params, code, field", [
    pytest.param("entries", {"start": 3, "end": 2}, "invalid_range", "start", id="entries-start-after-end"),
    pytest.param("entries", {"start": 0, "end": 4}, "out_of_range", "end", id="entries-end-at-size"),
    pytest.param("entries", {"start": 0, "end": 1000}, "too_many_entries", "end", id="entries-1001"),
    pytest.param("entries", {"start": -1, "end": 2}, "out_of_range", "start", id="entries-negative"),
    pytest.param("entries", {"start": 0}, "field_required", "end", id="entries-no-end"),
    pytest.param("entries", {"start": "x", "end": 2}, "invalid_input", "start", id="entries-not-a-number"),
    pytest.param("consistency", {"first": 3, "second": 2}, "invalid_range", "first", id="consistency-order"),
    pytest.param("consistency", {"first": 1, "second": 5}, "out_of_range", "second", id="consistency-too-large"),
    pytest.param("consistency", {"first": -1, "second": 2}, "out_of_range", "first", id="consistency-negative"),
    pytest.param("consistency", {"second": 2}, "field_required", "first", id="consistency-no-first"),
])
def test_bad_parameters_are_400_naming_the_field(client, db, path, params, code, field):
    publish(4)
    assert_error(client.get(f"{LOG}/{path}", params), 400, code, field)


def test_at_most_1000_entries_per_call(client, db):
    publish(2)
    assert client.get(f"{LOG}/entries", {"start": 0, "end": 1}).status_code == 200
    # exactly 1000 is allowed (then refused only because the log is shorter)
    assert_error(client.get(f"{LOG}/entries", {"start": 5, "end": 1004}), 400, "out_of_range", "end")
    error = assert_error(client.get(f"{LOG}/entries", {"start": 5, "end": 1005}), 400, "too_many_entries", "end")
    assert error["details"]["max_entries"] == 1000


@pytest.mark.parametrize("index, tree_size, code", [
    pytest.param(0, 0, "out_of_range", id="tree-size-0"),
    pytest.param(0, 5, "out_of_range", id="tree-size-beyond-the-log"),
    pytest.param(3, 3, "out_of_range", id="leaf-not-in-that-tree"),
    pytest.param(0, -1, "out_of_range", id="negative"),
])
def test_bad_proof_sizes_name_tree_size(db, index, tree_size, code):
    from sanxiang.core.errors import InvalidInput

    publish(4)
    with pytest.raises(InvalidInput) as exc:
        publiclog.public_proof(index, tree_size)
    assert (exc.value.code, exc.value.details["field"]) == (code, "tree_size")


def test_proof_of_an_empty_log_is_refused(db):
    from sanxiang.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        publiclog.public_proof(0)
    assert exc.value.details["field"] == "tree_size"


# --------------------------------------------------------------------------- HTTP caching


def test_head_is_briefly_cacheable_and_revalidates(client, db):
    publish(2)
    response = client.get(f"{LOG}/head")
    assert response["Cache-Control"] == "public, max-age=10"
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = client.get(f"{LOG}/head", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    publish(1, start=2)
    moved = client.get(f"{LOG}/head", HTTP_IF_NONE_MATCH=etag)
    assert moved.status_code == 200 and moved["ETag"] != etag


@pytest.mark.parametrize("path, params", [
    pytest.param("entries", {"start": 0, "end": 2}, id="entries"),
    pytest.param("consistency", {"first": 1, "second": 3}, id="consistency"),
])
def test_fixed_ranges_are_immutable(client, db, path, params):
    publish(3)
    response = client.get(f"{LOG}/{path}", params)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    publish(2, start=3)
    later = client.get(f"{LOG}/{path}", params, HTTP_IF_NONE_MATCH=f'W/{response["ETag"]}, "other"')
    assert later.status_code == 304


def test_errors_are_not_cached(client, db):
    response = client.get(f"{LOG}/entries", {"start": 0, "end": 0})
    assert response.status_code == 400 and "immutable" not in response.get("Cache-Control", "")


# --------------------------------------------------------------------------- rate limit


@override_settings(PUBLIC_API_RATE_LIMIT=3, PUBLIC_API_RATE_WINDOW=60)
def test_rate_limited_past_the_limit_with_retry_after(client, db):
    for _ in range(3):
        assert client.get(f"{LOG}/head").status_code == 200
    response = client.get(f"{LOG}/head")
    error = assert_error(response, 429, "rate_limited")
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60 and error["details"]["retry_after"] == retry_after
    # the whole public API, bad requests included, shares the one budget per client
    assert_error(client.get("/api/public/v1/officers/NOSUCH0001"), 429, "rate_limited")
    assert_error(client.get(f"{LOG}/entries", {"start": 9, "end": 1}), 429, "rate_limited")
    # another client is not affected
    assert client.get(f"{LOG}/head", REMOTE_ADDR="10.1.2.3").status_code == 200


@override_settings(PUBLIC_API_RATE_LIMIT=2)
def test_bad_requests_count_too(client, db):
    assert client.get(f"{LOG}/entries", {"start": 9, "end": 1}).status_code == 400
    assert client.get("/api/public/v1/officers/NOSUCH0001").status_code == 404
    assert_error(client.get(f"{LOG}/head"), 429, "rate_limited")


@override_settings(PUBLIC_API_RATE_LIMIT=1)
def test_forwarded_for_is_ignored_unless_a_proxy_is_trusted(client, db):
    assert client.get(f"{LOG}/head", HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 200
    assert client.get(f"{LOG}/head", HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 429  # forged: same client
    with override_settings(PUBLIC_API_TRUSTED_PROXIES=1):
        assert client.get(f"{LOG}/head", HTTP_X_FORWARDED_FOR="6.6.6.6, 3.3.3.3").status_code == 200
        assert client.get(f"{LOG}/head", HTTP_X_FORWARDED_FOR="7.7.7.7, 3.3.3.3").status_code == 429
        assert client.get(f"{LOG}/head", HTTP_X_FORWARDED_FOR="4.4.4.4").status_code == 200


@override_settings(PUBLIC_API_RATE_LIMIT=0)
def test_limit_zero_turns_limiting_off(client, db):
    for _ in range(5):
        assert client.get(f"{LOG}/head").status_code == 200


@override_settings(PUBLIC_API_RATE_LIMIT=2)
def test_staff_api_is_not_limited_by_the_public_budget(client, db):
    for _ in range(3):
        client.get(f"{LOG}/head")
    assert client.get("/api/v1/me").status_code == 401


def test_openapi_lists_the_log(client, db):
    paths = client.get("/api/public/v1/openapi.json").json()["paths"]
    assert {f"{LOG}/head", f"{LOG}/entries", f"{LOG}/consistency"} <= set(paths)


# --------------------------------------------------------------------------- concurrency

PUBLISHER = """
import datetime as dt, django, sys
django.setup()
from django.db import transaction
from django.utils import timezone
from sanxiang.disclosure.publiclog import public_log_append, public_log_checkpoint
from sanxiang.records.services import ledger_append
from sanxiang.records.tests.test_ledger_concurrency import fresh_database  # noqa: F401 - fixture
worker, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    if worker == "checkpoints":
        ledger_append(subject="case:0", action="case.noted", actor="user:0", payload={"i": i})
        public_log_checkpoint(actor="system")
        continue
    with transaction.atomic():  # as a publish service does: its ledger entry first, then the leaf
        ledger_append(subject=f"case:{worker}", action="publication.published", actor=f"user:{worker}")
        public_log_append(action="publish", item=f"GS{worker}-{i}", at=timezone.now(),
                          record_sha256="%064x" % i, actor=f"user:{worker}")
"""

CHECK = """
import json, django
django.setup()
from sanxiang.disclosure.models import PublicLogLeaf
from sanxiang.records import logs
from sanxiang.records.ledger import merkle
leaves = [row.leaf_bytes for row in PublicLogLeaf.objects.order_by("index")]
indexes = list(PublicLogLeaf.objects.order_by("index").values_list("index", flat=True))
size = logs.current_size("public")
print(json.dumps({"size": size, "gapless": indexes == list(range(size)),
                  "root_ok": logs.root_at("public", size) == merkle.root(size, merkle.MemorySubtreeSource.from_leaves(leaves))}))
"""


def test_concurrent_publishers_and_checkpoints_neither_deadlock_nor_leave_gaps(fresh_database):  # noqa: F811
    """Lock order ledger → public everywhere: publish services (their ledger entry, then the
    leaf) and the checkpoint job (ledger head, then the leaf) run side by side in separate
    processes (SQLite file, PostgreSQL)."""
    env = fresh_database
    workers = [subprocess.Popen([sys.executable, "-c", PUBLISHER, name, "12"], env=env,
                                stderr=subprocess.PIPE, text=True) for name in ("a", "b", "c", "checkpoints")]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    checked = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout)
    assert result["gapless"] and result["root_ok"] and result["size"] >= 37, result
    ledger = subprocess.run([sys.executable, "-m", "sanxiang", "ledger", "verify", "--json"], env=env,
                            capture_output=True, text=True, timeout=300)
    assert ledger.returncode == 0, ledger.stdout
