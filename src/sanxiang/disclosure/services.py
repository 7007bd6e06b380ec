"""Disclosure services (公示服务)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sanxiang.calendar import selectors as workdays
from sanxiang.catalog import selectors as catalog
from sanxiang.disclosure.models import PublicationItem
from sanxiang.records.services import ledger_append

#: Which time limit a decision kind is published under (国办发〔2018〕118号; RULES.md R2.1).
TIME_LIMIT_BY_KIND = {"penalty": "publication_penalty", "permit": "publication_permit"}
OTHER_TIME_LIMIT = "publication_other"


@transaction.atomic
def publication_schedule(*, subject: str, unit_code: str, decision_kind: str, title: str,
                         decided_on: dt.date, actor: str) -> PublicationItem:
    """Queue a decision for publication with its due date (7 WD penalty/permit, else 20 WD)."""
    limit = catalog.time_limit(TIME_LIMIT_BY_KIND.get(decision_kind, OTHER_TIME_LIMIT), decided_on)
    due = (workdays.add_working_days(decided_on, limit.days) if limit.unit == "working"
           else workdays.add_calendar_days(decided_on, limit.days))
    item = PublicationItem.objects.create(
        subject=subject, unit_code=unit_code, decision_kind=decision_kind, title=title,
        decided_on=decided_on, due_on=due.date, provisional=due.provisional,
        time_limit={"name": limit.name, "days": limit.days, "unit": limit.unit, "citation": limit.citation,
                    "version": limit.version},
    )
    ledger_append(subject=subject, action="publication.scheduled", actor=actor,
                  payload={"item": item.pk, "due_on": item.due_on.isoformat(), "provisional": item.provisional,
                           "time_limit": item.time_limit})
    return item
