"""Whole-process recording guards (执法全过程记录): mandatory video, two certified officers,
recusal — each tried through the service and through the API.

RULES.md R8.2 (查封扣押、限产停产、停业关闭 全程音像记录), R5.5 / 行政处罚法 第42条 (at least two
officers holding enforcement certificates), R5.6 / 第43条 (回避); API.md "Activities and evidence".
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.accounts import services as accounts
from sanxiang.cases import services
from sanxiang.cases.models import CaseHandler
from sanxiang.cases.tests.helpers import (
    both_refuse,
    file_case,
    move,
    ok,
    record,
    refused,
    reload,
)

TODAY = timezone.localdate


def _case(people, kind="penalty"):
    case = file_case(people["off1"], kind=kind, title="某公司违法排污查封案")
    return move(case, people["off1"], "investigating")


def _activity_body(*users, kind="inspection", at=None):
    return {"kind": kind, "occurred_at": (at or timezone.now() - dt.timedelta(hours=1)).isoformat(),
            "officer_ids": [str(u.officer.pk) for u in users], "place": "上海市浦东新区某路1号"}


# -------------------------------------------------------------------------- mandatory video (R8.2)


@pytest.mark.parametrize("case_kind, kind", [
    ("coercion", "seizure"), ("penalty", "seizure"), ("coercion", "production_restriction"),
    ("penalty", "closure"),
])
def test_mandatory_video_record(case_kind, kind, people, api):
    """R8.2: cannot complete without a video attached to that very activity. A photo does not count,
    nor a video of another activity, nor a video of the case attached to no activity."""
    off1, off2 = people["off1"], people["off2"]
    client = api("off1")
    case = _case(people, case_kind)
    created = ok(client.post(f"/cases/{case.pk}/activities", _activity_body(off1, off2, kind=kind)), 201)
    assert created["av_required"] is True and created["complete"] is False
    activity_id = created["id"]
    other = record(case, off1, off1, off2, kind="inspection")

    def attempt():
        error = both_refuse(
            "av_record_required", 409,
            lambda: services.activity_complete(case_id=case.pk, activity_id=activity_id, actor=off1),
            lambda: client.post(f"/cases/{case.pk}/activities/{activity_id}/complete"), case=case)
        assert "R8.2" in error["details"]["citation"]

    attempt()
    ok(client.upload(case.pk, kind="photo", activity_id=activity_id, data=b"\xff\xd8\xff\xe0 photo"), 201)
    attempt()
    ok(client.upload(case.pk, kind="video", activity_id=str(other.pk), data=b"video of another act"), 201)
    attempt()
    ok(client.upload(case.pk, kind="video", data=b"video of the case, no activity"), 201)
    attempt()
    ok(client.upload(case.pk, kind="audio", activity_id=activity_id, data=b"ID3 audio only"), 201)
    attempt()
    ok(client.upload(case.pk, kind="video", activity_id=activity_id, data=b"\x00\x00\x00\x18ftypmp42 seizure"), 201)
    done = ok(client.post(f"/cases/{case.pk}/activities/{activity_id}/complete"))
    assert done["complete"] is True


def test_other_activities_only_recommend_video(people, api):
    client = api("off1")
    case = _case(people)
    created = ok(client.post(f"/cases/{case.pk}/activities",
                             _activity_body(people["off1"], people["off2"], kind="inspection")), 201)
    assert created["av_required"] is False and created["av_recommended"] is True
    assert ok(client.post(f"/cases/{case.pk}/activities/{created['id']}/complete"))["complete"] is True


def test_evidence_cannot_point_to_an_activity_of_another_case(people, api):
    first, second = _case(people), _case(people)
    activity = record(first, people["off1"], people["off1"], people["off2"], kind="seizure")
    client = api("off1")
    refused(client.upload(second.pk, kind="video", activity_id=str(activity.pk)), 400, "unknown_activity")


# ---------------------------------------------------------------- two certified officers (第42条)


def _record_both(code, status, case, actor, people, api, *officers, at=None, kind="inspection"):
    client = api(actor)
    return both_refuse(code, status,
                       lambda: record(case, people[actor], *officers, kind=kind, at=at),
                       lambda: client.post(f"/cases/{case.pk}/activities", _activity_body(*officers, kind=kind, at=at)),
                       case=case)


def test_one_officer_is_not_enough(people, api):
    case = _case(people)
    error = _record_both("officers_insufficient", 400, case, "off1", people, api, people["off1"])
    assert error["details"]["field"] == "officer_ids" and error["details"]["valid"] == 1
    # The same officer twice is still one officer.
    client = api("off1")
    body = _activity_body(people["off1"])
    body["officer_ids"] *= 2
    refused(client.post(f"/cases/{case.pk}/activities", body), 400, "officers_insufficient")


def test_certificate_expired_on_the_day_of_the_act(people, api, make_user):
    """Judged on the day of the act: expired the day before → refused; expired yesterday but valid
    on the day of an act three days ago → accepted."""
    case = _case(people)
    act_day = TODAY() - dt.timedelta(days=3)
    at = timezone.make_aware(dt.datetime.combine(act_day, dt.time(10, 0)))
    people["lapsed"] = make_user("pudong", "officer", certificate=True, valid_until=act_day - dt.timedelta(days=1))
    error = _record_both("officers_insufficient", 400, case, "off1", people, api, people["off1"], people["lapsed"],
                         at=at)
    assert error["details"]["invalid_certificates"] == [people["lapsed"].officer.certificate_number]
    people["yesterday"] = make_user("pudong", "officer", certificate=True, valid_until=TODAY() - dt.timedelta(days=1))
    ok(api("off1").post(f"/cases/{case.pk}/activities", _activity_body(people["off1"], people["yesterday"], at=at)),
       201)


def test_certificate_not_yet_valid_on_the_day_of_the_act(people, api, make_user):
    """Valid today (renewed from yesterday) is not valid three days ago."""
    case = _case(people)
    at = timezone.now() - dt.timedelta(days=3)
    people["renewed"] = make_user("pudong", "officer", certificate=True)
    accounts.officer_certify(user=people["renewed"], certificate_number=people["renewed"].officer.certificate_number,
                             valid_from=TODAY() - dt.timedelta(days=1), valid_until=dt.date(2030, 12, 31))
    people["renewed"].officer.refresh_from_db()
    _record_both("officers_insufficient", 400, case, "off1", people, api, people["off1"], people["renewed"], at=at)
    ok(api("off1").post(f"/cases/{case.pk}/activities", _activity_body(people["off1"], people["renewed"])), 201)


@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_suspended_or_revoked_certificate(status, people, api):
    case = _case(people)
    accounts.officer_set_status(officer=people["off2"].officer, status=status, reason="测试")
    _record_both("officers_insufficient", 400, case, "off1", people, api, people["off1"], people["off2"])


def test_joint_enforcement_with_an_officer_of_another_unit(people, api):
    """API.md: officer_ids may name certified officers of any unit; the case stays with its unit."""
    case = _case(people)
    ok(api("off1").post(f"/cases/{case.pk}/activities", _activity_body(people["off1"], people["hp_officer"])), 201)
    assert reload(case).unit.code == "pudong"


def test_hearing_needs_one_officer_but_a_certified_one(people, api, make_user):
    case = _case(people)
    ok(api("off1").post(f"/cases/{case.pk}/activities", _activity_body(people["off3"], kind="hearing")), 201)
    people["lapsed"] = make_user("pudong", "officer", certificate=True, valid_until=TODAY() - dt.timedelta(days=30))
    _record_both("officers_insufficient", 400, case, "off1", people, api, people["lapsed"], kind="hearing")


# --------------------------------------------------------------------------------- recusal (第43条)


def test_recused_officer_cannot_take_part(people, api):
    case = _case(people)
    services.case_recusal_declare(case_id=case.pk, actor=people["off2"], user_id=people["off2"].pk,
                                  reason="与当事人存在利害关系")
    error = _record_both("officer_recused", 409, case, "off1", people, api, people["off1"], people["off2"])
    assert error["details"]["user_ids"] == [people["off2"].pk]
    ok(api("off1").post(f"/cases/{case.pk}/activities", _activity_body(people["off1"], people["off3"])), 201)


def test_recused_handler_can_no_longer_act(people, api):
    """The filing officer recused (decided by the unit head): no activity, transition or evidence."""
    case = _case(people)
    off1 = people["off1"]
    services.case_recusal_declare(case_id=case.pk, actor=people["head"], user_id=off1.pk, reason="近亲属")
    assert not CaseHandler.objects.filter(case=case, user=off1).exists()
    _record_both("recused", 409, case, "off1", people, api, off1, people["off2"])
    client = api("off1")
    both_refuse("recused", 409, lambda: move(case, off1, "examining"),
                lambda: client.post(f"/cases/{case.pk}/transitions", {"to": "examining"}), case=case)
    refused(client.upload(case.pk, kind="photo"), 409, "recused")


def test_recusal_is_declared_by_the_person_or_a_head(people, api):
    case = _case(people)
    off3 = api("off3")
    both_refuse("role_required", 403,
                lambda: services.case_recusal_declare(case_id=case.pk, actor=people["off3"],
                                                      user_id=people["off2"].pk, reason="利害关系"),
                lambda: off3.post(f"/cases/{case.pk}/recusals", {"user_id": str(people["off2"].pk),
                                                                 "reason": "利害关系"}), case=case)
    ok(api("head").post(f"/cases/{case.pk}/recusals", {"user_id": str(people["off2"].pk), "reason": "利害关系"}),
       201)


def test_unknown_activity_is_404_not_a_crash(people, api):
    case = _case(people)
    client = api("off1")
    for activity_id in ("abc", "999999"):
        refused(client.post(f"/cases/{case.pk}/activities/{activity_id}/complete"), 404, "activity_not_found")
