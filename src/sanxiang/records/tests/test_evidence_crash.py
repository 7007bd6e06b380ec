"""Crash safety and concurrency with real processes, on a database of their own (SQLite file
or a fresh PostgreSQL database):

* a process SIGKILLed in the middle of an upload leaves no blob, no row and no ledger
  entry; its temporary file is removed at the next start;
* several processes registering evidence of one subject at once get gapless numbers.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.django_db

STATE = """
import django, json
django.setup()
from sanxiang.records.models import Blob, Evidence, LogHead
head = LogHead.objects.filter(log="ledger").first()
print(json.dumps({"ledger": head.size if head else 0, "blobs": Blob.objects.count(),
                  "evidence": sorted(Evidence.objects.values_list("subject", "number"))}))
"""

SLOW_UPLOAD = """
import django, datetime as dt, sys, time
django.setup()
from django.utils import timezone
from sanxiang.records.services_evidence import evidence_register

def slow():
    for i in range(100_000):
        yield bytes([i % 251]) * 65536
        if i == 20:
            print("streaming", flush=True)
        time.sleep(0.005)

evidence_register(subject="case:1", kind="video", actor="user:1", description="现场录像",
                  recorded_at=timezone.now() - dt.timedelta(hours=1), stream=slow(), filename="clip.mp4")
print("finished", flush=True)
"""

REGISTER_MANY = """
import django, datetime as dt, sys
django.setup()
from django.utils import timezone
from sanxiang.records.services_evidence import evidence_register
worker, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    content = b"same clip for everyone" if i % 2 else f"clip {worker}/{i}".encode()
    evidence_register(subject="case:1", kind="video", actor=f"user:{worker}", description="并发登记",
                      recorded_at=timezone.now() - dt.timedelta(hours=1), stream=[content])
"""


def run(env, *args, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "sanxiang", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def state(env) -> dict:
    result = run(env, code=STATE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_killed_upload_leaves_nothing_and_its_temp_file_goes_at_next_start(fresh_home):
    home, env = fresh_home
    before = state(env)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_UPLOAD], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "streaming", proc.stderr.read()
        tmp = home / "blobs" / "tmp"
        temp_files = list(tmp.iterdir())
        assert [p.name.split(".")[0] for p in temp_files] == [str(proc.pid)]
        size = temp_files[0].stat().st_size
        time.sleep(0.2)
        assert temp_files[0].stat().st_size > size  # still streaming
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    assert [p for p in (home / "blobs").iterdir() if p.is_file()] == []  # no blob
    assert len(list(tmp.iterdir())) == 1  # the dead process's temporary file, until the next start

    restart = run(env, "check")  # any new process starts the app
    assert restart.returncode == 0, restart.stderr
    assert list(tmp.iterdir()) == []
    assert state(env) == before  # no Blob or Evidence row, no ledger entry
    verify = run(env, "ledger", "verify", "--json")
    assert verify.returncode == 0 and json.loads(verify.stdout)["ok"] is True


def test_concurrent_registrations_get_gapless_numbers(fresh_home):
    home, env = fresh_home
    workers, each = 3, 6
    procs = [subprocess.Popen([sys.executable, "-c", REGISTER_MANY, str(w), str(each)], env=env,
                              stderr=subprocess.PIPE, text=True) for w in range(workers)]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    after = state(env)
    assert after["evidence"] == [["case:1", n] for n in range(1, workers * each + 1)]
    assert after["blobs"] == workers * (each // 2) + 1  # the shared clip is stored once
    assert after["ledger"] == workers * each
    for command in (("ledger", "verify", "--json"), ("evidence", "verify", "--json")):
        result = run(env, *command)
        assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(run(env, "evidence", "verify", "--json").stdout)["checked"] == after["blobs"]
    assert os.listdir(home / "blobs" / "tmp") == []
