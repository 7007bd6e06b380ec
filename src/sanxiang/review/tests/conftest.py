"""Fixtures of the legal review tests: the people around a Pudong case, a submit helper,
a clock, and the ledger entries a service wrote."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from types import SimpleNamespace

import pytest

from sanxiang.review import services
from sanxiang.review.constants import REQUIRED_MATERIALS

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
FINDINGS = {
    "subject": "执法主体合法，执法人员均持有效执法证。",
    "jurisdiction": "属本局管辖。",
    "procedure": "已履行告知程序。",
    "facts": "事实清楚。",
    "law": "适用《大气污染防治法》第九十九条正确。",
    "evidence": "证据确实充分。",
    "discretion": "裁量适当。",
}


@pytest.fixture
def people(make_user):
    """Who is who around a Pudong case (API.md "Who may act")."""
    return SimpleNamespace(
        handler=make_user("pudong", "officer", certificate=True),
        participant=make_user("pudong", "officer", certificate=True),
        unit_head=make_user("pudong", "unit_head"),
        head=make_user("pudong", "agency_head"),
        city_head=make_user("city", "agency_head"),
        reviewer=make_user("city-legal", "reviewer"),
        other_reviewer=make_user("city-legal", "reviewer"),
        huangpu_officer=make_user("huangpu", "officer", certificate=True),
    )


@pytest.fixture
def submit(people):
    """Submit `subject` (default "case:1", Pudong) with the required materials."""

    def _submit(subject: str = "case:1", **kwargs):
        kwargs.setdefault("unit_code", "pudong")
        kwargs.setdefault("actor", people.unit_head)
        kwargs.setdefault("involved_user_ids", [people.handler.pk, people.participant.pk])
        kwargs.setdefault("materials", list(REQUIRED_MATERIALS))
        return services.review_submit(subject=subject, **kwargs)

    return _submit


@pytest.fixture
def opine(people):
    """Give an opinion on a submission (default: the city legal unit's reviewer approves)."""

    def _opine(submission, result: str = "approved", **kwargs):
        kwargs.setdefault("reviewer", people.reviewer)
        kwargs.setdefault("findings", dict(FINDINGS))
        kwargs.setdefault("text", "经审核，同意拟处理决定。" if result == "approved" else "证据不足，请补充。")
        return services.review_give_opinion(review_id=submission.pk, result=result, **kwargs)

    return _opine


@pytest.fixture
def clock(monkeypatch):
    """Set the services' clock: clock(date(2026, 9, 30)) → 10:00 Shanghai time that day."""

    def _set(day: dt.date, hour: int = 10):
        moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
        monkeypatch.setattr(services, "_now", lambda: moment)
        return moment

    return _set


@pytest.fixture
def pudong_legal(units):
    """A hypothetical district legal unit (法制科) under Pudong: serves Pudong only."""
    from sanxiang.accounts.services import unit_create

    return unit_create(code="pudong-legal", name="浦东新区生态环境局法制科", kind="legal",
                       level="district", region_code="310115", parent_code="pudong")


def ledger(subject: str, action: str | None = None) -> list[dict]:
    """The ledger entries of `subject` (optionally one action), oldest first, as dicts."""
    from sanxiang.records.models import LedgerEntry

    qs = LedgerEntry.objects.filter(subject=subject).order_by("seq")
    if action:
        qs = qs.filter(action=action)
    return [json.loads(e.body) for e in qs]
