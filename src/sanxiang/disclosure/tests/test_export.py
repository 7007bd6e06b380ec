"""`sanxiang disclosure export` — the 双公示 data sets (RULES.md R4.3 / R4.4; API.md "Commands (details)").

CSV in UTF-8 with a BOM, the header texts exactly as API.md (ASCII parentheses), money in 万元
(six decimals), natural persons' ID numbers masked, every decision that is or was published —
a withdrawn one with the withdrawal in 备注 and none of its personal data or content.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.rules import dsgs
from sanxiang.disclosure.tests.helpers import (
    ADULT_ID,
    ORG_NAME,
    decide_case,
    item_of,
    person_party,
    published,
)

#: API.md "Commands (details)", copied from the text (not from the code under test).
API_MD_PENALTY_HEADER = """行政相对人名称, 行政相对人类别,
  行政相对人代码_1(统一社会信用代码), 行政相对人代码_2(工商注册号), 行政相对人代码_3(组织机构代码),
  行政相对人代码_4(税务登记号), 行政相对人代码_5(事业单位证书号), 行政相对人代码_6(社会组织登记证号),
  法定代表人, 法定代表人证件类型, 法定代表人证件号码, 证件类型, 证件号码, 行政处罚决定书文号,
  违法行为类型, 违法事实, 处罚依据, 处罚类别, 处罚内容, 罚款金额(万元),
  没收违法所得、没收非法财物的金额(万元), 暂扣或吊销证照名称及编号, 处罚决定日期, 处罚有效期,
  公示截止期, 处罚机关, 处罚机关统一社会信用代码, 数据来源单位, 数据来源单位统一社会信用代码, 备注"""
EXPECTED_HEADER = [h.strip() for h in API_MD_PENALTY_HEADER.replace("\n", " ").split(",")]


def export(*args: str) -> bytes:
    out = io.StringIO()
    call_command("disclosure", "export", *args, stdout=out)
    return out.getvalue().encode("utf-8")


def rows_of(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: opens in Excel and WPS
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"))))


def test_penalty_csv_header_bom_money_and_masking(db, people):
    org = published(people, fine="20000.00")
    person_case, _decision = decide_case(people, parties=[person_party("李四", ADULT_ID)], fine="1000.00",
                                         title="李四露天焚烧垃圾案", facts="当事人露天焚烧垃圾。")
    person = services.publication_publish(item_id=item_of(person_case).pk, actor=people["publisher"])
    decide_case(people, title="尚未公示的案件")  # pending: never exported

    data = export("--kind", "penalty", "--format", "csv")
    header = data[3:].decode("utf-8").splitlines()[0]
    assert header.split(",") == EXPECTED_HEADER
    assert tuple(EXPECTED_HEADER) == dsgs.PENALTY_HEADER
    rows = {r["行政处罚决定书文号"]: r for r in rows_of(data)}
    assert len(rows) == 2
    org_row = rows[org.record["decision_number"]]
    assert org_row["行政相对人名称"] == ORG_NAME and org_row["行政相对人类别"] == "法人及非法人组织"
    assert org_row["行政相对人代码_1(统一社会信用代码)"] == org.record["uscc"]
    assert org_row["罚款金额(万元)"] == "2.000000"
    assert org_row["没收违法所得、没收非法财物的金额(万元)"] == ""
    assert org_row["处罚类别"] == "罚款" and org_row["处罚决定日期"] == org.record["decided_on"]
    assert org_row["公示截止期"] == org.expires_on.isoformat()
    assert org_row["处罚机关"] == "上海市浦东新区生态环境局" and org_row["备注"] == ""
    person_row = rows[person.record["decision_number"]]
    assert person_row["行政相对人名称"] == "李某" and person_row["行政相对人类别"] == "自然人"
    assert person_row["证件类型"] == "身份证"
    assert person_row["证件号码"] == ADULT_ID[:6] + "********" + ADULT_ID[-4:]
    assert person_row["罚款金额(万元)"] == "0.100000"
    assert ADULT_ID.encode() not in data and "李四".encode() not in data


def test_withdrawn_and_ended_rows_keep_only_the_notice(db, people):
    withdrawn = published(people, parties=[person_party("王五", ADULT_ID)], fine="1000.00",
                          title="王五露天焚烧垃圾案", facts="当事人露天焚烧垃圾，烟尘扰民。")
    services.publication_withdraw(item_id=withdrawn.pk, actor=people["publisher"],
                                  reason="行政复议决定撤销原处罚决定")
    ended = published(people)
    PublicationItem.objects.filter(pk=ended.pk).update(expires_on=timezone.localdate())
    services.disclosure_sweep()
    rows = {r["行政处罚决定书文号"]: r for r in rows_of(export("--kind", "penalty", "--format", "csv"))}
    row = rows[withdrawn.record["decision_number"]]
    today = timezone.localdate().isoformat()
    assert row["备注"] == f"已撤回（{today}）：行政复议决定撤销原处罚决定"
    assert row["行政相对人名称"] == "" and row["证件号码"] == "" and row["违法事实"] == ""
    assert row["罚款金额(万元)"] == "" and row["行政处罚决定书文号"]
    ended_row = rows[ended.record["decision_number"]]
    assert ended_row["备注"] == f"公示期届满（{today}）" and ended_row["违法事实"] == ""
    assert ended_row["行政相对人名称"] == ORG_NAME  # an organisation's name is no personal datum


def test_corrected_row_and_since_filter(db, people):
    old = published(people)
    PublicationItem.objects.filter(pk=old.pk).update(changed_at=timezone.now() - dt.timedelta(days=40))
    new = published(people)
    services.publication_correct(item_id=new.pk, actor=people["publisher"], fields={"fine_amount": "30000.00"},
                                 reason="金额笔误")
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    rows = rows_of(export("--kind", "penalty", "--format", "csv", "--since", since))
    assert [r["行政处罚决定书文号"] for r in rows] == [new.record["decision_number"]]
    assert rows[0]["罚款金额(万元)"] == "3.000000"
    assert rows[0]["备注"].startswith("已更正（")


def test_jsonl_and_output_file(db, people, tmp_path):
    item = published(people)
    path = tmp_path / "penalty.jsonl"
    assert export("--kind", "penalty", "--format", "jsonl", "--output", str(path)) == b""
    lines = path.read_text(encoding="utf-8").splitlines()
    document = json.loads(lines[0])
    assert list(document) == EXPECTED_HEADER and document["行政处罚决定书文号"] == item.record["decision_number"]
    csv_path = tmp_path / "penalty.csv"
    export("--kind", "penalty", "--format", "csv", "--output", str(csv_path))
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf" + "行政相对人名称,".encode())


def test_permit_data_set(db, people):
    """R4.4 [S]: the permit data set, from a published permit decision."""
    source = {"decision_number": "沪浦环许〔2026〕3号", "kind": "permit", "title": "准予行政许可决定书",
              "decided_on": "2026-11-02", "legal_basis": "《中华人民共和国环境影响评价法》",
              "facts": "申请材料齐全", "conclusion": "准予排污许可", "unit": {"code": "pudong", "name": "浦东局", "uscc": ""},
              "parties": [{"type": "organization", "name": ORG_NAME, "uscc": "91310000717854505W"}]}
    item = services.publication_schedule(subject="case:permit", unit_code="pudong", decision_kind="permit",
                                         title="排污许可", decided_on=dt.date(2026, 11, 2), actor="system",
                                         source=source, known_values=[])
    item = services.publication_publish(item_id=item.pk, actor=people["publisher"])
    assert item.expires_on is None and item.display_class == ""  # not a credit record (R2.9)
    data = export("--kind", "permit", "--format", "csv")
    assert data[3:].decode("utf-8").splitlines()[0].split(",") == list(dsgs.PERMIT_HEADER)
    row = rows_of(data)[0]
    assert row["行政许可决定文书号"] == "沪浦环许〔2026〕3号" and row["当前状态"] == "有效"
    assert row["许可内容"] == "准予排污许可" and rows_of(export("--kind", "penalty", "--format", "csv")) == []


@pytest.mark.skipif(importlib.util.find_spec("openpyxl") is not None, reason="openpyxl is installed")
def test_xlsx_names_the_missing_package(db):
    with pytest.raises(CommandError, match="openpyxl"):
        export("--kind", "penalty", "--format", "xlsx")


@pytest.mark.skipif(importlib.util.find_spec("openpyxl") is None, reason="openpyxl is not installed")
def test_xlsx(db, people, tmp_path):
    from openpyxl import load_workbook

    published(people)
    path = tmp_path / "penalty.xlsx"
    export("--kind", "penalty", "--format", "xlsx", "--output", str(path))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0]) == EXPECTED_HEADER and len(rows) == 2


@pytest.mark.parametrize(("yuan", "wan"), [
    pytest.param("500000.00", "50.000000", id="R4.3-fifty-wan"),
    pytest.param("0.01", "0.000001", id="one-fen"),
    pytest.param("0.005", "0.000001", id="half-up"),
    pytest.param(None, "", id="none"),
])
def test_wan_yuan(yuan, wan):
    """R4.3: stored in yuan, exported in 万元."""
    assert dsgs.wan_yuan(yuan) == wan
