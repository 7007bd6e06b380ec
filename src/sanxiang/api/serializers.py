"""JSON shapes of the cases API (API.md): plain functions from loaded objects to dicts.

No queries beyond the ones the selectors prefetched, plus one per related context
(evidence, reviews, publication) — the case page costs a bounded number of queries.
"""

from __future__ import annotations

from django.utils import timezone

from sanxiang.cases.models import Case, Decision
from sanxiang.core.identifiers import mask_id_number


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def case_summary(case: Case) -> dict:
    return {
        "id": str(case.pk), "number": case.number, "kind": case.kind, "title": case.title, "stage": case.stage,
        "unit": case.unit.code, "unit_name": case.unit.name, "registered_on": case.registered_on,
        "major": case.major,
    }


def party_out(party, *, full: bool) -> dict:
    return {
        "type": party.type, "name": party.name, "uscc": party.uscc or None,
        "id_number": (party.id_number if full else mask_id_number(party.id_number)) or None,
        "legal_representative": party.legal_representative or None, "address": party.address or None,
        "phone": party.phone or None,
    }


def deadline_out(item) -> dict:
    today = timezone.localdate()
    return {"name": item.name, "due_on": item.due_on, "provisional": item.provisional, "met_on": item.met_on,
            "overdue": item.met_on is None and item.due_on < today, "citation": item.citation}


def activity_out(activity) -> dict:
    return {
        "id": str(activity.pk), "kind": activity.kind, "occurred_at": activity.occurred_at, "place": activity.place,
        "notes": activity.notes, "av_required": activity.av_required, "complete": activity.complete,
        "completed_at": activity.completed_at,
        "officers": [{"id": str(o.officer_id), "name": o.officer.user.full_name,
                      "certificate_number": o.certificate_number} for o in activity.officers.all()],
        "participants": [{"name": p["name"], "role": p["role"]} for p in activity.participants],
    }


def evidence_out(evidence) -> dict:
    return {
        "id": str(evidence.pk), "number": evidence.number, "kind": evidence.kind, "sha256": evidence.blob_id,
        "sm3": evidence.blob.sm3, "size": evidence.blob.size, "content_type": evidence.sniffed_content_type,
        "claimed_content_type": evidence.claimed_content_type, "filename": evidence.filename,
        "description": evidence.description, "speakers": evidence.speakers, "device": evidence.device,
        "recorded_at": evidence.recorded_at, "recorded_until": evidence.recorded_until,
        "activity_id": evidence.activity.split(":", 1)[1] if evidence.activity else None,
    }


def review_out(submission, opinion=None, escalation=None) -> dict:
    """A review round; `opinion`/`escalation` when already loaded (else read from the submission)."""
    if opinion is None:
        opinion = getattr(submission, "opinion", None) if submission.pk else None
    if escalation is None:
        escalation = getattr(submission, "escalation", None) if submission.pk else None
    return {
        "id": str(submission.pk), "round": submission.round, "status": submission.status,
        "due_on": submission.due_on, "provisional": submission.due_provisional,
        "submitted_at": submission.submitted_at, "materials": submission.materials, "note": submission.note,
        "major_reasons": submission.major_reasons,
        "opinion": None if opinion is None else {
            "result": opinion.result, "findings": opinion.findings, "text": opinion.text,
            "reviewer": opinion.reviewer.full_name, "given_at": opinion.given_at},
        "escalation": None if escalation is None else {
            "reason": escalation.reason, "raised_at": escalation.raised_at, "settlement": escalation.settlement or None,
            "settlement_text": escalation.settlement_text, "settled_at": escalation.settled_at},
    }


def decision_out(decision: Decision) -> dict:
    from sanxiang.disclosure.models import PublicationItem

    item = PublicationItem.objects.filter(subject=decision.case.ref).first()
    return {
        "id": str(decision.pk), "document_number": decision.document_number, "kind": decision.kind,
        "penalty_types": decision.penalty_types, "fine_amount": _money(decision.fine_amount),
        "confiscation_amount": _money(decision.confiscation_amount), "decided_on": decision.decided_on,
        "legal_basis": decision.legal_basis, "facts": decision.facts, "conclusion": decision.conclusion,
        "major": decision.major, "major_reasons": decision.major_reasons,
        "publication": None if item is None else {"id": str(item.pk), "due_on": item.due_on,
                                                  "provisional": item.provisional, "state": item.state},
    }


def case_detail(case: Case, viewer) -> dict:
    from sanxiang.records.selectors import evidence_list
    from sanxiang.review import selectors as review_selectors

    full = viewer is not None and (viewer.pk in {h.user_id for h in case.handlers.all()}
                                   or viewer.has_role("unit_head", "agency_head", "reviewer"))
    decision = getattr(case, "decision", None)
    out = case_summary(case)
    out.update({
        "matter_code": case.matter_code or None, "facts": case.facts, "discovered_on": case.discovered_on,
        "notified_on": case.notified_on,
        "major": {"value": case.major, "reasons": case.major_reasons},
        "hearing": {"offered": case.hearing_offered, "required_reasons": case.hearing_reasons},
        "collective_discussion": {"required": bool(case.collective_reasons), "reasons": case.collective_reasons},
        "proposal": {"penalty_types": case.proposed_penalty_types,
                     "fine_amount": _money(case.proposed_fine_amount),
                     "confiscation_amount": _money(case.proposed_confiscation_amount),
                     "legal_basis": case.proposed_legal_basis},
        "flags": [{"flag": f.flag, "reason": f.reason, "set_at": f.set_at} for f in case.flags.all()],
        "deadlines": [deadline_out(d) for d in case.deadlines.all()],
        "parties": [party_out(p, full=full) for p in case.parties.all()],
        "handlers": [{"id": str(h.user_id), "name": h.user.full_name} for h in case.handlers.all()],
        "recusals": [{"user_id": str(r.user_id), "name": r.user.full_name, "reason": r.reason}
                     for r in case.recusals.all()],
        "activities": [activity_out(a) for a in case.activities.all()],
        "party_responses": [{"kind": r.kind, "received_on": r.received_on, "text": r.text}
                            for r in case.responses.all()],
        "evidence": [evidence_out(e) for e in evidence_list(subject=case.ref)],
        "reviews": [review_out(r.submission, r.opinion, r.escalation)
                    for r in review_selectors.review_history(case.ref)],
        "decision": decision_out(decision) if decision else None,
        "documents": [{"id": str(d.pk), "template": d.template_code, "title": d.title,
                       "document_number": d.document_number or None, "version": d.version,
                       "sha256": d.sha256, "issued_at": d.issued_at} for d in case.documents.all()],
    })
    out["publication"] = out["decision"]["publication"] if decision else None
    return out

