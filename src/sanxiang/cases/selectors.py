"""Case selectors (案件查询): every read of cases, scoped to the viewer."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role, UnitKind
from sanxiang.accounts.models import User
from sanxiang.accounts.selectors import scope_q
from sanxiang.cases.models import Activity, ActivityOfficer, Case, CaseDeadline, CaseHandler
from sanxiang.core.errors import NotFound
from sanxiang.records.models import LedgerEntry


def visible_q(viewer: User) -> Q:
    """Cases the viewer may read: his unit scope; a legal unit's reviewers also the units it serves."""
    q = scope_q(viewer)
    unit = viewer.unit
    if viewer.has_role(Role.REVIEWER) and unit is not None and unit.kind == UnitKind.LEGAL and unit.parent_id:
        q |= Q(unit__path__startswith=unit.parent.path)
    return q


def case_list(*, viewer: User, stage: str | None = None, kind: str | None = None, q: str | None = None,
              unit: str | None = None, mine: bool = False) -> QuerySet[Case]:
    qs = Case.objects.filter(visible_q(viewer)).select_related("unit")
    if stage:
        qs = qs.filter(stage=stage)
    if kind:
        qs = qs.filter(kind=kind)
    if unit:
        qs = qs.filter(unit__code=unit)
    if mine:
        qs = qs.filter(handlers__user=viewer)
    if q:
        q = q.strip()
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(parties__name__icontains=q)
                       | Q(parties__uscc__iexact=q)).distinct()
    return qs.order_by("-created_at", "-id")


def case_get(*, viewer: User, case_id) -> Case:
    """One case with everything its page shows, in a bounded number of queries."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound("case_not_found", _("No such case.")) from None
    case = (Case.objects.filter(visible_q(viewer), pk=pk)
            .select_related("unit", "created_by", "decision", "decision__decided_by")
            .prefetch_related(
                "parties", "flags", "responses", "deadlines", "recusals__user", "documents",
                Prefetch("handlers", queryset=CaseHandler.objects.select_related("user")),
                Prefetch("activities", queryset=Activity.objects.prefetch_related(
                    Prefetch("officers", queryset=ActivityOfficer.objects.select_related("officer__user")))),
            ).first())
    if case is None:
        raise NotFound("case_not_found", _("No such case."))
    return case


def case_timeline(case: Case) -> list[dict]:
    """The full record of the case read from the ledger: who, when, what (全过程留痕)."""
    entries = list(LedgerEntry.objects.filter(subject=case.ref).order_by("seq")
                   .values("seq", "at", "actor", "action", "body", "entry_hash"))
    ids = {int(e["actor"].split(":", 1)[1]) for e in entries if e["actor"].startswith("user:")}
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    for entry in entries:
        actor = entry["actor"]
        entry["actor_name"] = names.get(int(actor.split(":", 1)[1]), actor) if actor.startswith("user:") else actor
    return entries


def workbench_deadlines(*, viewer: User, limit: int = 50) -> QuerySet[CaseDeadline]:
    """Open deadlines of the cases the viewer handles (or heads), soonest first."""
    qs = CaseDeadline.objects.filter(met_on__isnull=True).select_related("case", "case__unit")
    if viewer.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD):
        qs = qs.filter(Q(case__handlers__user=viewer) | scope_q(viewer, "case__unit"))
    else:
        qs = qs.filter(case__handlers__user=viewer)
    return qs.distinct().order_by("due_on")[:limit]


def urgency(due_on, today=None) -> str:
    """overdue / today / soon (≤ 3 days) / later — for colouring the to-do list."""
    today = today or timezone.localdate()
    delta = (due_on - today).days
    if delta < 0:
        return "overdue"
    if delta == 0:
        return "today"
    return "soon" if delta <= 3 else "later"
