"""Transactional tests end with a flush (DELETE / TRUNCATE) the insert-only triggers refuse:
the root conftest drops them just before and re-installs them after. pytest-django runs
transactional tests after the others, in file order, so the second test here sees what the
first one's teardown left."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from sanxiang.records import triggers
from sanxiang.records.models import Blob, Evidence, EvidenceAnnotation, LedgerEntry
from sanxiang.records.services import ledger_sign_head
from sanxiang.records.services_evidence import evidence_annotate, evidence_open
from sanxiang.records.tests.evidence_support import register


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_writes_insert_only_rows(vault):
    evidence = register()
    evidence_annotate(evidence_id=evidence.pk, actor="user:1", text="备注")
    assert LedgerEntry.objects.count() >= 2


def test_the_flush_emptied_them_and_the_triggers_are_back(transactional_db, vault):
    assert Evidence.objects.count() == EvidenceAnnotation.objects.count() == Blob.objects.count() == 0
    assert LedgerEntry.objects.count() == 0
    evidence = register()
    evidence_annotate(evidence_id=evidence.pk, actor="user:1", text="备注")
    evidence_open(evidence_id=evidence.pk, actor="user:1", purpose="查看").close()
    ledger_sign_head()
    for table in triggers.INSERT_ONLY_TABLES:  # every table has a row: row triggers fire
        with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
        assert "insert-only" in str(refused.value)
    assert Evidence.objects.get().pk == evidence.pk


def test_plain_db_tests_keep_their_triggers_during_the_test(db, vault):
    evidence = register()
    with pytest.raises(DatabaseError), transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(description="changed")


def test_installed_tables_finds_every_insert_only_table(db):
    assert set(triggers.INSERT_ONLY_TABLES) <= set(triggers.installed_tables(connection))
