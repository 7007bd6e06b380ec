"""`sanxiang catalog …` commands."""

from __future__ import annotations

import json
import sys
import types
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_rules_json_lists_the_rules_in_force():
    out = StringIO()
    call_command("catalog", "rules", "--purpose", "hearing", "--on", "2026-11-27", "--json", stdout=out)
    rules = json.loads(out.getvalue())
    assert {r["code"] for r in rules} >= {"hearing.fine_org_shanghai", "hearing.closure"}
    assert all(r["citation"] for r in rules)


def test_load_templates_loads_missing_codes(monkeypatch):
    module = types.ModuleType("sanxiang.catalog.data.document_templates")
    module.DEFAULT_TEMPLATES = [
        {"code": "zz_cmd", "name": "测试", "version": 1, "effective_from": "2023-07-01",
         "citation": "test [U]", "blocks": []},
    ]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    out = StringIO()
    call_command("catalog", "load-templates", stdout=out)
    assert "loaded 1 template version(s)" in out.getvalue()
