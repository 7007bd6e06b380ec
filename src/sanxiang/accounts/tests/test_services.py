"""Account services: users, roles, certificates, tokens, lockout."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from sanxiang.accounts import services
from sanxiang.accounts.constants import CertificateStatus
from sanxiang.accounts.models import Unit, User
from sanxiang.core.errors import InvalidInput
from tests.factories import PASSWORD


def test_standard_unit_tree_is_api_md_and_idempotent(units):
    """API.md "Roles and units": city, city-legal, city-corps and the 16 districts (GB/T 2260)."""
    assert len(units) == 19
    assert units["pudong"].region_code == "310115"
    assert units["pudong"].name == "上海市浦东新区生态环境局"
    assert units["chongming"].region_code == "310151"
    assert units["city-legal"].parent == units["city"]
    services.units_ensure_standard()
    assert Unit.objects.count() == 19


def test_user_with_several_roles_and_certificate(make_user):
    user = make_user("pudong", "officer", "unit_head", certificate="SH3101159999")
    assert user.role_codes == {"officer", "unit_head"}
    assert user.officer.certificate_number == "SH3101159999"
    assert user.check_password(PASSWORD)
    assert user.password.startswith("md5$") or user.password.startswith("argon2")


@pytest.mark.parametrize(
    "kwargs, code, field",
    [
        pytest.param({"roles": ["chief"]}, "unknown_role", "roles", id="unknown-role"),
        pytest.param({"roles": []}, "roles_required", "roles", id="no-role"),
        pytest.param({"unit_code": "nowhere"}, "unknown_unit", "unit", id="unknown-unit"),
        pytest.param({"certificate_number": "AB12", "valid_until": dt.date(2030, 1, 1)},
                     "invalid_certificate_number", "certificate_number", id="certificate-too-short"),
        pytest.param({"certificate_number": "沪环执123456", "valid_until": dt.date(2030, 1, 1)},
                     "invalid_certificate_number", "certificate_number", id="certificate-not-ascii"),
        pytest.param({"certificate_number": "SH12345678"}, "valid_until_required", "valid_until",
                     id="certificate-without-validity"),
        pytest.param({"password": "12345"}, "weak_password", "password", id="weak-password"),
    ],
)
def test_user_create_refuses_bad_input(units, kwargs, code, field):
    args = {"username": "x1", "unit_code": "pudong", "roles": ["officer"], "password": PASSWORD, **kwargs}
    with pytest.raises(InvalidInput) as exc:
        services.user_create(**args)
    assert exc.value.code == code
    assert exc.value.details["field"] == field
    assert not User.objects.filter(username="x1").exists()


def test_certificate_number_is_unique(make_user):
    make_user(certificate="SH0000000001")
    with pytest.raises(InvalidInput) as exc:
        make_user(certificate="SH0000000001")
    assert exc.value.code == "certificate_taken"


@pytest.mark.parametrize(
    "status, valid_until, day, expected",
    [
        pytest.param("active", dt.date(2026, 12, 31), dt.date(2026, 12, 31), "active", id="last-day-valid"),
        pytest.param("active", dt.date(2026, 12, 31), dt.date(2027, 1, 1), "expired", id="day-after-expired"),
        pytest.param("suspended", dt.date(2030, 1, 1), dt.date(2026, 1, 1), "suspended", id="suspended"),
        pytest.param("revoked", dt.date(2030, 1, 1), dt.date(2026, 1, 1), "revoked", id="revoked"),
    ],
)
def test_certificate_status_on_a_day(make_user, status, valid_until, day, expected):
    """行政处罚法 第42条: only officers with valid enforcement qualification may act."""
    officer = make_user(certificate=True, valid_until=valid_until).officer
    services.officer_set_status(officer=officer, status=status)
    assert officer.status_on(day) == expected
    assert officer.is_valid_on(day) == (expected == CertificateStatus.ACTIVE)


def test_token_is_stored_hashed_and_authenticates(make_user):
    user = make_user()
    token, raw = services.token_create(user=user, name="mobile")
    assert raw not in token.digest and token.digest != raw
    assert services.token_authenticate(raw) == user
    assert services.token_authenticate(raw + "x") is None
    assert services.token_authenticate("") is None
    services.token_revoke(token=token)
    assert services.token_authenticate(raw) is None


def test_token_of_inactive_user_is_refused(make_user):
    user = make_user()
    _token, raw = services.token_create(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert services.token_authenticate(raw) is None


@override_settings(LOCKOUT_ATTEMPTS=3, LOCKOUT_MINUTES=15)
def test_repeated_wrong_passwords_lock_the_account(make_user, client):
    user = make_user(username="zhang")
    for _ in range(3):
        assert not client.login(username="zhang", password="wrong-password")
    user.refresh_from_db()
    assert user.is_locked()
    # Even the right password is refused while locked.
    assert not client.login(username="zhang", password=PASSWORD)
    # After the lock has run out, the right password works and resets the counter.
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert client.login(username="zhang", password=PASSWORD)
    user.refresh_from_db()
    assert user.failed_logins == 0 and user.locked_until is None


@override_settings(LOCKOUT_ATTEMPTS=3)
def test_a_success_resets_the_failure_count(make_user, client):
    make_user(username="li")
    client.login(username="li", password="wrong")
    client.login(username="li", password="wrong")
    assert client.login(username="li", password=PASSWORD)
    client.logout()
    client.login(username="li", password="wrong")
    assert not User.objects.get(username="li").is_locked()


def test_account_changes_are_on_the_ledger(make_user):
    from sanxiang.records.models import LedgerEntry

    user = make_user(certificate="SH3101150999")
    actions = list(LedgerEntry.objects.filter(subject=f"user:{user.pk}").values_list("action", flat=True))
    assert actions == ["user.created", "officer.certified"]
    services.officer_set_status(officer=user.officer, status="suspended", actor="user:1", reason="调离执法岗位")
    entry = LedgerEntry.objects.filter(subject=f"user:{user.pk}").last()
    assert entry.action == "officer.status_changed" and entry.actor == "user:1"
    assert '"to":"suspended"' in entry.body


@override_settings(LOCKOUT_ATTEMPTS=2)
def test_lockout_is_on_the_ledger(make_user, client):
    from sanxiang.records.models import LedgerEntry

    user = make_user(username="sun")
    client.login(username="sun", password="x")
    client.login(username="sun", password="x")
    assert LedgerEntry.objects.filter(subject=f"user:{user.pk}", action="user.locked").count() == 1
