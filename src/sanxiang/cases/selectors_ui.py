"""Read-only selectors for the staff UI (办案页面查询). Scoped like `cases.selectors`.

They only read; every state change still goes through `cases.services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import User
from sanxiang.accounts.selectors import scope_q
from sanxiang.cases.models import Case, IssuedDocument
from sanxiang.cases.rules import stages
from sanxiang.cases.selectors import visible_q
from sanxiang.core.errors import Gone, NotFound
from sanxiang.review.constants import SubmissionStatus

__all__ = [
    "case_publication", "cases_awaiting_heads", "discussion_attendee_choices", "escalations_to_settle",
    "case_evidence_get", "case_page", "issued_document_get", "issued_document_open", "latest_review", "review_with_case", "workbench",
]


def cases_awaiting_heads(*, viewer: User, limit: int = 50) -> list[Case]:
    """Cases waiting for the viewer as a head: decidable, not decided, legal review not pending.

    Agency heads see every such case of their scope; unit heads those that are not major
    (a major decision is the agency head's, API.md "Who may act").
    """
    from sanxiang.review import selectors as review_selectors

    if not viewer.has_role(Role.AGENCY_HEAD, Role.UNIT_HEAD) or viewer.unit is None:
        return []
    decidable = Q()
    for kind, from_stages in stages.DECIDABLE_FROM.items():
        if from_stages:
            decidable |= Q(kind=kind, stage__in=sorted(from_stages))
    qs = (Case.objects.filter(scope_q(viewer)).filter(decidable).filter(decision__isnull=True)
          .select_related("unit").order_by("stage_changed_at", "id"))
    if not viewer.has_role(Role.AGENCY_HEAD):
        qs = qs.filter(major=False)
    out = []
    for case in qs[: limit * 2]:
        status = review_selectors.review_status(case.ref)
        if status.is_open or (case.major and not status.approved):
            continue
        out.append(case)
        if len(out) >= limit:
            break
    return out


def escalations_to_settle(*, viewer: User) -> QuerySet:
    """Escalated review disagreements the viewer (an agency head) may settle."""
    from sanxiang.review.models import ReviewSubmission

    if not viewer.has_role(Role.AGENCY_HEAD) or viewer.unit is None:
        return ReviewSubmission.objects.none()
    return (ReviewSubmission.objects.filter(status=SubmissionStatus.ESCALATED)
            .filter(scope_q(viewer, "unit")).select_related("unit").order_by("due_on", "pk"))


def latest_review(case: Case):
    """The latest review round of the case (or None)."""
    from sanxiang.review import selectors as review_selectors

    return review_selectors.review_status(case.ref)


def discussion_attendee_choices(case: Case) -> QuerySet[User]:
    """Possible attendees of a collective discussion: agency and unit heads of the case's unit
    and of the units above it (负责人集体讨论)."""
    ancestors = [case.unit.path[: i + 1] for i, ch in enumerate(case.unit.path) if ch == "/" and i > 0]
    return (User.objects.filter(is_active=True, unit__path__in=ancestors,
                                roles__role__in=[Role.AGENCY_HEAD, Role.UNIT_HEAD])
            .select_related("unit").distinct().order_by("unit__path", "full_name", "pk"))


def case_publication(case: Case):
    """The publication item of the case's decision (公示事项), or None."""
    from sanxiang.disclosure.models import PublicationItem

    return PublicationItem.objects.filter(subject=case.ref).first()


def issued_document_get(*, viewer: User, case_id, document_id) -> IssuedDocument:
    """An issued document of a case the viewer may see; 404 otherwise."""
    try:
        case_pk, doc_pk = int(case_id), int(document_id)
    except (TypeError, ValueError):
        raise NotFound("document_not_found", _("No such document.")) from None
    doc = (IssuedDocument.objects.filter(pk=doc_pk, case_id=case_pk)
           .filter(case__in=Case.objects.filter(visible_q(viewer))).select_related("case").first())
    if doc is None:
        raise NotFound("document_not_found", _("No such document."))
    return doc


@dataclass(frozen=True)
class OpenedDocument:
    file: BinaryIO
    content_type: str
    size: int


def issued_document_open(doc: IssuedDocument) -> OpenedDocument:
    """Open the stored file of an issued document (the caller closes it)."""
    from sanxiang.records import blobs
    from sanxiang.records.selectors import blob_get

    blob = blob_get(sha256=doc.sha256)
    try:
        fh = blobs.blob_store().open(doc.sha256)
    except blobs.BlobMissing:
        raise Gone("document_file_missing", _("The file of this document is missing from the vault.")) from None
    return OpenedDocument(fh, blob.content_type if blob else "application/octet-stream", doc.size)


def case_evidence_get(*, viewer: User, case_id, evidence_id):
    """An evidence item of a case the viewer may see; 404 otherwise (outside scope = not found)."""
    from sanxiang.records.selectors import evidence_get

    try:
        case_pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound("case_not_found", _("No such case.")) from None
    if not Case.objects.filter(visible_q(viewer), pk=case_pk).exists():
        raise NotFound("case_not_found", _("No such case."))
    return evidence_get(evidence_id=evidence_id, subject=f"case:{case_pk}")


@dataclass(frozen=True)
class CasePage:
    """Everything the case page shows, read in a bounded number of queries."""

    case: Case
    timeline: list[dict]
    evidence: list
    reviews: list
    discussions: list
    publication: object | None


def case_page(*, viewer: User, case_id) -> CasePage:
    """The case with its evidence, review rounds, discussions, publication and ledger timeline."""
    from sanxiang.cases.selectors import case_get, case_timeline
    from sanxiang.records.selectors import evidence_list
    from sanxiang.review import selectors as review_selectors

    case = case_get(viewer=viewer, case_id=case_id)
    return CasePage(
        case=case, timeline=case_timeline(case), evidence=list(evidence_list(subject=case.ref)),
        reviews=review_selectors.review_history(case.ref),
        discussions=list(review_selectors.collective_discussions(case.ref)),
        publication=case_publication(case),
    )


@dataclass(frozen=True)
class Workbench:
    """The viewer's to-dos: deadlines, reviews to give, cases awaiting a head, escalations."""

    deadlines: list
    reviews: list
    awaiting: list
    escalations: list


def workbench(*, viewer: User) -> Workbench:
    from sanxiang.cases.selectors import workbench_deadlines
    from sanxiang.review.selectors import review_queue

    return Workbench(
        deadlines=list(workbench_deadlines(viewer=viewer)),
        reviews=_with_cases(list(review_queue(viewer=viewer)[:50])),
        awaiting=cases_awaiting_heads(viewer=viewer),
        escalations=_with_cases(list(escalations_to_settle(viewer=viewer)[:50])),
    )


def _with_cases(submissions: list) -> list:
    """Attach `.case` (number and title for the list) to review submissions of cases."""
    ids = {int(s.subject.split(":", 1)[1]) for s in submissions if s.subject.startswith("case:")}
    cases = Case.objects.in_bulk(ids)
    for s in submissions:
        s.case = cases.get(int(s.subject.split(":", 1)[1])) if s.subject.startswith("case:") else None
    return submissions


def review_with_case(*, viewer: User, review_id):
    """A review submission the viewer may see (404 otherwise), with `.case` for its heading."""
    from sanxiang.review.selectors import review_get

    return _with_cases([review_get(viewer=viewer, review_id=review_id)])[0]
