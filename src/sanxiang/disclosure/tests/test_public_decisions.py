"""Public API of published decisions (API.md "Public API"): search, detail, proof.

Only decisions that are published or corrected and inside their display period are ever served;
never-published ids are 404, withdrawn and ended ones 410 with the public notice; the record is
served as the exact bytes that were hashed into the public log.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management import call_command
from django.utils import timezone

from sanxiang.disclosure import publiclog, services
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.tests.helpers import (
    PUBLIC,
    WITNESS,
    decide_case,
    item_of,
    published,
    sha256_of,
)


def search(client, **params) -> dict:
    response = client.get(PUBLIC, params)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-cache"
    return response.json()


def test_public_api_serves_only_decisions_in_their_period(db, client, people):
    pending_case, _decision = decide_case(people, title="待公示案")
    pending = item_of(pending_case)
    live = published(people, title="在公示期内案")
    withdrawn = published(people, title="已撤回案")
    services.publication_withdraw(item_id=withdrawn.pk, actor=people["publisher"], reason="决定已被撤销")
    expired = published(people, title="公示期满案")
    PublicationItem.objects.filter(pk=expired.pk).update(expires_on=timezone.localdate())
    services.disclosure_sweep()
    past = published(people, title="期满未清扫案")
    PublicationItem.objects.filter(pk=past.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))

    found = search(client)
    assert [i["public_id"] for i in found["items"]] == [live.public_id] and found["total"] == 1
    assert found["items"][0]["summary"]["title"] == "在公示期内案"
    assert client.get(f"{PUBLIC}/{live.public_id}").status_code == 200
    for item, code in ((withdrawn, "withdrawn"), (expired, "expired"), (past, "expired")):
        response = client.get(f"{PUBLIC}/{item.public_id}")
        assert response.status_code == 410 and response.json()["error"]["code"] == code
        assert set(response.json()["error"]["details"]) >= {"at", "reason"}
        assert b"record" not in response.content
    assert pending.public_id is None
    for unknown in ("neverpublished00", "%20", "x" * 40):
        response = client.get(f"{PUBLIC}/{unknown}")
        assert response.status_code == 404 and response.json()["error"]["code"] == "decision_not_found"
    assert client.get(f"{PUBLIC}/neverpublished00/proof").status_code == 404


def test_detail_serves_the_hashed_bytes(db, client, people):
    item = published(people)
    response = client.get(f"{PUBLIC}/{item.public_id}")
    assert response["Content-Type"].startswith("application/json") and response["Cache-Control"] == "no-cache"
    stored = item.public_record.encode("utf-8")
    assert b'"record":' + stored + b',"record_sha256":' in response.content
    body = response.json()
    assert sha256_of(body["record"]) == body["record_sha256"] == item.record_sha256
    assert (body["log_index"], body["public_id"], body["state"], body["version"]) == \
        (item.log_index, item.public_id, "published", 1)


def test_withdrawal_takes_effect_on_the_next_request(db, client, people):
    item = published(people)
    assert client.get(f"{PUBLIC}/{item.public_id}").status_code == 200
    services.publication_withdraw(item_id=item.pk, actor=people["publisher"], reason="决定被依法变更")
    error = client.get(f"{PUBLIC}/{item.public_id}").json()["error"]
    assert (error["code"], error["details"]["reason"]) == ("withdrawn", "决定被依法变更")
    assert search(client)["total"] == 0


def test_search_filters(db, client, people):
    a = published(people, title="甲公司超标排放废水案", facts="甲公司废水总磷超标。")
    b = published(people, title="乙公司噪声扰民案", facts="乙公司夜间施工噪声超标。")
    # b was decided three weeks ago (a date only the passing of time produces)
    PublicationItem.objects.filter(pk=b.pk).update(decided_on=timezone.localdate() - dt.timedelta(days=20))
    assert [i["public_id"] for i in search(client)["items"]] == [a.public_id, b.public_id]  # newest first
    assert [i["public_id"] for i in search(client, q="噪声")["items"]] == [b.public_id]
    assert [i["public_id"] for i in search(client, q="总磷")["items"]] == [a.public_id]
    assert search(client, q=WITNESS)["total"] == 0  # a redacted name is not in the public text
    assert search(client, unit="city")["total"] == 2  # the unit and the units below it
    assert search(client, unit="pudong")["total"] == 2 and search(client, unit="huangpu")["total"] == 0
    assert search(client, kind="penalty")["total"] == 2 and search(client, kind="permit")["total"] == 0
    since = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    assert [i["public_id"] for i in search(client, **{"from": since})["items"]] == [a.public_id]
    assert [i["public_id"] for i in search(client, to=since)["items"]] == [b.public_id]
    page = search(client, page=2, page_size=1)
    assert [i["public_id"] for i in page["items"]] == [b.public_id] and page["total"] == 2
    bad = client.get(PUBLIC, {"from": "yesterday"})
    assert bad.status_code == 400 and bad.json()["error"]["details"]["field"] == "from"


def test_proof_of_the_current_record(db, client, people):
    item = published(people)
    services.publication_correct(item_id=item.pk, actor=people["publisher"], fields={"conclusion": "罚款贰万元。"},
                                 reason="文字更正")
    item.refresh_from_db()
    size = publiclog.public_log_size()
    proof = client.get(f"{PUBLIC}/{item.public_id}/proof").json()
    assert proof["leaf_index"] == item.log_index and proof["tree_size"] == size
    assert publiclog.public_proof(item.log_index, size) == proof
    error = client.get(f"{PUBLIC}/{item.public_id}/proof", {"tree_size": size + 5}).json()["error"]
    assert (error["code"], error["details"]["field"]) == ("out_of_range", "tree_size")


def test_verify_remote_checks_the_real_decision_endpoints(live_server, people, capsys):
    """`sanxiang log verify-remote --decision ID` (docs/verify-a-decision.md) against the real API:
    a published decision is the committed record; a withdrawn one has its withdraw leaf."""
    live = published(people)
    gone = published(people, title="将被撤回的决定")
    services.publication_withdraw(item_id=gone.pk, actor=people["publisher"], reason="决定被撤销")
    try:
        call_command("log", "verify-remote", live_server.url, "--json", "--decision", live.public_id,
                     "--decision", gone.public_id)
        code = 0
    except SystemExit as exc:
        code = exc.code
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    first, second = report["decisions"]
    assert (first["ok"], first["status"], first["log_index"]) == (True, "published", live.log_index)
    assert (second["ok"], second["status"], second["action"]) == (True, "withdrawn", "withdraw")
