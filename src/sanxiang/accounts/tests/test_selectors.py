"""The visibility scope (可见范围): own unit and its subtree; city-level supervisors see all."""

import pytest

from sanxiang.accounts import selectors
from sanxiang.accounts.models import Officer
from sanxiang.core.errors import NotFound


@pytest.fixture
def officers(make_user):
    return {code: make_user(code, certificate=True) for code in ("pudong", "huangpu", "city-corps")}


def visible_units(user):
    return set(selectors.officer_list(viewer=user).values_list("user__unit__code", flat=True))


def test_district_officer_sees_only_his_district(officers, make_user):
    viewer = make_user("pudong")
    assert visible_units(viewer) == {"pudong"}


def test_city_supervisor_sees_all(officers, make_user):
    assert visible_units(make_user("city", "supervisor")) == {"pudong", "huangpu", "city-corps"}
    assert visible_units(make_user("city-corps", "supervisor")) == {"pudong", "huangpu", "city-corps"}


def test_district_supervisor_sees_only_his_district(officers, make_user):
    assert visible_units(make_user("huangpu", "supervisor")) == {"huangpu"}


def test_city_bureau_unit_is_the_root_of_the_tree(officers, make_user):
    assert visible_units(make_user("city", "agency_head")) == {"pudong", "huangpu", "city-corps"}


def test_corps_sees_its_own_subtree_only(officers, make_user):
    assert visible_units(make_user("city-corps", "officer")) == {"city-corps"}


def test_unit_outside_scope_is_not_found(officers, make_user):
    viewer = make_user("pudong")
    with pytest.raises(NotFound):
        selectors.officer_list(viewer=viewer, unit="huangpu")
    assert selectors.officer_list(viewer=viewer, unit="pudong").count() == 1


def test_scope_filter_is_one_rule_for_any_queryset(officers, make_user):
    viewer = make_user("huangpu")
    qs = selectors.scope_filter(Officer.objects.all(), viewer, "user__unit")
    assert {o.user.unit.code for o in qs} == {"huangpu"}


def test_public_record_carries_no_internal_ids(officers):
    number = officers["pudong"].officer.certificate_number
    record = selectors.officer_public_record(selectors.officer_public(certificate_number=number.lower()))
    assert set(record) == {"name", "certificate_number", "unit", "unit_name", "status", "status_label", "valid_until"}
    with pytest.raises(NotFound):
        selectors.officer_public(certificate_number="NOSUCH0001")
