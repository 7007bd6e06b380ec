"""Joint punishment feed (联合惩戒): the serious-dishonesty criteria of RULES.md R2.9.3 as rule data,
the feed through the API and the export command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxiang.cases.tests.helpers import Api, ok
from sanxiang.disclosure import services
from sanxiang.disclosure.rules import joint_punishment as jp
from sanxiang.disclosure.rules import periods
from sanxiang.disclosure.tests.helpers import ADULT_ID, ORG_NAME

TODAY = dt.date(2026, 11, 20)
BASIS_TEXT = "《中华人民共和国大气污染防治法》第九十九条"
_seq = itertools.count(1)


# ------------------------------------------------------------------------------ rule table


def test_rule_table_has_citations_and_status():
    codes = [c.code for c in jp.CRITERIA]
    assert len(codes) == len(set(codes))
    assert {"huge_fine", "licence_revocation", "occupational_ban"} <= set(codes)  # the R2.9.3 press examples
    for c in jp.CRITERIA:
        assert c.status in ("V", "S", "U") and c.title_zh
        assert "RULES.md R2.9.3" in c.citation or "[U]" in c.citation  # a citation, or marked unverified
    assert jp.FEED_HEADER.count("认定依据") == 1 and "处罚依据" in jp.FEED_HEADER


@pytest.mark.parametrize(("source", "expected"), [
    pytest.param({"penalty_types": ["fine"], "fine_amount": "1000000.00"}, ["huge_fine"], id="huge-fine"),
    pytest.param({"penalty_types": ["fine"], "fine_amount": "999999.99"}, [], id="below-threshold"),
    pytest.param({"penalty_types": ["daily_continuous_fine"], "fine_amount": "2500000"}, ["huge_fine"],
                 id="daily-fine"),
    pytest.param({"penalty_types": ["confiscation"], "confiscation_amount": "1200000"}, ["huge_confiscation"],
                 id="confiscation"),
    pytest.param({"penalty_types": ["fine", "revoke_license"], "fine_amount": "50000"}, ["licence_revocation"],
                 id="revocation"),
    pytest.param({"penalty_types": ["occupation_ban"]}, ["occupational_ban"], id="occupational-ban"),
    pytest.param({"penalty_types": ["closure"]}, ["closure"], id="closure"),
    pytest.param({"penalty_types": ["warning"]}, [], id="warning"),
    pytest.param({"penalty_types": []}, [], id="nothing"),
])
def test_assess(source, expected):
    assert [m.criterion.code for m in jp.assess(source, decision_kind="penalty", decided_on=TODAY)] == expected


def test_not_penalties_and_not_before_ndrc2025():
    huge = {"penalty_types": ["fine"], "fine_amount": "5000000"}
    assert jp.assess(huge, decision_kind="permit", decided_on=TODAY) == ()
    assert jp.assess(huge, decision_kind="penalty", decided_on=dt.date(2026, 3, 31)) == ()  # open question 4


def test_feed_criteria_are_shown_for_a_serious_period():
    """Thresholds kept equal to the serious class of the display-period mapping (R2.9.3)."""
    for source in ({"penalty_types": ["fine"], "fine_amount": "1000000"}, {"penalty_types": ["revoke_license"]},
                   {"penalty_types": ["confiscation"], "confiscation_amount": "1000000"},
                   {"penalty_types": ["closure"]}):
        assert jp.assess(source, decision_kind="penalty", decided_on=TODAY)
        cls, _ = periods.classify(penalty_types=source["penalty_types"], fine_amount=source.get("fine_amount"),
                                  confiscation_amount=source.get("confiscation_amount"), party_type="organization")
        assert cls == periods.SERIOUS


@pytest.mark.parametrize("kwargs", [
    {"status": "X", "penalty_types": ("fine",)},
    {"status": "S", "penalty_types": ("fine",), "amount_field": "fine_amount"},
    {"status": "S"},
    {"status": "S", "amount_field": "tax", "amount_from": 1},
])
def test_bad_rule_data_is_refused(kwargs):
    with pytest.raises(jp.JointPunishmentError):
        jp.Criterion("x", "x", "cite", **kwargs)


# ------------------------------------------------------------------------------- the feed


def publish_penalty(people, *, types=("fine",), fine="20000.00", party=None):
    """A published penalty decision (scheduled directly: a huge fine makes a case major)."""
    n = next(_seq)
    party = party or {"type": "organization", "name": ORG_NAME, "uscc": "91310000717854505W",
                      "legal_representative": "张三"}
    source = {"decision_number": f"沪浦环罚〔2026〕{n}号", "kind": "penalty", "title": f"超标排放案{n}",
              "decided_on": TODAY.isoformat(), "legal_basis": BASIS_TEXT, "facts": "废气超标排放。",
              "conclusion": "处罚。", "penalty_types": list(types), "fine_amount": fine,
              "unit": {"code": "pudong", "name": "上海市浦东新区生态环境局", "uscc": ""}, "parties": [party]}
    known = [{"category": "id_number", "value": party["id_number"]}] if party.get("id_number") else []
    item = services.publication_schedule(subject=f"case:jp{n}", unit_code="pudong", decision_kind="penalty",
                                         title=source["title"], decided_on=TODAY, actor="system", source=source,
                                         known_values=known)
    return services.publication_publish(item_id=item.pk, actor=people["publisher"])


def test_feed_rows_carry_their_basis_and_lifting(db, people, client):
    huge = publish_penalty(people, fine="3000000.00")
    publish_penalty(people)  # an ordinary fine: not in the feed
    revoked = publish_penalty(people, types=("revoke_license",), fine=None,
                              party={"type": "person", "name": "李四", "id_number": ADULT_ID})
    api = Api(client, people["supervisor"])
    page = ok(api.get("/exports/joint-punishment"))
    assert page["has_more"] is False
    rows = {r["行政处罚决定书文号"]: r for r in page["items"]}
    assert list(rows) == [huge.record["decision_number"], revoked.record["decision_number"]]
    row = rows[huge.record["decision_number"]]
    assert list(row) == list(jp.FEED_HEADER)
    assert row["认定依据"].startswith("huge_fine 巨额罚款 [S]") and "RULES.md R2.9.3" in row["认定依据"]
    assert row["处罚依据"] == BASIS_TEXT and row["失信等级"] == "严重失信" and row["惩戒状态"] == "实施中"
    assert row["公示截止期"] == huge.expires_on.isoformat() and row["罚款金额(万元)"] == "300.000000"
    person = rows[revoked.record["decision_number"]]
    assert person["行政相对人名称"] == "李某" and person["证件号码"] == ADULT_ID[:6] + "********" + ADULT_ID[-4:]

    services.publication_withdraw(item_id=revoked.pk, actor=people["publisher"], reason="复议撤销")
    later = ok(api.get(f"/exports/joint-punishment?since={page['next']}"))
    assert [r["行政处罚决定书文号"] for r in later["items"]] == [revoked.record["decision_number"]]
    lifted = later["items"][0]
    assert lifted["惩戒状态"] == "已解除" and lifted["备注"].startswith("已撤回")
    text = json.dumps(later, ensure_ascii=False)
    assert ADULT_ID not in text and ADULT_ID[-4:] not in text and "李" not in text
    assert lifted["处罚依据"] == "" and lifted["认定依据"].startswith("licence_revocation")


def test_feed_scan_budget_moves_the_cursor(db, people):
    from sanxiang.disclosure import selectors_export as exports

    for _ in range(3):
        publish_penalty(people)
    huge = publish_penalty(people, fine="1000000")
    first = exports.joint_punishment_changes(scan=2)
    assert first.items == [] and first.has_more
    second = exports.joint_punishment_changes(since=first.next, scan=2)
    assert [r["行政处罚决定书文号"] for r in second.items] == [huge.record["decision_number"]]
    assert exports.joint_punishment_changes(since=second.next).items == []


def test_export_command_joint_punishment(db, people, tmp_path):
    huge = publish_penalty(people, fine="1500000")
    publish_penalty(people)
    out = io.StringIO()
    call_command("disclosure", "export", "--kind", "joint-punishment", "--format", "csv", stdout=out)
    data = out.getvalue()
    assert data.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(data[1:])))
    assert [r["行政处罚决定书文号"] for r in rows] == [huge.record["decision_number"]]
    assert list(rows[0]) == list(jp.FEED_HEADER) and rows[0]["认定依据"].startswith("huge_fine")
    path = tmp_path / "jp.jsonl"
    call_command("disclosure", "export", "--kind", "joint-punishment", "--format", "jsonl", "--output", str(path),
                 "--since", timezone.localdate().isoformat())
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["惩戒状态"] == "实施中"
