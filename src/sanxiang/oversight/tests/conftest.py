"""Fixtures of the oversight tests: people of the city and two districts, a portal complaint."""

from __future__ import annotations

import pytest

from sanxiang.oversight import services

FACTS = "浦东新区某执法人员检查时未出示执法证，态度粗暴，要求查处。"
PERSON = {"name": "欧阳投诉人", "phone": "13912345678", "id_number": "11010519491231002X",
          "email": "tousu.person@example.com"}


@pytest.fixture(autouse=True)
def _oversight_rules(db):
    """The complaint time limit (a transactional test's flush removes seeded rule data)."""
    from django.apps import apps

    from sanxiang.oversight.seed import load_time_limits

    load_time_limits(apps)


@pytest.fixture
def people(make_user):
    return {
        "city_sup": make_user("city", "supervisor", full_name="市督查"),
        "pudong_sup": make_user("pudong", "supervisor", full_name="浦东督查"),
        "pudong_sup2": make_user("pudong", "supervisor", full_name="浦东督查二"),
        "pudong_head": make_user("pudong", "agency_head", full_name="浦东局长"),
        "pudong_officer": make_user("pudong", "officer", certificate=True, full_name="浦东执法"),
        "xuhui_sup": make_user("xuhui", "supervisor", full_name="徐汇督查"),
        "xuhui_head": make_user("xuhui", "agency_head", full_name="徐汇局长"),
    }


def complaint_input(**overrides) -> services.ComplaintInput:
    values = {"unit_code": "pudong", "facts": FACTS, **PERSON, "officer_certificate": "SH3101150009",
              "case_reference": "沪浦环罚〔2026〕12号"}
    values.update(overrides)
    return services.ComplaintInput(**values)


@pytest.fixture
def filed(units):
    return services.complaint_file(data=complaint_input())
