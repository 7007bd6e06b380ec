"""Guards of the queue services that try to break them (STYLE.md §4.9): corrections (RULES.md R2.6),
withdrawal (R2.5), the insert-only version history, bad input naming the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from sanxiang.core.errors import DomainError
from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicationVersion, PublicLogLeaf
from sanxiang.disclosure.tests.helpers import FACTS, decide_case, item_of, published
from sanxiang.records.models import LedgerEntry


def refuses(code: str, call, field: str | None = None) -> DomainError:
    before = (LedgerEntry.objects.count(), PublicLogLeaf.objects.count(), PublicationVersion.objects.count())
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code, (caught.value.code, caught.value.details)
    if field is not None:
        assert caught.value.details.get("field") == field
    assert (LedgerEntry.objects.count(), PublicLogLeaf.objects.count(),
            PublicationVersion.objects.count()) == before
    return caught.value


@pytest.mark.parametrize(("fields", "code", "field"), [
    pytest.param({}, "field_required", "fields", id="nothing"),
    pytest.param({"party_name": "某"}, "field_not_correctable", "fields.party_name", id="party-not-correctable"),
    pytest.param({"unit": "huangpu"}, "field_not_correctable", "fields.unit", id="unit-not-correctable"),
    pytest.param({"penalty_types": []}, "invalid_penalty_type", "fields.penalty_types", id="no-penalty-type"),
    pytest.param({"penalty_types": ["flogging"]}, "invalid_penalty_type", "fields.penalty_types", id="unknown-type"),
    pytest.param({"fine_amount": "1.005"}, "invalid_amount", "fields.fine_amount", id="amount-three-decimals"),
    pytest.param({"fine_amount": "-1"}, "invalid_amount", "fields.fine_amount", id="amount-negative"),
    pytest.param({"facts": "  "}, "invalid_input", "fields.facts", id="empty-text"),
    pytest.param({"fine_amount": "20000.00"}, "nothing_to_correct", "fields", id="same-value"),
])
def test_correction_refused(db, people, fields, code, field):
    item = published(people)
    refuses(code, lambda: services.publication_correct(item_id=item.pk, actor=people["publisher"], fields=fields,
                                                       reason="更正"), field)


def test_correction_needs_a_reason_and_a_published_item(db, people):
    case, _decision = decide_case(people)
    pending = item_of(case)
    refuses("not_published", lambda: services.publication_correct(
        item_id=pending.pk, actor=people["publisher"], fields={"facts": "x"}, reason="y"))
    refuses("not_published", lambda: services.publication_withdraw(
        item_id=pending.pk, actor=people["publisher"], reason="y"))
    refuses("not_published", lambda: services.publication_end_early(
        item_id=pending.pk, actor=people["publisher"], reason="y"))
    item = published(people)
    refuses("field_required", lambda: services.publication_correct(
        item_id=item.pk, actor=people["publisher"], fields={"facts": "x"}, reason=" "), "reason")


def test_manual_redaction_follows_its_words_or_is_dropped(db, people):
    case, _decision = decide_case(people)
    item = item_of(case)
    words = "设备停运"
    start = FACTS.index(words)
    services.publication_add_redaction(item_id=item.pk, actor=people["publisher"], field="facts", start=start,
                                       end=start + len(words), reason="生产信息")
    item = services.publication_publish(item_id=item.pk, actor=people["publisher"])
    moved = "经查，" + FACTS
    item = services.publication_correct(item_id=item.pk, actor=people["publisher"], fields={"facts": moved},
                                        reason="补充")
    assert item.manual_redactions[0]["start"] == start + 3 and words not in item.record["facts"]
    item = services.publication_correct(item_id=item.pk, actor=people["publisher"],
                                        fields={"facts": "废气排放口颗粒物浓度超标。"}, reason="删去无关内容")
    assert item.manual_redactions == []
    assert LedgerEntry.objects.filter(subject=item.subject, action="publication.redaction_dropped").count() == 1


def test_withdrawal_required_refuses_bad_input(db, people):
    item = published(people)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refuses("invalid_event", lambda: services.publication_withdrawal_required(
        item=item.pk, event="disliked", event_on=timezone.localdate(), actor=people["publisher"]), "event")
    refuses("invalid_date", lambda: services.publication_withdrawal_required(
        item=item.pk, event="revoked", event_on=tomorrow, actor=people["publisher"]), "event_on")
    services.publication_withdrawal_required(item=item.pk, event="changed", event_on=timezone.localdate(),
                                             actor=people["publisher"])
    refuses("withdrawal_already_required", lambda: services.publication_withdrawal_required(
        item=item.pk, event="revoked", event_on=timezone.localdate(), actor=people["publisher"]))


def test_version_history_is_insert_only(db, people):
    """Corrections keep the history: the database refuses to change or delete a version."""
    item = published(people)
    version = PublicationVersion.objects.get(item=item)
    for attempt in (lambda: PublicationVersion.objects.filter(pk=version.pk).update(reason="changed"),
                    lambda: PublicationVersion.objects.filter(pk=version.pk).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert PublicationVersion.objects.get(pk=version.pk).record == item.public_record
