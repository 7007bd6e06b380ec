"""`sanxiang disclosure sweep` (DESIGN.md "Stable interfaces", "Architecture": idempotent, harmless on
two hosts): expire at the end of the display period (RULES.md R2.9: auto-stop at the maximum),
flag overdue items (R2.1 due dates in working days, R2.5 withdrawal in 3 working days), append the
internal ledger's checkpoint and issue the signed head of the public log.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys

from django.core.management import call_command
from django.utils import timezone

from sanxiang.calendar.selectors import add_working_days
from sanxiang.cases.tests.helpers import Api, ok
from sanxiang.disclosure import publiclog, services
from sanxiang.disclosure.models import PublicationItem, PublicLogLeaf
from sanxiang.disclosure.tests.helpers import PUBLIC, leaves, published
from sanxiang.records.models import LedgerEntry, SignedTreeHead
from sanxiang.records.models.ledger import PUBLIC_LOG
from sanxiang.records.tests.test_ledger_concurrency import fresh_database  # noqa: F401 - fixture

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int = 1) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def sweep(*args: str) -> dict:
    out = io.StringIO()
    call_command("disclosure", "sweep", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_sweep_expires_once_and_is_idempotent(db, client, people):
    item = published(people)
    today = timezone.localdate()
    PublicationItem.objects.filter(pk=item.pk).update(expires_on=today)  # the maximum period ran out

    # Past the maximum the decision is off the portal even before the sweep has run.
    assert client.get(PUBLIC).json()["total"] == 0
    early = client.get(f"{PUBLIC}/{item.public_id}")
    assert early.status_code == 410 and early.json()["error"]["details"]["reason"] == "period_ended"

    first = sweep()
    assert first["expired"] == [item.pk]
    size = publiclog.public_log_size()
    second = sweep()
    assert second["expired"] == [] and second["checkpoint_index"] == first["checkpoint_index"]
    assert publiclog.public_log_size() == size  # nothing appended by the second run
    assert [a for a, _sha in leaves(item.public_id)] == ["publish", "expire"]
    item.refresh_from_db()
    assert (item.state, item.ended_early) == ("expired", False) and item.end_log_index is not None
    gone = client.get(f"{PUBLIC}/{item.public_id}").json()["error"]
    assert gone["code"] == "expired" and gone["details"]["log_index"] == item.end_log_index
    assert LedgerEntry.objects.filter(subject=item.subject, action="publication.expired").count() == 1


def test_sweep_checkpoints_the_ledger_and_signs_the_head(db, people):
    """DESIGN.md: a periodic checkpoint leaf carries the internal ledger's root."""
    published(people)
    report = sweep()
    checkpoint = PublicLogLeaf.objects.get(index=report["checkpoint_index"])
    document = json.loads(checkpoint.leaf)
    assert document["action"] == "checkpoint" and document["ledger_size"] > 0
    head = report["head"]
    assert head["tree_size"] == publiclog.public_log_size() == checkpoint.index + 1
    assert SignedTreeHead.objects.filter(log=PUBLIC_LOG, tree_size=head["tree_size"]).exists()


def test_overdue_on_a_holiday_shifted_due_date(db, client, people):
    """R2.1 + R10.2: decided 2026-09-28, 7 working days skip National Day (Oct 1–7 off, Oct 10 a
    working Saturday) → due 2026-10-13, not 2026-10-07; overdue only from 2026-10-14."""
    decided = dt.date(2026, 9, 28)
    item = services.publication_schedule(subject="case:holiday", unit_code="pudong", decision_kind="penalty",
                                         title="国庆前作出的处罚决定", decided_on=decided, actor="system")
    assert item.due_on == dt.date(2026, 10, 13) == add_working_days(decided, 7).date
    assert not item.provisional

    assert sweep_at(dt.date(2026, 10, 13))["overdue"] == []
    assert sweep_at(dt.date(2026, 10, 14))["overdue"] == [item.pk]
    assert sweep_at(dt.date(2026, 10, 15))["overdue"] == []  # flagged once
    item.refresh_from_db()
    assert item.overdue_since == dt.date(2026, 10, 14)
    assert LedgerEntry.objects.filter(subject="case:holiday", action="publication.overdue").count() == 1
    listed = ok(Api(client, people["publisher"]).get("/publications?state=overdue"))
    assert [(i["id"], i["overdue_reason"]) for i in listed["items"]] == [(str(item.pk), "publication")]


def sweep_at(day: dt.date) -> dict:
    return services.disclosure_sweep(now=at(day)).as_dict()


def test_withdrawal_due_in_three_working_days_then_overdue(db, client, people):
    """R2.5 (APL 第48条 + 第85条): withdrawal within 3 working days of the revocation."""
    item = published(people)
    event_on = timezone.localdate() - dt.timedelta(days=10)
    item = services.publication_withdrawal_required(item=item.pk, event="revoked", event_on=event_on,
                                                    actor=people["publisher"])
    assert item.withdrawal_due_on == add_working_days(event_on, 3).date
    assert services.disclosure_sweep().withdrawal_overdue == [item.pk]
    listed = ok(Api(client, people["publisher"]).get("/publications?state=overdue"))
    assert listed["items"][0]["overdue_reason"] == "withdrawal"
    assert listed["items"][0]["withdrawal"]["due_on"] == item.withdrawal_due_on.isoformat()
    services.publication_withdraw(item_id=item.pk, actor=people["publisher"], reason="原处罚决定已被撤销")
    entry = LedgerEntry.objects.filter(subject=item.subject, action="publication.withdrawn").get()
    assert json.loads(entry.body)["payload"]["late"] is True
    assert ok(Api(client, people["publisher"]).get("/publications?state=overdue"))["total"] == 0


def test_published_in_error_is_due_at_once(db, people):
    """GD-GS 第24条 (R2.5): what should not have been published is removed immediately."""
    item = published(people)
    today = timezone.localdate()
    item = services.publication_withdrawal_required(item=item.pk, event="published_in_error", event_on=today,
                                                    actor=people["publisher"])
    assert item.withdrawal_due_on == today


SETUP = """
import datetime as dt, django
django.setup()
from sanxiang.accounts.services import units_ensure_standard, user_create
from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicationItem
units_ensure_standard()
publisher = user_create(username="pub", full_name="公示", unit_code="pudong", roles=["publisher"],
                        password="Correct-Horse-Battery-9")
source = {"decision_number": "沪浦环罚〔2026〕1号", "kind": "penalty", "title": "某案", "decided_on": "2026-01-05",
          "penalty_types": ["fine"], "fine_amount": "20000.00", "legal_basis": "某法", "facts": "某事实",
          "conclusion": "罚款", "unit": {"code": "pudong", "name": "浦东", "uscc": ""},
          "parties": [{"type": "organization", "name": "某公司", "uscc": "91310000717854505W"}]}
for i in range(6):
    item = services.publication_schedule(subject=f"case:{i}", unit_code="pudong", decision_kind="penalty",
                                         title="某案", decided_on=dt.date(2026, 1, 5), actor="system",
                                         source=source, known_values=[])
    services.publication_publish(item_id=item.pk, actor=publisher)
PublicationItem.objects.update(expires_on=dt.date(2026, 1, 6))
"""

COUNT = """
import django, json
django.setup()
from sanxiang.disclosure.models import PublicLogLeaf
print(json.dumps(sorted(PublicLogLeaf.objects.filter(action="expire").values_list("item", flat=True))))
"""


def test_sweeps_on_several_hosts_at_once_expire_each_item_once(fresh_database):  # noqa: F811
    env = fresh_database
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, timeout=300)
    sweeps = [subprocess.Popen([sys.executable, "-m", "sanxiang", "disclosure", "sweep", "--json"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    expired = []
    for process in sweeps:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        expired += json.loads(out)["expired"]
    assert sorted(expired) == list(range(1, 7))  # each item expired by exactly one sweep
    items = json.loads(subprocess.run([sys.executable, "-c", COUNT], env=env, check=True, capture_output=True,
                                      text=True, timeout=300).stdout)
    assert len(items) == len(set(items)) == 6
    verified = subprocess.run([sys.executable, "-m", "sanxiang", "ledger", "verify", "--json"], env=env,
                              capture_output=True, text=True, timeout=300)
    assert verified.returncode == 0, verified.stdout
