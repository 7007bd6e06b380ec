"""The data migration seeds a first published version of each of the seven categories of
事前公开 (推进实施方案 三(一)1 (1)–(7)), city-wide, with unverified facts marked for the publisher."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from sanxiang.catalog.data.predisclosure import CONFIRM, DOCUMENTS
from sanxiang.catalog.models import PreDisclosureDocument
from sanxiang.catalog.models.predisclosure import PreDisclosureCategory

pytestmark = pytest.mark.django_db


def test_every_category_has_a_published_first_version():
    rows = PreDisclosureDocument.objects.filter(status="published")
    assert set(rows.values_list("category", flat=True)) == set(PreDisclosureCategory.values)
    for row in rows.filter(slug__in=[d["slug"] for d in DOCUMENTS]):
        assert (row.version, row.unit_code) == (1, "city")
        assert row.published_at and row.effective_from and row.change_note


def test_the_seed_text_names_the_procedure_and_the_remedies():
    procedures = PreDisclosureDocument.objects.get(slug="city-procedures").body
    steps = ["立案", "调查取证", "审查", "告知", "听证", "法制审核", "集体讨论", "决定", "送达", "执行", "结案"]
    numbered = [line.split(". ", 1)[1].split("：", 1)[0] for line in procedures.splitlines()
                if line[:1].isdigit() and ". " in line]
    assert [s for s in numbered if s in steps] == steps  # 一般程序, in this order
    assert "六十日" in procedures and "六个月" in procedures and "12345" in procedures
    organisation = PreDisclosureDocument.objects.get(slug="city-organisation").body
    assert "上海市生态环境局" in organisation and "各区生态环境局" in organisation


def test_unverified_facts_are_marked_for_the_publisher():
    assert all(CONFIRM in d["body"] for d in DOCUMENTS)
    assert sum(d["body"].count(CONFIRM) for d in DOCUMENTS) >= 10


def test_loading_twice_creates_nothing():
    migration = importlib.import_module("sanxiang.catalog.migrations.0009_predisclosure_seed")

    class Editor:
        class connection:  # noqa: N801 - stands in for schema_editor.connection
            alias = "default"

    before = PreDisclosureDocument.objects.count()
    migration.load(apps, Editor)
    assert PreDisclosureDocument.objects.count() == before
