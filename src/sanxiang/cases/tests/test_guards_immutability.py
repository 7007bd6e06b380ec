"""Issued documents and decisions never change (DESIGN.md: insert-only rows, a correction is a
new document): the database refuses UPDATE and DELETE on `cases_decision` and
`cases_issueddocument`, whoever asks; no API route changes or deletes a decision; a decision is
made once (409 `already_decided`).
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from sanxiang.cases.models import Decision, IssuedDocument
from sanxiang.cases.tests.helpers import decided, decision_body, refused

STATEMENTS = [
    pytest.param("UPDATE cases_decision SET conclusion = 'changed' WHERE id = %s", "decision", id="update-decision"),
    pytest.param("UPDATE cases_decision SET fine_amount = 1 WHERE id = %s", "decision", id="update-decision-fine"),
    pytest.param("DELETE FROM cases_decision WHERE id = %s", "decision", id="delete-decision"),
    pytest.param("UPDATE cases_issueddocument SET sha256 = 'x' WHERE id = %s", "document", id="update-document"),
    pytest.param("DELETE FROM cases_issueddocument WHERE id = %s", "document", id="delete-document"),
]


@pytest.mark.parametrize("sql, target", STATEMENTS)
def test_database_refuses_changes(sql, target, people):
    _case, decision = decided(people)
    document = IssuedDocument.objects.filter(case=decision.case, document_number=decision.document_number).first()
    assert document is not None
    pk = decision.pk if target == "decision" else document.pk
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [pk])
    decision_after = Decision.objects.get(pk=decision.pk)
    assert decision_after.conclusion == decision.conclusion
    assert decision_after.fine_amount == decision.fine_amount
    assert IssuedDocument.objects.get(pk=document.pk).sha256 == document.sha256


def test_orm_cannot_change_or_delete_either(people):
    _case, decision = decided(people)
    decision.conclusion = "changed"
    with pytest.raises(DatabaseError), transaction.atomic():
        decision.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        IssuedDocument.objects.filter(case=decision.case).update(title="changed")
    assert Decision.objects.get(pk=decision.pk).conclusion != "changed"


def test_no_route_changes_a_decision(people, api):
    case, _decision = decided(people)
    chief = api("chief")
    for call in (lambda: chief.client.put(f"/api/v1/cases/{case.pk}/decision", "{}",
                                          content_type="application/json", **chief.headers),
                 lambda: chief.delete(f"/cases/{case.pk}/decision")):
        assert call().status_code in (404, 405)
    refused(chief.post(f"/cases/{case.pk}/decision", decision_body(fine="1.00")), 409, "already_decided")
    assert Decision.objects.filter(case=case).count() == 1
