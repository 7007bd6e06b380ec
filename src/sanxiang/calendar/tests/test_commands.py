"""`sanxiang workdays …` and `sanxiang calendar …` (DESIGN.md stable interface)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ("add", "2026-09-30", "7"),
            {"date": "2026-10-15", "provisional": False},
            id="APL85-2026-national-day",
        ),
        pytest.param(
            ("add", "2026-12-25", "7"),
            {"date": "2027-01-06", "provisional": True},
            id="APL85-HOL2-into-2027",
        ),
        pytest.param(
            ("add", "2026-10-01", "0"), {"date": "2026-10-01", "provisional": False}, id="APL85-n0"
        ),
        pytest.param(
            ("add", "2026-09-16", "15", "--calendar-days"),
            {"date": "2026-10-08", "provisional": False},
            id="CC203-calendar-days",
        ),
        pytest.param(
            ("count", "2026-09-30", "2026-10-15"),
            {"count": 7, "provisional": False},
            id="APL85-count",
        ),
        pytest.param(
            ("is", "2026-10-10"),
            {"date": "2026-10-10", "working": True, "provisional": False, "name": "国庆节"},
            id="R10.4-is-makeup-day",
        ),
        pytest.param(
            ("is", "2027-10-01"),
            {"date": "2027-10-01", "working": False, "provisional": True, "name": "国庆节"},
            id="HOL2-is-2027-oct1",
        ),
        pytest.param(
            ("add", "9999-12-31", "1"),
            {"date": "9999-12-31", "provisional": True},
            id="APL85-clamped-9999",
        ),
    ],
)
def test_workdays_json(args, expected):
    out, err = run("workdays", *args, "--json")
    assert json.loads(out) == expected
    assert out == json.dumps(expected, ensure_ascii=False) + "\n"
    assert err == ""


def test_workdays_add_json_is_exact():
    out, _ = run("workdays", "add", "2026-09-30", "7", "--json")
    assert out == '{"date": "2026-10-15", "provisional": false}\n'


def test_workdays_human_output():
    assert run("workdays", "add", "2026-09-30", "7") == ("2026-10-15\n", "")
    out, err = run("workdays", "add", "2026-12-25", "7")
    assert out == "2027-01-06（暂定）\n"
    assert "2027" in err and "provisional" in err
    assert run("workdays", "count", "2026-10-15", "2026-09-30")[0] == "-7\n"
    assert run("workdays", "is", "2026-10-07")[0].startswith("2026-10-07 not a working day")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("add", "2026-13-01", "3"), "invalid date", id="bad-month"),
        pytest.param(("add", "2026/10/01", "3"), "invalid date", id="bad-format"),
        pytest.param(("add", "2026-10-01", "-1"), "zero or positive", id="negative-n"),
        pytest.param(("add", "2026-10-01", "three"), "invalid number", id="not-a-number"),
        pytest.param(("count", "2026-10-01", "tomorrow"), "invalid date", id="count-bad-date"),
        pytest.param(("is", "20261001"), "invalid date", id="is-basic-format"),
    ],
)
def test_workdays_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run("workdays", *args, "--json")


def test_calendar_status_and_load():
    out, err = run("calendar", "status", "--json")
    data = json.loads(out)
    assert [y["year"] for y in data["years"]] == list(range(2004, 2027))
    this_year = timezone.localdate().year
    assert data["missing_official"] == [y for y in (this_year, this_year + 1) if y > 2026]
    out, _ = run("calendar", "load", "--year", "2026")
    assert out.startswith("2026: +0 ~0 -0")
    with pytest.raises(CommandError, match="2027"):
        run("calendar", "load", "--year", "2027")


def _cli_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # never a real server
    env |= {"SANXIANG_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "sanxiang.conf.test"}
    return env


def test_python_m_sanxiang_workdays_add_json(tmp_path):
    """The stable interface, end to end in a fresh SQLite home: stdout is one JSON document."""
    env = _cli_env(tmp_path)
    cli = [sys.executable, "-m", "sanxiang"]
    subprocess.run([*cli, "migrate", "calendar", "-v", "0"], env=env, check=True, timeout=120)
    done = subprocess.run(
        [*cli, "workdays", "add", "2026-09-30", "7", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"date": "2026-10-15", "provisional": False}
    assert done.stdout.strip() == '{"date": "2026-10-15", "provisional": false}'

    bad = subprocess.run(
        [*cli, "workdays", "add", "2026-09-30", "-1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode != 0
    assert "zero or positive" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert bad.stdout == ""


def test_workdays_works_before_the_database_is_migrated(tmp_path):
    """A fresh SANXIANG_HOME: the command answers from the package data, no traceback."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env["SANXIANG_HOME"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "sanxiang", "workdays", "add", "2026-09-30", "7", "--json"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"date": "2026-10-15", "provisional": false}'
    assert "Traceback" not in result.stderr
