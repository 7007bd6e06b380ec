"""Automatic checks of a closed case file (案卷评查自动检查).

Each check looks at what the case holds — issued documents, deadlines, decision, review,
activities and their evidence, the publication item — and returns pass or fail with the
evidence that decides it (what is missing, which date). Nothing is typed in: the results are
computed from the data and pre-fill the rubric items an evaluation opens with.

The checks that have an assessment metric reuse its row query (``oversight.metrics``) narrowed
to the case, so that a case fails a check exactly when it counts as missed in the metric:
stage deadlines (``deadline_rows``), legal review of a major decision (``legal_review_rows``),
video of mandatory activities (``video_rows``), publication on time (``publication_rows``) and
two certified officers on site (``two_officer_rows``).

Evidence items are plain JSON (``{"kind": …, …}``); ``describe`` turns one into a sentence in
the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role
from sanxiang.cases.constants import ActivityKind
from sanxiang.cases.issuing import NUMBER_SUFFIXES
from sanxiang.cases.models import Case, Decision, IssuedDocument
from sanxiang.cases.rules.recording import MIN_OFFICERS
from sanxiang.catalog.constants import CaseKind, DecisionKind
from sanxiang.disclosure.models import PublicationItem
from sanxiang.oversight import metrics
from sanxiang.oversight.models_evaluation import CheckCode

__all__ = ["CHECKS", "CheckResult", "DOCUMENT_NAMES", "describe", "required_documents", "run", "run_all"]


@dataclass(frozen=True)
class _Span:
    """A date range without the dashboard's 60-month limit: a case's whole life."""

    start: dt.date
    end: dt.date


WHOLE_LIFE = _Span(dt.date(1970, 1, 1), dt.date(2999, 12, 31))

#: Names of the documents the checks speak of (the catalog's template names).
DOCUMENT_NAMES = {
    "filing_approval": "立案审批表",
    "penalty_notice": "行政处罚事先告知书",
    "hearing_notice": "听证告知书",
    "review_opinion": "法制审核意见书",
    "penalty_decision": "行政处罚决定书",
    "service_receipt": "送达回证",
}
#: Documents that carry a document number (文号): the decision and the numbered notices.
NUMBERED_TEMPLATES = frozenset({"penalty_decision", *NUMBER_SUFFIXES})


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check on one case: ``passed`` and the evidence that decides it."""

    code: str
    passed: bool
    evidence: list[dict] = field(default_factory=list)
    applicable: bool = True

    def as_json(self) -> dict:
        return {"code": self.code, "passed": self.passed, "applicable": self.applicable,
                "evidence": self.evidence}


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def _decision(case: Case) -> Decision | None:
    return Decision.objects.filter(case=case).select_related("decided_by").first()


# ------------------------------------------------------------------------------ documents


def required_documents(case: Case, decision: Decision | None) -> list[str]:
    """The documents a closed case file must hold (必备文书), by kind and by what happened:

    * 立案审批表 — penalty and coercion cases (the filing approval);
    * penalty decision: 行政处罚事先告知书 (APL 第44条), 听证告知书 when a hearing was offered
      (第63条), 行政处罚决定书 and 送达回证 (第61条);
    * 法制审核意见书 — a major decision (第58条) of a kind the legal unit reviews.
    """
    out = []
    if case.kind in (CaseKind.PENALTY, CaseKind.COERCION):
        out.append("filing_approval")
    if case.kind == CaseKind.PENALTY and decision is not None and decision.kind == DecisionKind.PENALTY:
        out.append("penalty_notice")
        if case.hearing_offered:
            out.append("hearing_notice")
    if decision is not None and decision.major and case.kind in (CaseKind.PENALTY, CaseKind.COERCION,
                                                                  CaseKind.PERMIT):
        out.append("review_opinion")
    if case.kind == CaseKind.PENALTY and decision is not None and decision.kind == DecisionKind.PENALTY:
        out += ["penalty_decision", "service_receipt"]
    return out


def check_required_documents(case: Case, today: dt.date) -> CheckResult:
    """必备文书齐全: every required document was issued at least once."""
    required = required_documents(case, _decision(case))
    held = set(IssuedDocument.objects.filter(case=case).values_list("template_code", flat=True))
    missing = [{"kind": "missing_document", "template": code, "name": DOCUMENT_NAMES[code]}
               for code in required if code not in held]
    return CheckResult(CheckCode.REQUIRED_DOCUMENTS, not missing, missing, applicable=bool(required))


def check_documents_formal(case: Case, today: dt.date) -> CheckResult:
    """文书编号、签发: the current version of each numbered document carries its 文号 and its stored
    file; the decision is signed by a person entitled to decide it (the agency head; the unit
    head for a decision that is not major)."""
    evidence = []
    current = (IssuedDocument.objects.filter(case=case, superseded_by__isnull=True)
               .order_by("issued_at", "id"))
    for doc in current:
        if doc.template_code in NUMBERED_TEMPLATES and not doc.document_number.strip():
            evidence.append({"kind": "unnumbered_document", "document": doc.pk, "template": doc.template_code,
                             "name": doc.title, "version": doc.version})
        if doc.evidence_id is None or not doc.sha256:
            evidence.append({"kind": "unstored_document", "document": doc.pk, "template": doc.template_code,
                             "name": doc.title, "version": doc.version})
    decision = _decision(case)
    if decision is not None:
        if not decision.document_number.strip():
            evidence.append({"kind": "unnumbered_decision", "decided_on": _iso(decision.decided_on)})
        signer = decision.decided_by
        entitled = (Role.AGENCY_HEAD,) if decision.major else (Role.AGENCY_HEAD, Role.UNIT_HEAD)
        if not signer.has_role(*entitled):
            evidence.append({"kind": "unsigned_decision", "decision": decision.document_number,
                             "signer": signer.full_name or signer.username, "major": decision.major})
    return CheckResult(CheckCode.DOCUMENTS_FORMAL, not evidence, evidence,
                       applicable=decision is not None or bool(current))


# ------------------------------------------------------------------------ via the metrics


def check_stage_deadlines(case: Case, today: dt.date) -> CheckResult:
    """办案期限: no deadline of the bureau missed (the metric ``deadlines``)."""
    rows = (metrics.deadline_rows(WHOLE_LIFE, today).filter(m_case=case.pk, m_met=False)
            .order_by("due_on").values("name", "due_on", "met_on", "citation"))
    evidence = [{"kind": "deadline_missed", "deadline": r["name"], "due_on": _iso(r["due_on"]),
                 "met_on": _iso(r["met_on"]), "citation": r["citation"]} for r in rows]
    counted = metrics.deadline_rows(WHOLE_LIFE, today).filter(m_case=case.pk).exists()
    return CheckResult(CheckCode.STAGE_DEADLINES, not evidence, evidence, applicable=counted)


def check_legal_review(case: Case, today: dt.date) -> CheckResult:
    """法制审核: a major decision has an approved legal review (the metric ``legal_review``)."""
    rows = metrics.legal_review_rows(WHOLE_LIFE, today).filter(m_case=case.pk)
    evidence = [{"kind": "review_missing", "decision": r["document_number"], "decided_on": _iso(r["decided_on"]),
                 "reasons": r["major_reasons"]}
                for r in rows.filter(m_met=False).values("document_number", "decided_on", "major_reasons")]
    return CheckResult(CheckCode.LEGAL_REVIEW, not evidence, evidence, applicable=rows.exists())


def _activity_label(kind: str) -> str:
    try:
        return str(ActivityKind(kind).label)
    except ValueError:
        return kind


def check_video(case: Case, today: dt.date) -> CheckResult:
    """音像记录: every seizure, production restriction and closure has a video (the metric ``video``)."""
    rows = metrics.video_rows(WHOLE_LIFE, today).filter(m_case=case.pk)
    evidence = [{"kind": "video_missing", "activity": r["pk"], "activity_kind": r["kind"], "on": _iso(r["m_day"])}
                for r in rows.filter(m_met=False).order_by("occurred_at").values("pk", "kind", "m_day")]
    return CheckResult(CheckCode.VIDEO, not evidence, evidence, applicable=rows.exists())


def check_two_officers(case: Case, today: dt.date) -> CheckResult:
    """双人持证执法: every on-site activity had two officers with a valid certificate on the day
    (the metric ``two_officers``)."""
    rows = metrics.two_officer_rows(WHOLE_LIFE, today).filter(m_case=case.pk)
    evidence = [{"kind": "officers_short", "activity": r["pk"], "activity_kind": r["kind"], "on": _iso(r["m_day"]),
                 "officers": r["m_officers"], "required": MIN_OFFICERS}
                for r in rows.filter(m_met=False).order_by("occurred_at").values("pk", "kind", "m_day",
                                                                                   "m_officers")]
    return CheckResult(CheckCode.TWO_OFFICERS, not evidence, evidence, applicable=rows.exists())


def check_publication(case: Case, today: dt.date) -> CheckResult:
    """按时公示: the decision was published by its due date (the metric ``publication``); a
    decision that must be published but was never put in the publication queue fails too."""
    rows = metrics.publication_rows(WHOLE_LIFE, today).filter(subject=case.ref)
    evidence = [{"kind": "publication_late" if r["m_published"] else "publication_missing",
                 "due_on": _iso(r["due_on"]), "published_on": _iso(r["m_published"])}
                for r in rows.filter(m_met=False).values("due_on", "m_published")]
    applicable = rows.exists()
    decision = _decision(case)
    if decision is not None and not (case.secret or case.involves_minor):
        applicable = True
        if not PublicationItem.objects.filter(subject=case.ref).exists():
            evidence.append({"kind": "publication_not_scheduled", "decided_on": _iso(decision.decided_on)})
    return CheckResult(CheckCode.PUBLICATION, not evidence, evidence, applicable=applicable)


CHECKS: dict[str, Callable[[Case, dt.date], CheckResult]] = {
    CheckCode.REQUIRED_DOCUMENTS: check_required_documents,
    CheckCode.STAGE_DEADLINES: check_stage_deadlines,
    CheckCode.LEGAL_REVIEW: check_legal_review,
    CheckCode.VIDEO: check_video,
    CheckCode.PUBLICATION: check_publication,
    CheckCode.TWO_OFFICERS: check_two_officers,
    CheckCode.DOCUMENTS_FORMAL: check_documents_formal,
}


def run(code: str, case: Case, today: dt.date | None = None) -> CheckResult:
    """One check on one case (``KeyError`` for an unknown code)."""
    return CHECKS[code](case, today or timezone.localdate())


def run_all(case: Case, today: dt.date | None = None) -> dict[str, CheckResult]:
    """Every check on one case, by code."""
    today = today or timezone.localdate()
    return {code: check(case, today) for code, check in CHECKS.items()}


# ------------------------------------------------------------------------------ wording


def _deadline_label(name: str) -> str:
    return {"filing": _("filing"), "decision": _("decision"), "review": _("legal review"),
            "service": _("service")}.get(name, name)


def describe(item: dict) -> str:
    """One evidence item as a sentence in the reader's language."""
    kind = item.get("kind")
    if kind == "missing_document":
        return _("Missing document: %(name)s.") % {"name": item["name"]}
    if kind == "unnumbered_document":
        return _("%(name)s (version %(v)s) has no document number.") % {"name": item["name"], "v": item["version"]}
    if kind == "unstored_document":
        return _("%(name)s (version %(v)s) has no stored file.") % {"name": item["name"], "v": item["version"]}
    if kind == "unnumbered_decision":
        return _("The decision of %(day)s has no document number.") % {"day": item["decided_on"]}
    if kind == "unsigned_decision":
        return _("Decision %(number)s was signed by %(signer)s, who may not sign it.") % {
            "number": item["decision"], "signer": item["signer"]}
    if kind == "deadline_missed":
        if item.get("met_on"):
            return _("The %(name)s deadline of %(due)s was met late, on %(met)s.") % {
                "name": _deadline_label(item["deadline"]), "due": item["due_on"], "met": item["met_on"]}
        return _("The %(name)s deadline of %(due)s was never met.") % {
            "name": _deadline_label(item["deadline"]), "due": item["due_on"]}
    if kind == "review_missing":
        return _("Major decision %(number)s of %(day)s has no approved legal review.") % {
            "number": item["decision"], "day": item["decided_on"]}
    if kind == "video_missing":
        return _("%(activity)s on %(day)s has no video record.") % {
            "activity": _activity_label(item["activity_kind"]), "day": item["on"]}
    if kind == "officers_short":
        return _("%(activity)s on %(day)s: %(n)s officer(s) with a valid certificate, %(required)s required.") % {
            "activity": _activity_label(item["activity_kind"]), "day": item["on"], "n": item["officers"],
            "required": item["required"]}
    if kind == "publication_late":
        return _("Published on %(published)s, due by %(due)s.") % {"published": item["published_on"],
                                                                    "due": item["due_on"]}
    if kind == "publication_missing":
        return _("Not published; due by %(due)s.") % {"due": item["due_on"]}
    if kind == "publication_not_scheduled":
        return _("The decision of %(day)s was never put in the publication queue.") % {"day": item["decided_on"]}
    return str(item)
