"""The redaction engine (去标识化): RULES.md §3 R3.1–R3.5, §4 R4.2/R4.3 — pure, no database."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import re
from datetime import date

import pytest

from sanxiang.core.identifiers import is_valid_id_number
from sanxiang.disclosure.rules import policy as P
from sanxiang.disclosure.rules.detectors import luhn_valid
from sanxiang.disclosure.rules.policy import DEFAULT_POLICY
from sanxiang.disclosure.rules.redaction import (
    KnownValue,
    ManualRedaction,
    RedactionError,
    redact,
)
from sanxiang.disclosure.rules.textview import compact_value

from .helpers import (
    HEALTH,
    ORG_ACCOUNT,
    ORG_USCC,
    PARTY_ADDRESS,
    PARTY_CARD,
    PARTY_EMAIL,
    PARTY_ID,
    PARTY_ID_X,
    PARTY_LANDLINE,
    PARTY_PHONE,
    PUDONG_USCC,
    WITNESS,
    fullwidth,
    make_id,
    spaced,
)

TODAY = date(2026, 11, 20)
TOKEN = {c: DEFAULT_POLICY.replacement(c) for c in P.CATEGORIES}


def facts(text: str, known=(), **kw):
    """Redact a one-field record; return (public text, marks)."""
    record = {"party_type": "organization", "facts": text}
    result = redact(record, known=known, free_text_fields=["facts"], today=TODAY, **kw)
    return result.public_record["facts"], [m for m in result.marks if m.field == "facts"]


def kv(category, value, label="case"):
    return KnownValue(category, value, label)


# ------------------------------------------------------------- (a) known values

@pytest.mark.parametrize(
    ("known", "written", "category"),
    [
        pytest.param(kv(P.ID_NUMBER, PARTY_ID), PARTY_ID, P.ID_NUMBER,
                     id="R3.1-GD-GS14-id-plain"),
        pytest.param(kv(P.ID_NUMBER, PARTY_ID), spaced(PARTY_ID), P.ID_NUMBER,
                     id="R3.1-GD-GS14-id-spaces"),
        pytest.param(kv(P.ID_NUMBER, PARTY_ID), spaced(PARTY_ID, 3, "."), P.ID_NUMBER,
                     id="R3.1-GD-GS14-id-dots"),
        pytest.param(kv(P.ID_NUMBER, PARTY_ID), fullwidth(PARTY_ID), P.ID_NUMBER,
                     id="R3.1-GD-GS14-id-fullwidth"),
        pytest.param(kv(P.ID_NUMBER, PARTY_ID_X), PARTY_ID_X.lower(), P.ID_NUMBER,
                     id="R3.1-GD-GS14-id-lowercase-x"),
        pytest.param(kv(P.ID_NUMBER, PARTY_ID_X.lower()), spaced(PARTY_ID_X, 6, "-"), P.ID_NUMBER,
                     id="R3.1-GD-GS14-id-known-lowercase-written-dashed"),
        pytest.param(kv(P.PHONE, PARTY_PHONE), "138-0013-8000", P.PHONE,
                     id="R3.1-GD-GS14-phone-dashes"),
        pytest.param(kv(P.PHONE, "+86 138 0013 8000"), "13800138000", P.PHONE,
                     id="R3.1-GD-GS14-phone-known-with-country-code"),
        pytest.param(kv(P.PHONE, PARTY_LANDLINE), "（０２１）６１２３－４５６７", P.PHONE,
                     id="R3.1-GD-GS14-landline-fullwidth"),
        pytest.param(kv(P.PHONE, "61234567"), "6123 4567", P.PHONE,
                     id="R3.1-GD-GS14-local-number-without-area-code"),
        pytest.param(kv(P.BANK_ACCOUNT, ORG_ACCOUNT), spaced(ORG_ACCOUNT), P.BANK_ACCOUNT,
                     id="R3.1-GD-GS14-organisation-account-not-luhn"),
        pytest.param(kv(P.BANK_ACCOUNT, PARTY_CARD), spaced(PARTY_CARD, 4, "-"), P.BANK_ACCOUNT,
                     id="R3.1-GD-GS14-card-dashes"),
        pytest.param(kv(P.EMAIL, PARTY_EMAIL), "ZHANG.SAN＠EXAMPLE.COM", P.EMAIL,
                     id="R3.1-GD-GS14-email-case-and-fullwidth"),
        pytest.param(kv(P.ADDRESS, PARTY_ADDRESS), PARTY_ADDRESS, P.ADDRESS,
                     id="R3.1-GD-GS14-address-full"),
        pytest.param(kv(P.ADDRESS, PARTY_ADDRESS), "张江路100弄5号301室", P.ADDRESS,
                     id="R3.2-MEE30-64-address-detail"),
        pytest.param(kv(P.ADDRESS, PARTY_ADDRESS), "张江路１００弄５号", P.ADDRESS,
                     id="R3.2-MEE30-64-address-building"),
        pytest.param(kv(P.HEALTH, HEALTH), HEALTH, P.HEALTH, id="R3.5-PIPL28-health"),
        pytest.param(kv(P.BIRTH_DATE, "1990-01-01"), "1990年1月1日", P.BIRTH_DATE,
                     id="R3.1-GD-GS14-birth-date"),
        pytest.param(kv(P.OTHER_PERSON_NAME, WITNESS), WITNESS, P.OTHER_PERSON_NAME,
                     id="R3.2-MEE30-64-other-person-name"),
        pytest.param(kv(P.OTHER_PERSON_NAME, WITNESS), "李 四", P.OTHER_PERSON_NAME,
                     id="R3.2-MEE30-64-other-person-name-spaced"),
        pytest.param(kv(P.OTHER_PERSON_NAME, "欧阳修文"), "欧阳修文", P.OTHER_PERSON_NAME,
                     id="R3.2-MEE30-64-other-person-compound-surname"),
    ],
)
def test_known_values_are_removed_in_any_spelling(known, written, category):
    public, marks = facts(f"经查，{written}。", [known])
    assert public == f"经查，{TOKEN[category]}。"
    assert [(m.category, m.source) for m in marks] == [(category, "known")]


@pytest.mark.parametrize(
    ("known", "written"),
    [
        pytest.param(kv(P.PHONE, PARTY_PHONE), "尾号00138000", id="R3.1-phone-last-8"),
        pytest.param(kv(P.PHONE, PARTY_PHONE), "尾号0013 8000", id="R3.1-phone-last-8-spaced"),
        pytest.param(kv(P.BANK_ACCOUNT, ORG_ACCOUNT), "尾号20050093716",
                     id="R3.1-GD-GS14-account-tail"),
        pytest.param(kv(P.BANK_ACCOUNT, PARTY_CARD), "卡号前六位622202",
                     id="R3.1-GD-GS14-card-first-6"),
        pytest.param(kv(P.ID_NUMBER, PARTY_ID), "出生日期19900101", id="R3.1-id-birth-date"),
        pytest.param(kv(P.ID_NUMBER, PARTY_ID), f"号码{PARTY_ID[:-1]}", id="R3.1-id-without-check"),
    ],
)
def test_runs_of_six_or_more_digits_of_a_known_number_are_removed(known, written):
    public, marks = facts(f"{written}。", [known])
    assert not re.search(r"\d{6,}", compact_value(public))
    assert marks and all(m.category == known.category for m in marks)


@pytest.mark.parametrize(
    ("known", "written"),
    [
        pytest.param(kv(P.PHONE, PARTY_PHONE), "第13800条", id="five-digits-are-not-enough"),
        pytest.param(kv(P.BANK_ACCOUNT, "6222000000001234"), "罚款1000000元",
                     id="zeros-are-no-trace-of-an-account"),
    ],
)
def test_short_or_uniform_runs_are_kept(known, written):
    public, marks = facts(written, [known])
    assert public == written and marks == []


def test_known_values_win_over_protection_of_the_organisation_name():
    """R3.2: a witness's name is removed, but not out of the organisation's own name."""
    record = {"party_type": "organization", "party_name": "上海李四餐饮有限公司",
              "facts": "上海李四餐饮有限公司法定代表人李四称……"}
    result = redact(record, known=[kv(P.OTHER_PERSON_NAME, WITNESS)], free_text_fields=["facts"])
    assert result.public_record["facts"] == f"上海李四餐饮有限公司法定代表人{TOKEN[P.OTHER_PERSON_NAME]}称……"


def test_a_name_is_at_least_two_characters():
    public, marks = facts("张某称……", [kv(P.OTHER_PERSON_NAME, "张")])
    assert public == "张某称……" and marks == []


# ------------------------------------------------------------------ (b) patterns

@pytest.mark.parametrize(
    ("written", "category"),
    [
        pytest.param(PARTY_ID, P.ID_NUMBER, id="R9.1-GD-GS14-id"),
        pytest.param(spaced(PARTY_ID), P.ID_NUMBER, id="R9.1-GD-GS14-id-spaced"),
        pytest.param(fullwidth(PARTY_ID_X.lower()), P.ID_NUMBER, id="R9.1-GD-GS14-id-fullwidth-x"),
        pytest.param("+86 139-1234-5678", P.PHONE, id="R3.1-GD-GS14-mobile-plus86"),
        pytest.param("0571-8765432", P.PHONE, id="R3.1-GD-GS14-landline"),
        pytest.param(spaced(PARTY_CARD), P.BANK_ACCOUNT, id="R3.1-GD-GS14-card-luhn"),
        pytest.param("wang.wu@example.org", P.EMAIL, id="R3.1-GD-GS14-email"),
    ],
)
def test_patterns_find_values_the_case_does_not_hold(written, category):
    public, marks = facts(f"另查，{written}。")
    assert public == f"另查，{TOKEN[category]}。"
    assert [(m.category, m.source) for m in marks] == [(category, "pattern")]


# An ID-shaped number (Shenzhen, 1985-12-31) with a wrong check digit, passing Luhn.
OTHER_WRONG_ID = next(
    w for w in (make_id("44030519851231456")[:17] + c for c in "0123456789")
    if not is_valid_id_number(w) and luhn_valid(w)
)

FALSE_POSITIVES = [
    pytest.param(f"统一社会信用代码：{ORG_USCC}。", id="R9.2-credit-code"),
    pytest.param(f"统一社会信用代码：{PUDONG_USCC}。", id="R9.2-credit-code-same-district-as-id"),
    pytest.param("决定书文号：沪浦环罚〔2026〕12号。", id="R9.3-document-number"),
    pytest.param("罚款人民币500000.00元（伍拾万元整）。", id="R4.3-amount"),
    pytest.param("2026年11月20日、2026-11-20", id="R4.3-dates"),
    pytest.param("依据《中华人民共和国大气污染防治法》第一百零八条第一项、第99条", id="R4.2-legal-basis"),
    pytest.param("颗粒物浓度35.6mg/m³，超标0.78倍。", id="R4.2-monitoring-values"),
    pytest.param(f"编号{OTHER_WRONG_ID}", id="R9.1-wrong-check-digit"),
    pytest.param("编号622202123456780", id="R3.1-15-digits-failing-luhn"),
]


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_public_information_is_kept(text):
    """Known values of the party are held, yet codes, numbers and dates stay."""
    known = [kv(P.ID_NUMBER, PARTY_ID), kv(P.PHONE, PARTY_PHONE),
             kv(P.BANK_ACCOUNT, ORG_ACCOUNT)]
    public, marks = facts(text, known)
    assert (public, marks) == (text, [])


def test_invalid_checksum_is_no_id_but_a_known_value_still_matches():
    """R9.1: an 18-digit number with a wrong check digit is no ID — unless the case holds it."""
    wrong = PARTY_ID[:17] + "3"
    assert facts(f"编号{wrong}")[0] == f"编号{wrong}"
    assert facts(f"编号{wrong}", [kv(P.ID_NUMBER, wrong)])[0] == f"编号{TOKEN[P.ID_NUMBER]}"


def test_allowed_public_values_are_not_removed_by_patterns():
    """The agency's own published phone and e-mail stay (allow)."""
    text = "举报电话021-62369123，邮箱jubao@sthj.sh.gov.cn。"
    public, marks = facts(text, allow=["021-62369123", "jubao@sthj.sh.gov.cn"])
    assert (public, marks) == (text, [])
    public, _ = facts(text)
    assert public == f"举报电话{TOKEN[P.PHONE]}，邮箱{TOKEN[P.EMAIL]}。"


# ----------------------------------------------------------------- the party

@pytest.mark.parametrize(
    ("name", "masked"),
    [
        pytest.param("张三", "张某", id="R3.4-single-surname"),
        pytest.param("欧阳修文", "欧阳某", id="R3.4-compound-surname"),
        pytest.param("司马光", "司马某", id="R3.4-compound-surname-3-chars"),
        pytest.param("John Smith", "J某", id="R3.4-latin-name"),
    ],
)
def test_natural_person_party_is_masked_everywhere(name, masked):
    record = {"party_type": "person", "party_name": name, "facts": f"当事人{name}于……。{name}称……"}
    result = redact(record, free_text_fields=["facts"])
    assert result.public_record["party_name"] == masked
    assert result.public_record["facts"] == f"当事人{masked}于……。{masked}称……"
    assert {m.category for m in result.marks} == {P.PARTY_NAME}


def test_pattern_is_configurable():
    """R3.4 [U]: the mask pattern is policy data (e.g. 张某某)."""
    policy = dataclasses.replace(DEFAULT_POLICY, person_name_pattern="{surname}某某", version=9)
    result = redact({"party_type": "person", "party_name": "张三", "facts": "张三"},
                    policy=policy, free_text_fields=["facts"])
    assert result.public_record == {"party_type": "person", "party_name": "张某某",
                                    "facts": "张某某"}
    assert result.report["policy"]["version"] == 9


def test_organisation_is_named_and_its_public_fields_kept():
    """R3.1 Shanghai default, R4.3 双公示 fields; its bank account and phone withheld."""
    record = {
        "party_type": "organization", "party_name": "上海某某化工有限公司", "uscc": ORG_USCC,
        "legal_representative": "王五", "legal_representative_id_number": PARTY_ID,
        "address": "上海市浦东新区川沙路1号", "bank_account": ORG_ACCOUNT, "phone": PARTY_PHONE,
        "decision_number": "沪浦环罚〔2026〕12号", "fine_amount": 500000.0,
        "decided_on": "2026-11-20",
        "facts": f"上海某某化工有限公司（统一社会信用代码{ORG_USCC}）……开户账号{ORG_ACCOUNT}",
    }
    result = redact(record, free_text_fields=["facts"])
    assert result.public_record == {
        "party_type": "organization", "party_name": "上海某某化工有限公司", "uscc": ORG_USCC,
        "legal_representative": "王五", "address": "上海市浦东新区川沙路1号",
        "decision_number": "沪浦环罚〔2026〕12号", "fine_amount": 500000.0,
        "decided_on": "2026-11-20",
        "facts": f"上海某某化工有限公司（统一社会信用代码{ORG_USCC}）……开户账号"
                 f"{TOKEN[P.BANK_ACCOUNT]}",
    }
    assert result.report["withheld_fields"] == ["legal_representative_id_number", "bank_account",
                                                "phone"]


def test_legal_representative_is_removed_from_free_text_when_listed():
    """R3.2: names of natural persons other than the party; the 双公示 field stays (R4.3)."""
    record = {"party_type": "organization", "party_name": "上海某某化工有限公司",
              "legal_representative": "王五", "facts": "法定代表人王五到场。"}
    result = redact(record, known=[kv(P.OTHER_PERSON_NAME, "王五", "legal representative")],
                    free_text_fields=["facts"])
    assert result.public_record["legal_representative"] == "王五"
    assert result.public_record["facts"] == f"法定代表人{TOKEN[P.OTHER_PERSON_NAME]}到场。"


def test_natural_person_fields_are_withheld_and_searched_in_free_text():
    """R3.1 GD-GS 第14条: the record's own personal values are known values."""
    record = {"party_type": "person", "party_name": "张三", "id_number": PARTY_ID,
              "address": PARTY_ADDRESS, "phone": PARTY_PHONE, "legal_representative": "张大山",
              "facts": f"张三（{spaced(PARTY_ID)}），住{PARTY_ADDRESS}，电话{PARTY_PHONE}，"
                       "其父张大山陪同。"}
    result = redact(record, free_text_fields=["facts"])
    assert result.public_record == {
        "party_type": "person", "party_name": "张某",
        "facts": f"张某（{TOKEN[P.ID_NUMBER]}），住{TOKEN[P.ADDRESS]}，电话{TOKEN[P.PHONE]}，"
                 f"其父{TOKEN[P.OTHER_PERSON_NAME]}陪同。",
    }


@pytest.mark.parametrize(
    ("record", "code"),
    [
        pytest.param({"party_name": "张三", "facts": ""}, "party_type_missing",
                     id="R3.4-no-party-type-no-guess"),
        pytest.param({"party_name": "张三", "party_type": "robot"}, "party_type_unknown",
                     id="R4.3-unknown-party-type"),
    ],
)
def test_records_the_engine_refuses(record, code):
    with pytest.raises(RedactionError) as exc:
        redact(record)
    assert exc.value.code == code


def test_fields_not_classified_are_scanned_too():
    """Fail closed: a field neither free text nor in the policy is read, not published blind."""
    record = {"party_type": "organization", "remarks": f"联系电话{PARTY_PHONE}",
              "witnesses": [{"name": "李四", "phone": "13912345678"}]}
    result = redact(record, known=[kv(P.OTHER_PERSON_NAME, WITNESS)])
    assert result.public_record == {
        "party_type": "organization", "remarks": f"联系电话{TOKEN[P.PHONE]}",
        "witnesses": [{"name": TOKEN[P.OTHER_PERSON_NAME], "phone": TOKEN[P.PHONE]}],
    }
    assert result.report["scanned_fields"] == ["remarks", "witnesses[0].name",
                                               "witnesses[0].phone"]


def test_numbers_in_unclassified_fields_are_read_as_text():
    """Fail closed: a phone number stored as an integer is still a phone number (R3.1)."""
    record = {"party_type": "organization", "contact": 13912345678, "count": 3,
              "fine_amount": 500000}
    result = redact(record)
    assert result.public_record == {"party_type": "organization", "contact": TOKEN[P.PHONE],
                                    "count": 3, "fine_amount": 500000}


def test_a_natural_person_party_without_a_name():
    result = redact({"party_type": "person", "party_name": None, "facts": "无"})
    assert result.public_record["party_name"] is None and result.marks == ()


def test_a_category_the_policy_keeps_is_not_removed():
    categories = tuple(dataclasses.replace(r, remove=False) if r.category == P.EMAIL else r
                       for r in DEFAULT_POLICY.categories)
    policy = dataclasses.replace(DEFAULT_POLICY, categories=categories, version=2)
    text = "邮箱wang.wu@example.org，电话13912345678"
    public, _ = facts(text, policy=policy)
    assert public == f"邮箱wang.wu@example.org，电话{TOKEN[P.PHONE]}"


# ------------------------------------------------------- (c) manual, merging

def test_manual_redaction_with_reason():
    text = "当事人称其患有某种疾病。"
    start = text.index("患有")
    public, marks = facts(text, manual=[ManualRedaction("facts", start, start + 6, "健康信息",
                                                         P.HEALTH)])
    assert public == f"当事人称其{TOKEN[P.HEALTH]}。"
    assert [(m.source, m.category, m.reason) for m in marks] == [("manual", P.HEALTH,
                                                                   "manual: 健康信息")]


def test_overlapping_marks_merge_into_one():
    """A manual mark over a detected phone: one mark, the manual one's category and reason."""
    text = f"电话{PARTY_PHONE}转分机"
    public, marks = facts(text, [kv(P.PHONE, PARTY_PHONE)],
                          manual=[ManualRedaction("facts", 4, len(text), "分机号", P.OTHER)])
    assert public == f"电话{TOKEN[P.OTHER]}"
    assert len(marks) == 1 and (marks[0].start, marks[0].end) == (2, len(text))
    assert marks[0].source == "manual"
    assert marks[0].reason.startswith("manual: 分机号; known value")


def test_merged_mark_takes_the_more_sensitive_category():
    """Party 张三 and another person 张三丰: the longer, other-person mark wins (R3.2)."""
    record = {"party_type": "person", "party_name": "张三", "facts": "张三丰与张三"}
    result = redact(record, known=[kv(P.OTHER_PERSON_NAME, "张三丰")], free_text_fields=["facts"])
    assert result.public_record["facts"] == f"{TOKEN[P.OTHER_PERSON_NAME]}与张某"


def test_manual_redaction_on_a_published_field():
    record = {"party_type": "organization", "decision_number": "沪浦环罚〔2026〕12号"}
    result = redact(record, manual=[ManualRedaction("decision_number", 0, 4, "内部编号")])
    assert result.public_record["decision_number"] == f"{TOKEN[P.OTHER]}〔2026〕12号"


@pytest.mark.parametrize(
    ("make", "code"),
    [
        pytest.param(lambda: ManualRedaction("facts", 0, 2, "  "), "manual_reason", id="no-reason"),
        pytest.param(lambda: ManualRedaction("facts", 2, 2, "x"), "manual_span", id="empty-span"),
        pytest.param(lambda: ManualRedaction("facts", 0, 2, "x", "secret"), "manual_category",
                     id="unknown-category"),
    ],
)
def test_malformed_manual_redactions(make, code):
    with pytest.raises(RedactionError) as exc:
        make()
    assert exc.value.code == code


@pytest.mark.parametrize(
    ("manual", "code"),
    [
        pytest.param(ManualRedaction("facts", 0, 99, "x"), "manual_span", id="beyond-the-end"),
        pytest.param(ManualRedaction("nowhere", 0, 1, "x"), "manual_field", id="unknown-field"),
    ],
)
def test_manual_redactions_must_point_into_the_record(manual, code):
    with pytest.raises(RedactionError) as exc:
        facts("短文本", manual=[manual])
    assert exc.value.code == code


# ---------------------------------------------------------- report, preview

ALL_KNOWN = [
    kv(P.PARTY_NAME, "张三", "party"), kv(P.ID_NUMBER, PARTY_ID, "party ID"),
    kv(P.PHONE, PARTY_PHONE, "party phone"), kv(P.ADDRESS, PARTY_ADDRESS, "party address"),
    kv(P.BANK_ACCOUNT, PARTY_CARD, "party card"), kv(P.EMAIL, PARTY_EMAIL, "party e-mail"),
    kv(P.HEALTH, HEALTH, "medical record"), kv(P.OTHER_PERSON_NAME, WITNESS, "witness"),
]
FULL_RECORD = {
    "party_type": "person", "party_name": "张三", "id_number": PARTY_ID, "phone": PARTY_PHONE,
    "decision_number": "沪浦环罚〔2026〕12号",
    "facts": (f"当事人张三（身份证号{spaced(PARTY_ID)}，电话{PARTY_PHONE}，尾号00138000），"
              f"住{PARTY_ADDRESS}，{HEALTH}，银行卡{spaced(PARTY_CARD)}，邮箱{PARTY_EMAIL}。"
              f"证人{WITNESS}。罚款500000.00元。"),
}


def full_result(**kw):
    manual = [ManualRedaction("facts", 0, 3, f"误录：{WITNESS} {PARTY_PHONE}")]
    return redact(FULL_RECORD, known=ALL_KNOWN, free_text_fields=["facts"], manual=manual,
                  today=TODAY, **kw)


def test_report_never_contains_an_original_value():
    """个人信息保护法 第28条 / GD-GS 第14条: the ledger gets hashes and lengths only."""
    result = full_result()
    dumped = json.dumps(result.report, ensure_ascii=False)
    for known in ALL_KNOWN:
        assert known.value not in dumped
        for run in re.findall(r"\d{6,}", known.value):
            assert run not in dumped
    assert PARTY_ADDRESS[-8:] not in dumped and "张三" not in dumped
    # The manual reason named the witness and a phone number: they were redacted too.
    manual = [m for m in result.report["marks"] if m["source"] == "manual"]
    assert manual[0]["reason"].startswith(f"manual: 误录：{TOKEN[P.OTHER_PERSON_NAME]} ")


def test_report_counts_and_identifies_the_policy():
    report = full_result().report
    assert report["policy"] == DEFAULT_POLICY.as_dict()
    assert report["hash"] == "sha256"
    assert report["counts"]["total"] == len(report["marks"])
    assert report["counts"]["by_source"] == {"known": 9, "manual": 1, "policy": 3}
    assert report["counts"]["by_category"][P.PHONE] == 3  # field, full, tail
    assert report["withheld_fields"] == ["id_number", "phone"]
    assert report["masked_fields"] == ["party_name"]
    json.dumps(report)  # JSON-able


def test_marks_hash_the_original_span():
    result = full_result()
    text = FULL_RECORD["facts"]
    for mark in result.marks:
        if mark.field == "facts":
            span = text[mark.start : mark.end]
            assert mark.original_sha256 == hashlib.sha256(span.encode()).hexdigest()
    keyed = full_result(hash_key=b"k")
    mark = next(m for m in keyed.marks if m.field == "facts")
    span = text[mark.start : mark.end].encode()
    assert mark.original_sha256 == hmac.new(b"k", span, hashlib.sha256).hexdigest()
    assert keyed.report["hash"] == "hmac-sha256"


def test_preview_marks_every_redaction_over_the_original():
    result = full_result()
    segments = result.preview["facts"]
    assert "".join(s.text for s in segments) == FULL_RECORD["facts"]
    assert "".join(s.mark.replacement if s.mark else s.text for s in segments) == (
        result.public_record["facts"])
    marked = [s.mark for s in segments if s.mark]
    assert marked == [m for m in result.marks if m.field == "facts"]
    assert result.preview["party_name"][0].mark.replacement == "张某"
    assert result.preview["id_number"][0].mark.source == "policy"


def test_public_text_keeps_no_known_value():
    public = json.dumps(full_result().public_record, ensure_ascii=False)
    for known in ALL_KNOWN:
        assert compact_value(known.value) not in compact_value(public)
    assert "500000.00元" in public and "沪浦环罚〔2026〕12号" in public
