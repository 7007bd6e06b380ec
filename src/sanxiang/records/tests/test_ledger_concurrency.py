"""Several processes appending at once keep one gapless, valid chain (SQLite file and PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.db import connection

APPENDERS = 4
EACH = 40

APPEND = """
import django, sys
django.setup()
from sanxiang.records.services import ledger_append
worker = sys.argv[1]
for i in range(int(sys.argv[2])):
    ledger_append(subject=f"case:{worker}", action="case.noted", actor=f"user:{worker}", payload={"i": i})
"""


def _base_env(home) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="sanxiang.conf.base", SANXIANG_HOME=str(home), SANXIANG_HTTPS="0")
    return env


def _admin_sql(s: dict, sql: str) -> None:
    """Run CREATE/DROP DATABASE outside the test's transaction."""
    import psycopg

    with psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], password=s.get("PASSWORD") or None,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def fresh_database(tmp_path, db):
    """An empty, migrated database of the vendor under test, reachable from other processes."""
    env = _base_env(tmp_path)
    created = None
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        created = f"sanxiang_conc_{uuid.uuid4().hex[:8]}"
        _admin_sql(s, f'CREATE DATABASE "{created}"')
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{created}"
    subprocess.run([sys.executable, "-m", "sanxiang", "migrate", "-v0"], env=env, check=True, timeout=300)
    yield env
    if created:
        _admin_sql(connection.settings_dict, f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')


def test_concurrent_appenders_keep_a_gapless_valid_chain(fresh_database):
    env = fresh_database
    workers = [subprocess.Popen([sys.executable, "-c", APPEND, str(w), str(EACH)], env=env,
                                stderr=subprocess.PIPE, text=True) for w in range(APPENDERS)]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    result = subprocess.run([sys.executable, "-m", "sanxiang", "ledger", "verify", "--json"], env=env,
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert result.returncode == 0, report
    assert report == {"ok": True, "checked": APPENDERS * EACH, "first_bad_seq": None, "problems": []}
