"""Fixtures of the cases tests: the people of a Pudong case and their neighbours."""

from __future__ import annotations

import pytest

from sanxiang.cases.tests.helpers import Api


@pytest.fixture
def people(make_user):
    """Everyone the API.md "Who may act" table names, around a case of `pudong`."""
    return {
        "off1": make_user("pudong", "officer", certificate=True, full_name="张执法"),
        "off2": make_user("pudong", "officer", certificate=True, full_name="李执法"),
        "off3": make_user("pudong", "officer", certificate=True, full_name="周执法"),  # not a handler
        "head": make_user("pudong", "unit_head", full_name="韩科长"),
        "chief": make_user("pudong", "agency_head", full_name="王局长"),
        "deputy": make_user("pudong", "agency_head", full_name="赵副局长"),
        "reviewer": make_user("city-legal", "reviewer", full_name="陈审核"),
        # A legal-unit reviewer who also holds a certificate and may join an inspection.
        "joined": make_user("city-legal", "reviewer", "officer", certificate=True, full_name="褚审核"),
        "publisher": make_user("pudong", "publisher", full_name="钱公示"),
        "supervisor": make_user("city", "supervisor", full_name="孙监督"),
        "hp_officer": make_user("huangpu", "officer", certificate=True, full_name="黄执法"),
        "hp_head": make_user("huangpu", "unit_head", full_name="黄科长"),
        "hp_chief": make_user("huangpu", "agency_head", full_name="黄局长"),
    }


@pytest.fixture
def api(client, people):
    """`api("off1")` → a bearer-token client of that person."""
    made: dict[str, Api] = {}

    def get(name: str) -> Api:
        if name not in made:
            made[name] = Api(client, people[name])
        return made[name]

    return get
