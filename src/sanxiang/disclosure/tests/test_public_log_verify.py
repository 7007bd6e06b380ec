"""`sanxiang log verify-remote URL` against a real HTTP server (`live_server`): the public log
verifies from outside, and a tampered leaf, a forged signature, another key or a rewritten
history make it exit 1.

The decision endpoints (`decisions/{id}`, `decisions/{id}/proof`, API.md "Public API") are
stubbed in this module's URLconf (`urlpatterns`, used with `pytest.mark.urls`): the stub
serves a record and its log index as the test says, and the proof from
`publiclog.public_proof`; the log endpoints are the real ones.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import socket
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import JsonResponse
from django.urls import path

import sanxiang.urls
from sanxiang.api.errors import error_response
from sanxiang.disclosure import publiclog
from sanxiang.records import keys, logs, triggers
from sanxiang.records.ledger.canonical import canonical_json
from sanxiang.records.models import SignedTreeHead
from sanxiang.records.models.ledger import PUBLIC_LOG

AT = dt.datetime(2026, 11, 20, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))

# --------------------------------------------------------------------------- stub decisions API

DECISIONS: dict[str, tuple[int, dict]] = {}


def _stub_decision(request, public_id: str):
    if public_id not in DECISIONS:
        return error_response(404, "not_found", "Not found.")
    status, body = DECISIONS[public_id]
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _stub_proof(request, public_id: str):
    status, body = DECISIONS[public_id]
    if status != 200:
        return JsonResponse(body, status=status)
    tree_size = int(request.GET["tree_size"]) if "tree_size" in request.GET else None
    return JsonResponse(publiclog.public_proof(body["log_index"], tree_size))


urlpatterns = [
    path("api/public/v1/decisions/<str:public_id>/proof", _stub_proof),
    path("api/public/v1/decisions/<str:public_id>", _stub_decision),
    *sanxiang.urls.urlpatterns,
]

# --------------------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    DECISIONS.clear()
    yield
    cache.clear()
    DECISIONS.clear()


@pytest.fixture
def untriggered(live_server):
    """Drop the leaves' insert-only triggers, as someone with direct database access could."""
    triggers.apply(connection, ["disclosure_publiclogleaf"], install=False)
    yield live_server
    triggers.apply(connection, ["disclosure_publiclogleaf"], install=True)


def record(i: int, text: str = "超标排放大气污染物") -> dict:
    return {"document_number": f"沪环罚〔2026〕{i}号", "facts": text, "fine_amount": "500000.00"}


def sha(obj: dict) -> str:
    return hashlib.sha256(canonical_json(obj)).hexdigest()


def publish(i: int, action: str = "publish", obj: dict | None = None):
    return publiclog.public_log_append(action=action, item=f"GS{i:04d}", at=AT + dt.timedelta(minutes=i),
                                       record_sha256=sha(obj or record(i)), actor="user:7")


def populate(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        publish(i)


def verify(url: str, capsys, *args: str) -> tuple[int, dict]:
    try:
        call_command("log", "verify-remote", url, "--json", *args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(capsys.readouterr().out)


# --------------------------------------------------------------------------- the log


def test_an_intact_log_verifies(live_server, capsys):
    populate(7)
    publiclog.public_log_checkpoint(actor="system")
    code, report = verify(live_server.url, capsys)
    assert code == 0, report["problems"]
    assert report["ok"] and report["signature_ok"] and report["root_ok"]
    assert (report["tree_size"], report["entries"]) == (8, 8)
    assert report["root_hash"] == logs.root_at(PUBLIC_LOG, 8).hex()
    assert report["public_key"] == keys.public_key_b64()


def test_the_empty_log_verifies(live_server, capsys):
    code, report = verify(live_server.url, capsys)
    assert code == 0 and report["tree_size"] == 0 and report["root_hash"] == hashlib.sha256(b"").hexdigest()


def test_entries_are_fetched_in_batches_of_1000(live_server, capsys):
    populate(1003)
    code, report = verify(f"{live_server.url}/api/public/v1/", capsys)  # the API base is accepted too
    assert code == 0, report["problems"]
    assert report["entries"] == 1003


def test_text_output(live_server, capsys):
    populate(2)
    call_command("log", "verify-remote", live_server.url)
    out = capsys.readouterr().out
    assert "head: 2 leaves" in out and "signature OK" in out and "public log intact" in out


def test_a_tampered_leaf_fails(untriggered, capsys):
    populate(5)
    leaf = publiclog.PublicLogLeaf.objects.get(index=3)
    forged = leaf.leaf.replace(leaf.record_sha256, sha(record(3, "未发现违法行为")))
    with connection.cursor() as cursor:
        cursor.execute('UPDATE disclosure_publiclogleaf SET leaf = %s WHERE "index" = %s', [forged, 3])
    code, report = verify(untriggered.url, capsys)
    assert code == 1 and not report["ok"] and not report["root_ok"]
    assert any("recomputed root" in p for p in report["problems"]), report["problems"]


def test_a_non_canonical_leaf_fails(untriggered, capsys):
    populate(2)
    leaf = publiclog.PublicLogLeaf.objects.get(index=1)
    with connection.cursor() as cursor:
        cursor.execute('UPDATE disclosure_publiclogleaf SET leaf = %s WHERE "index" = %s',
                       [leaf.leaf.replace(",", ", "), 1])
    code, report = verify(untriggered.url, capsys)
    assert code == 1
    assert any(p.startswith("leaf 1 is not in canonical form") for p in report["problems"]), report["problems"]


def _forged_head(size: int, root: str) -> SignedTreeHead:
    """A head for the real size and root, signed by someone else's key but claiming the site's."""
    stamp = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
    signature = base64.b64encode(Ed25519PrivateKey.generate().sign(keys.head_message(size, root, stamp))).decode()
    return SignedTreeHead.objects.create(log=PUBLIC_LOG, tree_size=size, root_hash=root, timestamp=stamp,
                                         signature=signature, key_id=keys.key_id())


def test_a_forged_signature_fails(live_server, capsys):
    populate(4)
    _forged_head(4, logs.root_at(PUBLIC_LOG, 4).hex())
    code, report = verify(live_server.url, capsys)
    assert code == 1 and not report["signature_ok"]
    assert any("signature does not verify" in p for p in report["problems"]), report["problems"]


def test_a_pinned_key_is_enforced(live_server, capsys, tmp_path):
    populate(2)
    assert verify(live_server.url, capsys, "--public-key", keys.public_key_b64())[0] == 0
    pem = tmp_path / "site.pem"
    pem.write_text(keys.public_key_pem())
    assert verify(live_server.url, capsys, "--public-key", str(pem))[0] == 0
    other = base64.b64encode(Ed25519PrivateKey.generate().public_key().public_bytes_raw()).decode()
    code, report = verify(live_server.url, capsys, "--public-key", other)
    assert code == 1 and any("pinned" in p for p in report["problems"]), report["problems"]


def test_previous_head_is_checked_for_consistency_then_saved(live_server, capsys, tmp_path):
    saved = tmp_path / "head.json"
    populate(5)
    code, report = verify(live_server.url, capsys, "--previous", str(saved))
    assert code == 0 and report["previous"] is None
    first = json.loads(saved.read_text())
    assert (first["tree_size"], first["root_hash"]) == (5, logs.root_at(PUBLIC_LOG, 5).hex())
    populate(6, start=5)
    code, report = verify(live_server.url, capsys, "--previous", str(saved))
    assert code == 0, report["problems"]
    assert report["previous"] == {"tree_size": 5, "root_hash": first["root_hash"], "consistent": True}
    assert json.loads(saved.read_text())["tree_size"] == 11
    code, report = verify(live_server.url, capsys, "--previous", str(saved))  # nothing new: still fine
    assert code == 0 and report["previous"]["consistent"]


def _signed(size: int, root: str) -> dict:
    stamp = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
    return {"tree_size": size, "root_hash": root, "timestamp": stamp, "algorithm": "ed25519",
            "signature": keys.sign(keys.head_message(size, root, stamp)), "public_key": keys.public_key_b64()}


def test_a_rewritten_history_fails_against_the_previous_head(live_server, capsys, tmp_path):
    """The site once signed another root for size 3: its log today is not an extension of it."""
    populate(6)
    saved = tmp_path / "head.json"
    saved.write_text(json.dumps(_signed(3, hashlib.sha256(b"another history").hexdigest())))
    before = saved.read_text()
    code, report = verify(live_server.url, capsys, "--previous", str(saved))
    assert code == 1 and report["previous"]["consistent"] is False
    assert any("rewritten" in p for p in report["problems"]), report["problems"]
    assert saved.read_text() == before  # a failed run never replaces the trusted head


def test_a_shrunk_log_fails(live_server, capsys, tmp_path):
    populate(2)
    saved = tmp_path / "head.json"
    saved.write_text(json.dumps(_signed(9, hashlib.sha256(b"x").hexdigest())))
    code, report = verify(live_server.url, capsys, "--previous", str(saved))
    assert code == 1 and any("shrank" in p for p in report["problems"]), report["problems"]


def test_an_unreachable_site_fails(capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, report = verify(f"http://127.0.0.1:{port}", capsys, "--timeout", "5")
    assert code == 1 and report["problems"] and f"127.0.0.1:{port}" in report["problems"][0]


# --------------------------------------------------------------------------- --decision


URLS = pytest.mark.urls(__name__)


@URLS
def test_a_published_decision_is_the_committed_record(live_server, capsys):
    populate(4)
    leaf = publish(10)
    populate(3, start=4)
    DECISIONS["GS0010"] = (200, {"record": record(10), "log_index": leaf.index})
    code, report = verify(live_server.url, capsys, "--decision", "GS0010")
    assert code == 0, report["problems"]
    assert report["decisions"] == [{"public_id": "GS0010", "ok": True, "status": "published", "log_index": 4,
                                    "record_sha256": sha(record(10)), "action": "publish",
                                    "at": "2026-11-20T10:40:00.000+08:00"}]


@URLS
def test_an_altered_record_fails(live_server, capsys):
    leaf = publish(1)
    DECISIONS["GS0001"] = (200, {"record": record(1, "未发现违法行为"), "log_index": leaf.index})
    code, report = verify(live_server.url, capsys, "--decision", "GS0001")
    assert code == 1 and not report["decisions"][0]["ok"]
    assert any("not the published record" in p for p in report["problems"]), report["problems"]


@URLS
def test_a_corrected_record_is_verified_at_its_correction(live_server, capsys):
    publish(1)
    corrected = record(1, "更正后的事实")
    leaf = publish(1, action="correct", obj=corrected)
    DECISIONS["GS0001"] = (200, {"record": corrected, "log_index": leaf.index})
    code, report = verify(live_server.url, capsys, "--decision", "GS0001")
    assert code == 0, report["problems"]
    assert report["decisions"][0]["action"] == "correct"
    DECISIONS["GS0001"] = (200, {"record": record(1), "log_index": 0})  # the superseded version
    code, report = verify(live_server.url, capsys, "--decision", "GS0001")
    assert code == 1 and any("supersede" in p for p in report["problems"]), report["problems"]


@URLS
def test_a_withdrawn_decision_must_be_withdrawn_in_the_log(live_server, capsys):
    publish(2)
    gone = (410, {"error": {"code": "withdrawn", "message": "已撤回", "details": {"at": "2026-11-21", "reason": "决定被撤销"}}})
    DECISIONS["GS0002"] = gone
    code, report = verify(live_server.url, capsys, "--decision", "GS0002")
    assert code == 1 and any("no withdraw leaf" in p for p in report["problems"]), report["problems"]
    publish(2, action="withdraw")
    code, report = verify(live_server.url, capsys, "--decision", "GS0002")
    assert code == 0, report["problems"]
    assert report["decisions"][0] == {"public_id": "GS0002", "ok": True, "status": "withdrawn", "leaf_index": 1,
                                      "action": "withdraw"}


@URLS
def test_an_unknown_decision_fails(live_server, capsys):
    populate(1)
    code, report = verify(live_server.url, capsys, "--decision", "GS9999")
    assert code == 1 and any("never published" in p for p in report["problems"])


@URLS
def test_a_log_index_pointing_elsewhere_fails(live_server, capsys):
    populate(3)
    DECISIONS["GS0001"] = (200, {"record": record(1), "log_index": 2})
    code, report = verify(live_server.url, capsys, "--decision", "GS0001")
    assert code == 1 and any("not about this decision" in p for p in report["problems"]), report["problems"]


DOC = Path(__file__).resolve().parents[4] / "docs" / "verify-a-decision.md"


def documented_program() -> dict:
    """The Python program of docs/verify-a-decision.md (its first python block), loaded."""
    code = DOC.read_text(encoding="utf-8").split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {"__name__": "verify_a_decision"}
    exec(compile(code, str(DOC), "exec"), namespace)
    return namespace


@URLS
def test_the_documented_program_verifies_a_decision(live_server):
    populate(5)
    leaf = publish(10)
    populate(6, start=5)
    DECISIONS["GS0010"] = (200, {"record": record(10), "log_index": leaf.index})
    verify_decision = documented_program()["verify"]
    fields = verify_decision(live_server.url, "GS0010", keys.public_key_b64())
    assert fields == json.loads(leaf.leaf)
    DECISIONS["GS0010"] = (200, {"record": record(10, "未发现违法行为"), "log_index": leaf.index})
    with pytest.raises(ValueError, match="does not commit"):
        verify_decision(live_server.url, "GS0010")
    other = base64.b64encode(Ed25519PrivateKey.generate().public_key().public_bytes_raw()).decode()
    with pytest.raises(InvalidSignature):
        verify_decision(live_server.url, "GS0010", other)
