"""`sanxiang demo`: complaints, supervision notices, a random inspection and case-file evaluations,
made through the services, printed tracking codes that work, and a second run that adds nothing."""

from __future__ import annotations

import io
from collections import Counter

from django.core.management import call_command
from django.utils import timezone

from sanxiang.cli import demo_oversight


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    from sanxiang.inspections.models import DrawnEntity, InspectionPlan, RegulatedEntity
    from sanxiang.oversight.models import Complaint, ComplaintNote, SupervisionNotice
    from sanxiang.oversight.models_evaluation import Evaluation
    from sanxiang.records.models import LedgerEntry

    return {"complaints": Complaint.objects.count(), "notes": ComplaintNote.objects.count(),
            "notices": SupervisionNotice.objects.count(), "plans": InspectionPlan.objects.count(),
            "entities": RegulatedEntity.objects.count(), "drawn": DrawnEntity.objects.count(),
            "evaluations": Evaluation.objects.count(),
            "ledger": sum(LedgerEntry.objects.filter(subject__startswith=prefix).count() for prefix in
                          ("complaint:", "notice:", "evaluation", "inspection_"))}


def test_demo_oversight_through_the_services(db, settings, tmp_path):
    from sanxiang.inspections.models import DrawnEntity, InspectionPlan, PoolInspector
    from sanxiang.oversight import selectors
    from sanxiang.oversight.models import Complaint, ComplaintCaseLink, NoticeRecipient
    from sanxiang.oversight.models_evaluation import Evaluation, EvaluationRectification
    from sanxiang.records.models import LedgerEntry

    settings.HOME = tmp_path
    first = run("demo", "--cases", "40")
    today = timezone.localdate()

    # complaints: several districts, every state, one overdue, three from the portal
    complaints = Complaint.objects.all()
    assert complaints.count() == len(demo_oversight.COMPLAINTS)
    assert set(Counter(complaints.values_list("status", flat=True))) == {"received", "handling", "replied", "closed"}
    assert len(set(complaints.values_list("unit__code", flat=True))) >= 6
    assert complaints.filter(status__in=["received", "handling"], due_on__lt=today).count() == 1
    assert complaints.filter(channel="portal").count() == 3
    assert all(c.notes.exists() for c in complaints.exclude(handler=None))
    assert ComplaintCaseLink.objects.count() == 1
    for c in complaints:  # the ledger tells each one's story, ending with the demo marker
        actions = list(LedgerEntry.objects.filter(subject=c.ref).order_by("seq").values_list("action", flat=True))
        assert actions[0] == "complaint.received" and actions[-1] == demo_oversight.MARK_ACTION

    # the printed tracking codes open the public tracking page
    codes = demo_oversight.tracking_codes()
    assert len(codes) == 2
    for number, code in codes:
        assert code in first
        assert selectors.complaint_public_status(code=code).number == number

    # notices: one accepted, one still open
    rows = Counter(NoticeRecipient.objects.values_list("status", flat=True))
    assert rows["accepted"] == 1 and rows["pending"] + rows["submitted"] == 2

    # the random inspection of Pudong: pools, beacon, draw, two published results
    plan = InspectionPlan.objects.get()
    assert plan.unit.code == "pudong" and plan.status == "drawn" and plan.beacon
    assert PoolInspector.objects.filter(active=True).count() >= 3
    drawn = DrawnEntity.objects.filter(draw__plan=plan)
    assert drawn.count() >= 2 and drawn.filter(published=True).count() == 2
    assert all(d.case_id for d in drawn)

    # evaluations of closed cases: one open, two submitted, one rectification request
    evaluations = Evaluation.objects.select_related("case")
    assert evaluations.count() == 3
    assert {e.case.stage for e in evaluations} == {"closed"}
    assert Counter(evaluations.values_list("status", flat=True)) == {"open": 1, "submitted": 2}
    assert EvaluationRectification.objects.count() == 1

    before = counts()
    second = run("demo", "--cases", "40")
    assert counts() == before
    for _number, code in codes:
        assert code in second
