"""Supervision notices (督查通报): issue to units, units report their rectification, the supervisor
accepts or returns; status per unit, overdue derived; every step on the ledger."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.oversight import selectors, services
from sanxiang.oversight.constants import RectificationStatus
from sanxiang.records.models import LedgerEntry

pytestmark = pytest.mark.django_db


def issue(actor, units=("pudong", "xuhui"), due_on=None):
    return services.notice_issue(
        actor=actor, title="2026年第三季度行政执法案卷评查情况通报", findings="部分案卷缺少现场检查音像记录。",
        required_rectification="逐案补正并报送整改报告。", due_on=due_on or timezone.localdate() + dt.timedelta(days=20),
        unit_codes=list(units))


def actions(notice):
    return [e.action for e in LedgerEntry.objects.filter(subject=notice.ref).order_by("seq")]


def test_reply_return_reply_accept_flow(people):
    notice = issue(people["city_sup"])
    assert notice.number.startswith("DC") and notice.recipients.count() == 2
    head, sup = people["pudong_head"], people["city_sup"]
    services.notice_submit_report(notice_id=notice.pk, unit_code="pudong", actor=head, report="已补正 3 件案卷。")
    returned = services.notice_return_report(notice_id=notice.pk, unit_code="pudong", actor=sup,
                                             comment="缺少第 2 件案卷的音像记录说明。")
    assert returned.status == RectificationStatus.RETURNED
    again = services.notice_submit_report(notice_id=notice.pk, unit_code="pudong", actor=head,
                                          report="已补正全部案卷并说明。")
    assert again.round == 2
    accepted = services.notice_accept_report(notice_id=notice.pk, unit_code="pudong", actor=sup)
    assert accepted.status == RectificationStatus.ACCEPTED
    assert selectors.notice_progress(notice) == {"total": 2, "accepted": 1, "overdue": False}
    assert actions(notice) == ["notice.issued", "notice.report_submitted", "notice.report_returned",
                               "notice.report_submitted", "notice.report_accepted"]
    last = json.loads(LedgerEntry.objects.filter(subject=notice.ref).order_by("-seq").first().body)
    assert last["payload"] == {"unit": "pudong", "round": 2, "comment": ""}


def test_guards_of_the_flow(people):
    notice = issue(people["city_sup"])
    with pytest.raises(GuardRefused):  # nothing submitted yet
        services.notice_accept_report(notice_id=notice.pk, unit_code="pudong", actor=people["city_sup"])
    with pytest.raises(PermissionDenied):  # an officer of the unit is not its head
        services.notice_submit_report(notice_id=notice.pk, unit_code="pudong", actor=people["pudong_officer"],
                                      report="报告")
    with pytest.raises(NotFound):  # another district's head cannot reach pudong's row
        services.notice_submit_report(notice_id=notice.pk, unit_code="pudong", actor=people["xuhui_head"],
                                      report="报告")
    services.notice_submit_report(notice_id=notice.pk, unit_code="pudong", actor=people["pudong_head"], report="报告")
    with pytest.raises(GuardRefused):  # submitted: waits for the review
        services.notice_submit_report(notice_id=notice.pk, unit_code="pudong", actor=people["pudong_head"],
                                      report="再报")
    with pytest.raises(PermissionDenied):  # the district's own supervisor did not issue it
        services.notice_accept_report(notice_id=notice.pk, unit_code="pudong", actor=people["pudong_sup"])
    with pytest.raises(InvalidInput):  # returning needs a reason
        services.notice_return_report(notice_id=notice.pk, unit_code="pudong", actor=people["city_sup"], comment="")


def test_who_may_issue_and_to_whom(people):
    with pytest.raises(PermissionDenied):
        issue(people["pudong_head"])
    with pytest.raises(InvalidInput) as err:
        issue(people["pudong_sup"], units=("xuhui",))
    assert err.value.details["field"] == "units"
    with pytest.raises(InvalidInput) as err:
        issue(people["city_sup"], due_on=timezone.localdate() - dt.timedelta(days=1))
    assert err.value.details["field"] == "due_on"


def test_visibility_and_overdue(people):
    notice = issue(people["city_sup"])
    assert selectors.notice_list(viewer=people["xuhui_head"]).filter(pk=notice.pk).exists()
    rows = selectors.notice_recipients_for(people["xuhui_head"], notice)
    assert [r.unit.code for r in rows] == ["xuhui"]
    assert len(selectors.notice_recipients_for(people["city_sup"], notice)) == 2
    solo = issue(people["city_sup"], units=("pudong",))
    with pytest.raises(NotFound):
        selectors.notice_get(viewer=people["xuhui_sup"], notice_id=solo.pk)
    row = solo.recipients.get()
    assert not row.is_overdue() and row.is_overdue(today=solo.due_on + dt.timedelta(days=1))
