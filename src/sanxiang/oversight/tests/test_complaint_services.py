"""Complaints (投诉举报): filing and routing, the handling deadline, who may act and see, and the
ledger — every change appends one entry, and no entry carries the complainant's identity."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import DatabaseError, transaction

from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.oversight import selectors, services
from sanxiang.oversight.constants import ComplaintChannel, ComplaintStatus
from sanxiang.oversight.models import Complaint, ComplaintNote
from sanxiang.oversight.rules import tracking
from sanxiang.oversight.tests.conftest import FACTS, PERSON, complaint_input
from sanxiang.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def entries(complaint):
    return list(LedgerEntry.objects.filter(subject=complaint.ref).order_by("seq"))


def assert_no_personal_data(text: str) -> None:
    for value in (*PERSON.values(), FACTS):
        assert value not in text, value


def test_portal_complaint_is_routed_to_the_unit_it_concerns_with_a_tracking_code(filed, units):
    complaint = filed.complaint
    assert complaint.unit == units["pudong"]
    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.channel == ComplaintChannel.PORTAL
    assert complaint.number.startswith(f"TS{complaint.received_on.year}-")
    assert tracking.normalize(filed.tracking_code)
    assert filed.tracking_code not in complaint.tracking_digest  # only the digest is stored
    assert complaint.time_limit["name"] == "complaint_handling" and "[U]" in complaint.time_limit["citation"]
    status = selectors.complaint_public_status(code=filed.tracking_code.lower().replace("-", " "))
    assert status.number == complaint.number and status.reply == ""


def test_ledger_payloads_hold_no_personal_data(filed, people):
    sup = people["pudong_sup"]
    c = filed.complaint
    services.complaint_assign(complaint_id=c.pk, actor=sup, handler_id=people["pudong_officer"].pk)
    services.complaint_add_note(complaint_id=c.pk, actor=people["pudong_officer"],
                                text=f"已致电{PERSON['name']} {PERSON['phone']}")
    services.complaint_reply(complaint_id=c.pk, actor=people["pudong_officer"], text="经核查，已责令整改。")
    services.complaint_close(complaint_id=c.pk, actor=sup)
    rows = entries(c)
    assert [e.action for e in rows] == ["complaint.received", "complaint.assigned", "complaint.noted",
                                       "complaint.replied", "complaint.closed"]
    for entry in rows:
        assert_no_personal_data(entry.body)
    received = json.loads(rows[0].body)["payload"]
    assert received["complainant"] == f"complainant:{c.complainant.pk}"
    assert received["unit"] == "pudong"


@pytest.mark.parametrize("field, overrides", [
    pytest.param("unit", {"unit_code": "nowhere"}, id="unknown-unit"),
    pytest.param("unit", {"unit_code": "city-legal"}, id="not-a-bureau"),
    pytest.param("facts", {"facts": "  "}, id="facts-required"),
    pytest.param("facts", {"facts": "太短"}, id="facts-too-short"),
    pytest.param("name", {"name": ""}, id="name-required-unless-anonymous"),
    pytest.param("phone", {"phone": ""}, id="phone-required-unless-anonymous"),
    pytest.param("phone", {"phone": "12345"}, id="phone-malformed"),
    pytest.param("id_number", {"id_number": "110105194912310021"}, id="id-check-digit (GB 11643)"),
    pytest.param("email", {"email": "not-an-address"}, id="email"),
    pytest.param("officer_certificate", {"officer_certificate": "证号"}, id="certificate"),
])
def test_bad_input_names_the_field_and_writes_nothing(units, field, overrides):
    before = LedgerEntry.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.complaint_file(data=complaint_input(**overrides))
    assert err.value.details["field"] == field
    assert not Complaint.objects.exists() and LedgerEntry.objects.count() == before


def test_anonymous_complaint_needs_no_identity(units):
    filed = services.complaint_file(data=complaint_input(anonymous=True, name="", phone="", id_number="",
                                                         email=""))
    assert filed.complaint.anonymous and filed.complaint.complainant.name == ""


def test_handling_deadline_spans_the_national_day_holiday(units, monkeypatch):
    """Rule data ``complaint_handling`` (15 working days, [U]); 2026 schedule: Oct 1–7 off, Oct 10
    (Saturday) a working day — 国务院办公厅 2025-11-04 notice, RULES.md R10.2."""
    due, provisional, limit = services.complaint_due(dt.date(2026, 9, 30))
    assert (limit["days"], limit["unit"]) == (15, "working")
    # Oct 8, 9, 10 (make-up Saturday), 12–16, 19–23 = 13; Oct 26, 27 → 15.
    assert due == dt.date(2026, 10, 27) and provisional is False


def test_deadline_in_a_year_without_official_schedule_is_provisional(units):
    due, provisional, _limit = services.complaint_due(dt.date(2031, 3, 3))
    assert provisional is True and due > dt.date(2031, 3, 3)


def test_overdue_is_derived(filed, people):
    c = filed.complaint
    assert not c.is_overdue()
    assert c.is_overdue(today=c.due_on + dt.timedelta(days=1))
    services.complaint_assign(complaint_id=c.pk, actor=people["pudong_sup"], handler_id=people["pudong_officer"].pk)
    services.complaint_reply(complaint_id=c.pk, actor=people["pudong_officer"], text="已答复。")
    c.refresh_from_db()
    assert not c.is_overdue(today=c.due_on + dt.timedelta(days=1))


def test_another_districts_supervisor_gets_not_found(filed, people):
    xuhui = people["xuhui_sup"]
    with pytest.raises(NotFound):
        selectors.complaint_get(viewer=xuhui, complaint_id=filed.complaint.pk)
    assert not selectors.complaint_list(viewer=xuhui).exists()
    with pytest.raises(NotFound):
        services.complaint_assign(complaint_id=filed.complaint.pk, actor=xuhui, handler_id=people["xuhui_head"].pk)
    with pytest.raises(NotFound):  # staff of the unit without the supervisor role see no complaint either
        selectors.complaint_get(viewer=people["pudong_head"], complaint_id=filed.complaint.pk)


def test_identity_is_visible_to_handling_staff_only(filed, people):
    c = filed.complaint
    city = selectors.complainant_for(people["city_sup"], selectors.complaint_get(viewer=people["city_sup"],
                                                                                  complaint_id=c.pk))
    assert city.masked and city.name == "欧阳某" and city.phone == "139****5678"
    assert city.id_number == "110105********002X" and PERSON["email"] not in city.email
    full = selectors.complainant_for(people["pudong_sup"], c)
    assert not full.masked and full.name == PERSON["name"] and full.phone == PERSON["phone"]
    officer = people["pudong_officer"]
    with pytest.raises(NotFound):
        selectors.complaint_get(viewer=officer, complaint_id=c.pk)
    services.complaint_assign(complaint_id=c.pk, actor=people["city_sup"], handler_id=officer.pk)
    mine = selectors.complaint_get(viewer=officer, complaint_id=c.pk)
    assert not selectors.complainant_for(officer, mine).masked
    assert selectors.complainant_for(people["city_sup"], mine).masked


def test_only_a_supervisor_over_the_unit_assigns_and_only_to_its_staff(filed, people):
    c = filed.complaint
    officer = people["pudong_officer"]
    services.complaint_assign(complaint_id=c.pk, actor=people["pudong_sup"], handler_id=officer.pk)
    with pytest.raises(PermissionDenied):  # the handler sees it but may not reassign
        services.complaint_assign(complaint_id=c.pk, actor=officer, handler_id=people["pudong_head"].pk)
    with pytest.raises(InvalidInput) as err:
        services.complaint_assign(complaint_id=c.pk, actor=people["pudong_sup"], handler_id=people["xuhui_head"].pk)
    assert err.value.details["field"] == "handler"


def test_reply_needs_a_handler_and_close_needs_a_reply(filed, people):
    c, sup = filed.complaint, people["pudong_sup"]
    with pytest.raises(GuardRefused) as err:
        services.complaint_reply(complaint_id=c.pk, actor=sup, text="答复")
    assert err.value.code == "handler_required"
    services.complaint_assign(complaint_id=c.pk, actor=sup, handler_id=people["pudong_officer"].pk)
    with pytest.raises(GuardRefused) as err:
        services.complaint_close(complaint_id=c.pk, actor=sup)
    assert err.value.code == "reply_required"
    services.complaint_reply(complaint_id=c.pk, actor=sup, text="经核查，投诉属实，已责令整改。")
    services.complaint_close(complaint_id=c.pk, actor=sup)
    with pytest.raises(GuardRefused):
        services.complaint_add_note(complaint_id=c.pk, actor=sup, text="结案后补记")
    status = selectors.complaint_public_status(code=filed.tracking_code)
    assert status.status == "closed" and status.reply == "经核查，投诉属实，已责令整改。" and status.closed_on


def test_handling_notes_are_insert_only(filed, people):
    c = filed.complaint
    note = services.complaint_add_note(complaint_id=c.pk, actor=people["pudong_sup"], text="第一次记录")
    with pytest.raises(DatabaseError), transaction.atomic():
        ComplaintNote.objects.filter(pk=note.pk).update(text="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        ComplaintNote.objects.filter(pk=note.pk).delete()


def test_case_link_only_within_the_actors_scope(filed, people, make_user):
    from sanxiang.cases.tests.helpers import file_case

    c = filed.complaint
    pudong_case = file_case(people["pudong_officer"])
    other = file_case(make_user("xuhui", "officer", certificate=True))
    sup = people["pudong_sup"]
    link = services.complaint_link_case(complaint_id=c.pk, actor=sup, case_number=pudong_case.number)
    assert link.case == pudong_case
    assert json.loads(entries(c)[-1].body)["payload"]["case_number"] == pudong_case.number
    with pytest.raises(InvalidInput):
        services.complaint_link_case(complaint_id=c.pk, actor=sup, case_number=other.number)
    with pytest.raises(GuardRefused):
        services.complaint_link_case(complaint_id=c.pk, actor=sup, case_number=pudong_case.number)


def test_staff_entry_by_phone_needs_a_supervisor_in_scope(units, people):
    data = complaint_input(unit_code="xuhui")
    with pytest.raises(PermissionDenied):
        services.complaint_file(data=data, channel=ComplaintChannel.PHONE, actor=people["pudong_head"])
    with pytest.raises(InvalidInput):
        services.complaint_file(data=data, channel=ComplaintChannel.PHONE, actor=people["pudong_sup"])
    filed = services.complaint_file(data=data, channel=ComplaintChannel.LETTER, actor=people["city_sup"],
                                    received_on=dt.date(2026, 9, 30))
    assert filed.complaint.received_on == dt.date(2026, 9, 30) and filed.complaint.due_on == dt.date(2026, 10, 27)
    assert entries(filed.complaint)[0].actor == f"user:{people['city_sup'].pk}"
    with pytest.raises(InvalidInput):
        services.complaint_file(data=data, channel=ComplaintChannel.PHONE)  # no anonymous staff entry


def test_unknown_tracking_code_is_not_found(filed):
    for code in ("", "XXXX", "2222-2222-2222-2222", filed.tracking_code + "2"):
        with pytest.raises(NotFound):
            selectors.complaint_public_status(code=code)


def test_the_officer_complained_about_may_not_handle_it(filed, people):
    officer = people["pudong_officer"]
    certificate = officer.officer.certificate_number
    Complaint.objects.filter(pk=filed.complaint.pk).update(officer_certificate=certificate.lower())
    with pytest.raises(GuardRefused) as err:
        services.complaint_assign(complaint_id=filed.complaint.pk, actor=people["pudong_sup"], handler_id=officer.pk)
    assert err.value.code == "handler_recused"
    assert Complaint.objects.get(pk=filed.complaint.pk).handler_id is None
    services.complaint_assign(complaint_id=filed.complaint.pk, actor=people["pudong_sup"],
                              handler_id=people["pudong_head"].pk)
