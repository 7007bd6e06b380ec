"""The stable commands of DESIGN.md: users, demo, check --deploy, python -m sanxiang."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanxiang.accounts.models import User
from sanxiang.accounts.services import token_authenticate
from sanxiang.cli import demo


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_users_create_with_several_roles_and_certificate(units):
    run("users", "create", "zhou", "--role", "officer", "--role", "unit_head", "--unit", "pudong",
        "--password", "Long-Enough-Pass-1", "--certificate", "SH3101151234", "--valid-until", "2029-06-30",
        "--full-name", "周执法")
    user = User.objects.get(username="zhou")
    assert user.role_codes == {"officer", "unit_head"}
    assert user.officer.certificate_number == "SH3101151234"
    assert str(user.officer.valid_until) == "2029-06-30"
    assert user.check_password("Long-Enough-Pass-1")


@pytest.mark.parametrize("args, message", [
    pytest.param(["--unit", "nowhere"], "nowhere", id="unknown-unit"),
    pytest.param(["--unit", "pudong", "--certificate", "SH12345678"], "--valid-until", id="certificate-without-date"),
    pytest.param(["--unit", "pudong", "--certificate", "x", "--valid-until", "2030-01-01"], "certificate", id="bad-certificate"),
    pytest.param(["--unit", "pudong", "--certificate", "SH12345678", "--valid-until", "2030-02-30"], "date", id="bad-date"),
])
def test_users_create_refuses_bad_input(units, args, message):
    with pytest.raises((CommandError, SystemExit)) as exc:
        run("users", "create", "wu", "--role", "officer", "--password", "Long-Enough-Pass-1", *args)
    assert not User.objects.filter(username="wu").exists()
    if isinstance(exc.value, CommandError):
        assert message in str(exc.value)


def test_users_token_prints_a_working_token(make_user):
    user = make_user(username="token-user")
    raw = run("users", "token", "token-user").strip()
    assert token_authenticate(raw) == user


def test_demo_is_idempotent_and_prints_logins(db):
    first = run("demo", "--cases", "0")
    second = run("demo", "--cases", "0")
    assert User.objects.count() == len(demo.DEMO_USERS)
    for spec in demo.DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.role_codes == set(spec.roles)
    assert demo.DEMO_PASSWORD in first
    # The table stays short: the first two of each role, then how many more.
    for role in demo.ROLE_ORDER:
        group = [u for u in demo.DEMO_USERS if u.roles[0] == role]
        for spec in group[:2]:
            assert spec.username in second
        if len(group) > 2:
            assert f"… {len(group) - 2} more {role}" in second
    assert len(second.splitlines()) < 40


def test_demo_has_two_users_of_every_role_in_several_units():
    from sanxiang.accounts.constants import Role

    for role in Role.values:
        holders = [u for u in demo.DEMO_USERS if role in u.roles]
        assert len(holders) >= 2, role
    assert len({u.unit for u in demo.DEMO_USERS}) >= 5


def test_demo_staffs_every_case_unit():
    """Each unit that gets demo cases: ≥ 2 certified officers, a unit head, two agency heads."""
    import datetime as dt

    today = dt.date(2026, 11, 27)
    usernames = [u.username for u in demo.DEMO_USERS]
    assert len(usernames) == len(set(usernames))
    certificates = [u.certificate for u in demo.DEMO_USERS if u.certificate]
    assert len(certificates) == len(set(certificates))
    for unit in ("pudong", "huangpu", "xuhui", "minhang", "jingan", "baoshan", "jiading", "songjiang"):
        assert unit in demo.CASE_UNITS
    for unit in demo.CASE_UNITS:
        staff = [u for u in demo.DEMO_USERS if u.unit == unit]
        certified = [u for u in staff if "officer" in u.roles and u.certificate and u.valid_until > today]
        heads_unit = "city" if unit == "city-corps" else unit
        heads = [u for u in demo.DEMO_USERS if u.unit == heads_unit and "agency_head" in u.roles]
        assert len(certified) >= 2, unit
        assert any("unit_head" in u.roles for u in staff), unit
        assert len(heads) >= 2, unit


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(extra)
    return env


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    """`sanxiang check --deploy` with production settings (HTTPS, no debug) reports nothing."""
    result = subprocess.run(
        [sys.executable, "-m", "sanxiang", "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(SANXIANG_HOME=str(tmp_path), SANXIANG_HTTPS="1", SANXIANG_DEBUG="0",
                 SANXIANG_ALLOWED_HOSTS="zhifa.sthj.sh.gov.cn"),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    key = tmp_path / "keys" / "secret_key"
    assert key.exists() and (key.stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize(("cap", "answer"), [("300", "300"), ("50", "at least 100")])
def test_the_public_count_cap_is_set_from_the_environment(tmp_path, cap, answer):
    """`SANXIANG_PUBLIC_COUNT_CAP`: how far the public search counts exactly; below 100 the
    site refuses to start and says why."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); "
         "from sanxiang.disclosure import selectors; print(selectors.PUBLIC_COUNT_CAP)"],
        env=_env(SANXIANG_HOME=str(tmp_path), SANXIANG_PUBLIC_COUNT_CAP=cap,
                 DJANGO_SETTINGS_MODULE="sanxiang.conf.base"),
        capture_output=True, text=True, timeout=120,
    )
    assert answer in result.stdout + result.stderr
    assert (result.returncode == 0) == (answer == cap)
