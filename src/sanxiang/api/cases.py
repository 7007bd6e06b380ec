"""Cases API (案件接口) — API.md "Cases", "Activities and evidence", "Legal review", "Decision".

Thin: parse, call one service or selector, serialize.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from sanxiang.api.schemas import ErrorOut, PartyIn, RequestSchema
from sanxiang.api.serializers import case_detail, case_summary, decision_out, review_out
from sanxiang.cases import selectors, services
from sanxiang.core.paging import DEFAULT_PAGE_SIZE, paginate
from sanxiang.review import selectors as review_selectors

router = Router(tags=["cases"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class CaseIn(RequestSchema):
    kind: str
    title: str = Field(max_length=200)
    matter_code: str | None = None
    unit: str | None = None
    parties: list[PartyIn] = Field(min_length=1, max_length=50)
    facts: str | None = None
    discovered_on: dt.date | None = None


class CaseFilters(Schema):
    stage: str | None = None
    kind: str | None = None
    q: str | None = None
    unit: str | None = None
    mine: bool = False
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


class TransitionIn(RequestSchema):
    to: str
    note: str = ""


class ParticipantIn(RequestSchema):
    name: str
    role: str = "other"
    id_number: str | None = None
    phone: str | None = None


class ActivityIn(RequestSchema):
    kind: str
    occurred_at: dt.datetime
    officer_ids: list[str] = Field(min_length=0, max_length=20)
    place: str = ""
    notes: str = ""
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=50)


class PartyResponseIn(RequestSchema):
    kind: str
    received_on: dt.date
    text: str = ""


class FlagIn(RequestSchema):
    flag: str
    reason: str


class ProposalIn(RequestSchema):
    penalty_types: list[str]
    fine_amount: str | None = None
    confiscation_amount: str | None = None
    legal_basis: str = ""


class RecusalIn(RequestSchema):
    user_id: str
    reason: str


class ReviewSubmitIn(RequestSchema):
    note: str = ""
    materials: list[str] = Field(default_factory=list)


class FindingsIn(RequestSchema):
    subject: str = ""
    jurisdiction: str = ""
    procedure: str = ""
    facts: str = ""
    law: str = ""
    evidence: str = ""
    discretion: str = ""


class OpinionIn(RequestSchema):
    result: str
    findings: FindingsIn
    text: str = ""


class EscalateIn(RequestSchema):
    reason: str


class SettleIn(RequestSchema):
    settlement: str
    text: str


class CollectiveIn(RequestSchema):
    held_on: dt.date
    attendees: list[str] = Field(min_length=1)
    conclusion: str
    opinions: str = ""


class DecisionIn(RequestSchema):
    kind: str
    penalty_types: list[str] = Field(default_factory=list)
    fine_amount: str | None = None
    confiscation_amount: str | None = None
    decided_on: dt.date
    legal_basis: str
    facts: str
    conclusion: str


class AnnotationIn(RequestSchema):
    text: str


def _user_id(value: str, field: str) -> int:
    from sanxiang.core.errors import InvalidInput

    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput("unknown_user", "Unknown user id.", field=field) from None


@router.post("/cases", response={201: dict, **ERRORS})
def case_create(request: HttpRequest, payload: CaseIn):
    """File a case (立案). Parties' identifiers are checked (GB 32100, GB 11643)."""
    case = services.case_create(
        actor=request.auth, kind=payload.kind, title=payload.title, unit_code=payload.unit,
        matter_code=payload.matter_code or "", facts=payload.facts or "", discovered_on=payload.discovered_on,
        parties=[services.PartyInput(**{k: v or "" for k, v in p.model_dump().items()}) for p in payload.parties],
    )
    return Status(201, case_detail(selectors.case_get(viewer=request.auth, case_id=case.pk), request.auth))


@router.get("/cases", response={200: dict, **ERRORS})
def case_list(request: HttpRequest, filters: Query[CaseFilters]):
    """Cases in the caller's scope, newest first."""
    result = paginate(selectors.case_list(viewer=request.auth, stage=filters.stage, kind=filters.kind, q=filters.q,
                                          unit=filters.unit, mine=filters.mine), filters.page, filters.page_size)
    return {"items": [case_summary(c) for c in result.items], "total": result.total, "page": result.page,
            "page_size": result.page_size}


@router.get("/cases/{case_id}", response={200: dict, **ERRORS})
def case_get(request: HttpRequest, case_id: str):
    return case_detail(selectors.case_get(viewer=request.auth, case_id=case_id), request.auth)


def _detail(request, case_id):
    return case_detail(selectors.case_get(viewer=request.auth, case_id=case_id), request.auth)


@router.post("/cases/{case_id}/transitions", response={200: dict, **ERRORS})
def case_transition(request: HttpRequest, case_id: str, payload: TransitionIn):
    services.case_transition(case_id=case_id, actor=request.auth, to=payload.to, note=payload.note)
    return _detail(request, case_id)


@router.post("/cases/{case_id}/flags", response={200: dict, **ERRORS})
def case_flag(request: HttpRequest, case_id: str, payload: FlagIn):
    services.case_flag_set(case_id=case_id, actor=request.auth, flag=payload.flag, reason=payload.reason)
    return _detail(request, case_id)


@router.put("/cases/{case_id}/proposal", response={200: dict, **ERRORS})
def case_proposal(request: HttpRequest, case_id: str, payload: ProposalIn):
    """The proposed decision (拟处理意见); major, hearing and collective are re-evaluated."""
    services.case_propose(case_id=case_id, actor=request.auth, penalty_types=payload.penalty_types,
                          fine_amount=payload.fine_amount, confiscation_amount=payload.confiscation_amount,
                          legal_basis=payload.legal_basis)
    return _detail(request, case_id)


@router.post("/cases/{case_id}/recusals", response={201: dict, **ERRORS})
def case_recusal(request: HttpRequest, case_id: str, payload: RecusalIn):
    recusal = services.case_recusal_declare(case_id=case_id, actor=request.auth,
                                            user_id=_user_id(payload.user_id, "user_id"), reason=payload.reason)
    return Status(201, {"id": str(recusal.pk), "user_id": str(recusal.user_id), "reason": recusal.reason})


@router.post("/cases/{case_id}/activities", response={201: dict, **ERRORS})
def activity_create(request: HttpRequest, case_id: str, payload: ActivityIn):
    activity = services.activity_record(
        case_id=case_id, actor=request.auth, kind=payload.kind, occurred_at=payload.occurred_at,
        officer_ids=payload.officer_ids, place=payload.place, notes=payload.notes,
        participants=[p.model_dump() for p in payload.participants])
    return Status(201, {"id": str(activity.pk), "kind": activity.kind, "av_required": activity.av_required,
                 "av_recommended": services.recording.video_recommended(activity.kind),
                 "complete": activity.complete})


@router.post("/cases/{case_id}/activities/{activity_id}/complete", response={200: dict, **ERRORS})
def activity_complete(request: HttpRequest, case_id: str, activity_id: str):
    activity = services.activity_complete(case_id=case_id, activity_id=activity_id, actor=request.auth)
    return {"id": str(activity.pk), "kind": activity.kind, "av_required": activity.av_required,
            "complete": activity.complete}


@router.post("/cases/{case_id}/party-responses", response={201: dict, **ERRORS})
def party_response(request: HttpRequest, case_id: str, payload: PartyResponseIn):
    response = services.party_response_record(case_id=case_id, actor=request.auth, kind=payload.kind,
                                              received_on=payload.received_on, text=payload.text)
    return Status(201, {"id": str(response.pk), "kind": response.kind, "received_on": response.received_on})


@router.post("/cases/{case_id}/evidence", response={201: dict, **ERRORS, 413: ErrorOut})
def evidence_upload(request: HttpRequest, case_id: str, file: File[UploadedFile], kind: Form[str],
                    description: Form[str] = "", speakers: Form[str] = "[]", recorded_at: Form[str] = "",
                    recorded_until: Form[str] = "", activity_id: Form[str] = "", device: Form[str] = ""):
    """Upload evidence or an AV record (multipart, streamed to disk, hashed SHA-256 + SM3)."""
    evidence = services.case_evidence_add(
        case_id=case_id, actor=request.auth, stream=file, kind=kind, description=description,
        speakers=speakers, recorded_at=recorded_at, recorded_until=recorded_until, activity_id=activity_id,
        device=device, filename=file.name or "", claimed_content_type=file.content_type or "")
    return Status(201, {"id": str(evidence.pk), "number": evidence.number, "sha256": evidence.blob_id,
                 "sm3": evidence.blob.sm3, "size": evidence.blob.size, "kind": evidence.kind,
                 "content_type": evidence.sniffed_content_type})


class EvidenceFromUploadIn(RequestSchema):
    sha256: str
    kind: str
    description: str = ""
    speakers: list[dict] = Field(default_factory=list)
    recorded_at: dt.datetime
    recorded_until: dt.datetime | None = None
    activity_id: str | None = None
    device: str = ""
    filename: str = ""


@router.post("/cases/{case_id}/evidence/from-upload", response={201: dict, **ERRORS})
def evidence_from_upload(request: HttpRequest, case_id: str, payload: EvidenceFromUploadIn):
    """Register evidence from a finished resumable upload (by its SHA-256)."""
    evidence = services.case_evidence_add(
        case_id=case_id, actor=request.auth, blob_sha256=payload.sha256, kind=payload.kind,
        description=payload.description, speakers=payload.speakers, recorded_at=payload.recorded_at,
        recorded_until=payload.recorded_until, activity_id=payload.activity_id or "", device=payload.device,
        filename=payload.filename)
    return Status(201, {"id": str(evidence.pk), "number": evidence.number, "sha256": evidence.blob_id,
                 "sm3": evidence.blob.sm3, "size": evidence.blob.size, "kind": evidence.kind})


@router.post("/evidence/{evidence_id}/annotations", response={201: dict, **ERRORS})
def evidence_annotate(request: HttpRequest, evidence_id: str, payload: AnnotationIn):
    annotation = services.case_evidence_annotate(evidence_id=evidence_id, actor=request.auth, text=payload.text)
    return Status(201, {"id": str(annotation.pk), "text": annotation.text})


@router.post("/cases/{case_id}/reviews", response={201: dict, **ERRORS})
def review_submit(request: HttpRequest, case_id: str, payload: ReviewSubmitIn):
    submission = services.case_submit_review(case_id=case_id, actor=request.auth, materials=payload.materials,
                                             note=payload.note)
    return Status(201, review_out(submission))


@router.post("/reviews/{review_id}/opinion", response={200: dict, **ERRORS})
def review_opinion(request: HttpRequest, review_id: str, payload: OpinionIn):
    services.case_review_opinion(review_id=review_id, reviewer=request.auth, result=payload.result,
                                 findings=payload.findings.model_dump(), text=payload.text)
    return review_out(review_selectors.review_get(viewer=request.auth, review_id=review_id))


@router.post("/reviews/{review_id}/escalate", response={200: dict, **ERRORS})
def review_escalate(request: HttpRequest, review_id: str, payload: EscalateIn):
    services.case_review_escalate(review_id=review_id, actor=request.auth, reason=payload.reason)
    return review_out(review_selectors.review_get(viewer=request.auth, review_id=review_id))


@router.post("/reviews/{review_id}/settle", response={200: dict, **ERRORS})
def review_settle(request: HttpRequest, review_id: str, payload: SettleIn):
    services.case_review_settle(review_id=review_id, actor=request.auth, settlement=payload.settlement,
                                text=payload.text)
    return review_out(review_selectors.review_get(viewer=request.auth, review_id=review_id))


@router.post("/cases/{case_id}/collective-discussion", response={201: dict, **ERRORS})
def collective_discussion(request: HttpRequest, case_id: str, payload: CollectiveIn):
    record = services.case_collective_discussion(
        case_id=case_id, actor=request.auth, held_on=payload.held_on,
        attendee_ids=[_user_id(a, f"attendees[{i}]") for i, a in enumerate(payload.attendees)],
        conclusion=payload.conclusion, opinions=payload.opinions)
    return Status(201, {"id": str(record.pk), "held_on": record.held_on, "conclusion": record.conclusion})


@router.post("/cases/{case_id}/decision", response={201: dict, **ERRORS})
def decide(request: HttpRequest, case_id: str, payload: DecisionIn):
    """Decide (作出决定): refused with 409 `legal_review_required` for a major case not approved."""
    decision = services.case_decide(case_id=case_id, actor=request.auth, draft=services.DecisionDraft(
        kind=payload.kind, decided_on=payload.decided_on, legal_basis=payload.legal_basis, facts=payload.facts,
        conclusion=payload.conclusion, penalty_types=tuple(payload.penalty_types), fine_amount=payload.fine_amount,
        confiscation_amount=payload.confiscation_amount))
    return Status(201, decision_out(decision))


# ------------------------------------------------------------------------------ issued documents (执法文书)


class DocumentIn(RequestSchema):
    template: str
    activity_id: str | None = None


class CorrectionIn(RequestSchema):
    reason: str
    changes: dict


def _document_out(doc) -> dict:
    newer = next(iter(doc.superseded_by.all()), None)
    return {
        "id": str(doc.pk), "case_id": str(doc.case_id), "template": doc.template_code,
        "template_version": doc.template_version, "title": doc.title,
        "document_number": doc.document_number or None, "version": doc.version,
        "supersedes": str(doc.supersedes_id) if doc.supersedes_id else None,
        "superseded_by": str(newer.pk) if newer else None, "current": newer is None,
        "correction_reason": doc.correction_reason or None,
        "activity_id": str(doc.activity_id) if doc.activity_id else None,
        "evidence_number": doc.evidence.number if doc.evidence_id else None,
        "sha256": doc.sha256, "sm3": doc.sm3, "size": doc.size,
        "issued_by": doc.issued_by.full_name, "issued_at": doc.issued_at,
        "content_url": f"/api/v1/documents/{doc.pk}/content",
    }


@router.get("/cases/{case_id}/documents", response={200: dict, **ERRORS})
def document_list(request: HttpRequest, case_id: str):
    """Issued documents of a case (立案审批表, 笔录, 告知书, 法制审核意见书, 决定书, 送达回证), newest first."""
    from sanxiang.cases import issuing

    docs = issuing.document_list(viewer=request.auth, case_id=case_id)
    return {"items": [_document_out(d) for d in docs], "total": len(docs)}


@router.post("/cases/{case_id}/documents", response={201: dict, **ERRORS})
def document_issue(request: HttpRequest, case_id: str, payload: DocumentIn):
    """Issue a document on demand: a 笔录 or 送达回证 for an activity (`activity_id`), or a case-level
    document not issued yet. 409 `document_already_issued` when it exists: correct it instead."""
    from sanxiang.cases import issuing

    doc = issuing.case_document_issue(case_id=case_id, actor=request.auth, template_code=payload.template,
                                      activity_id=payload.activity_id)
    return Status(201, _document_out(issuing.document_get(viewer=request.auth, document_id=doc.pk)))


@router.post("/documents/{document_id}/corrections", response={201: dict, **ERRORS})
def document_correct(request: HttpRequest, document_id: str, payload: CorrectionIn):
    """Correct a document (更正): a new version superseding this one (kept unchanged), same 文号."""
    from sanxiang.cases import issuing

    doc = issuing.case_document_correct(document_id=document_id, actor=request.auth, reason=payload.reason,
                                        changes=payload.changes)
    return Status(201, _document_out(issuing.document_get(viewer=request.auth, document_id=doc.pk)))


@router.get("/documents/{document_id}/content", response={200: None, **ERRORS, 410: ErrorOut})
def document_content(request: HttpRequest, document_id: str):
    """The issued DOCX, streamed; every read is recorded (EvidenceAccess + `evidence.accessed`)."""
    from django.http import FileResponse

    from sanxiang.cases import issuing

    doc, fh = issuing.case_document_open(document_id=document_id, actor=request.auth)
    response = FileResponse(fh, as_attachment=True, filename=issuing.document_filename(doc),
                            content_type=issuing.DOCX)
    response["Content-Length"] = str(doc.size)
    response["ETag"] = f'"{doc.sha256}"'
    response["Cache-Control"] = "private, no-store"
    return response
