"""Issuing documents (出具执法文书): render the template in force, store it in the vault, record it.

Every document of the unified templates (``catalog.data.document_templates``) is built here from
the case's own data — nothing is invented: where a value is genuinely not in the data (the
title of the person on site, the way a document was served…) the document prints a blank
(``BLANK``) to fill in by hand, or leaves a ``fillable``/``optional`` item out as the template
allows. Officers and persons present come from the activity's officers and participants.

An issued document never changes: its DOCX is a blob of the evidence vault, registered as an
evidence item of kind ``document`` (so it is numbered, hashed SHA-256 + SM3, listed in the
archive package and checked by ``sanxiang archive check``), and the ``IssuedDocument`` row is
insert-only. A correction is a new version naming the one it supersedes, rendered from the
stored values of the old one with the named changes.

Document numbers (文号, GB/T 9704-2012 §7.2.3, RULES.md R9.3): the unit's prefix for the case
kind (``沪浦环罚``) plus a suffix per document kind (告 prior notice, 听告 hearing notice, 审
review opinion; the decision takes the bare prefix), a gapless sequence per prefix and year
(``services.next_sequence``, row-locked in the issuing transaction).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.services import actor_ref
from sanxiang.cases.constants import ActivityKind, ParticipantRole
from sanxiang.cases.data.remedies import ELECTRONIC_PAYMENT, PAYMENT_BANK, remedies_for
from sanxiang.cases.documents import MissingPlaceholder, TemplateError, placeholders, render_docx
from sanxiang.cases.documents.context import review_findings_rows
from sanxiang.cases.documents.formatting import format_date_cn, format_money
from sanxiang.cases.documents.numbers import format_document_number
from sanxiang.cases.models import Activity, Case, Decision, IssuedDocument
from sanxiang.catalog import selectors as catalog
from sanxiang.catalog.constants import CaseKind, PenaltyType
from sanxiang.catalog.models import DocumentTemplate
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound
from sanxiang.records.ledger.canonical import canonical_sha256
from sanxiang.records.services import ledger_append
from sanxiang.records.services_evidence import blob_ingest, evidence_register

ID_TYPES = {"organization": "统一社会信用代码", "individual_business": "统一社会信用代码", "person": "居民身份证号码"}

#: Printed where the case data does not hold a value the template requires: filled in by hand.
BLANK = "________"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: Templates issued for one activity, and the activity kinds each fits.
ACTIVITY_TEMPLATES: dict[str, frozenset[str]] = {
    "inspection_record": frozenset({ActivityKind.INSPECTION, ActivityKind.EVIDENCE_COLLECTION, ActivityKind.SAMPLING,
                                    ActivityKind.SEIZURE, ActivityKind.PRODUCTION_RESTRICTION, ActivityKind.CLOSURE}),
    "interview_record": frozenset({ActivityKind.INTERVIEW}),
    "service_receipt": frozenset({ActivityKind.SERVICE}),
}
#: The case kinds a template belongs to (absent: every kind).
TEMPLATE_CASE_KINDS: dict[str, frozenset[str]] = {
    "filing_approval": frozenset({CaseKind.PENALTY, CaseKind.COERCION}),
    "penalty_notice": frozenset({CaseKind.PENALTY}),
    "hearing_notice": frozenset({CaseKind.PENALTY}),
    "penalty_decision": frozenset({CaseKind.PENALTY}),
    "review_opinion": frozenset({CaseKind.PENALTY, CaseKind.COERCION, CaseKind.PERMIT}),
}
#: 笔录 are evidence themselves (行政处罚法 第四十六条: 勘验笔录、现场笔录); other documents are not.
RECORD_TEMPLATES = frozenset({"inspection_record", "interview_record"})
#: Documents delivered to the party (listed on the 送达回证).
PARTY_FACING = ("penalty_notice", "hearing_notice", "penalty_decision")
#: 文号 suffix after the unit's prefix, per numbered template (the decision takes the bare prefix).
NUMBER_SUFFIXES = {"penalty_notice": "告", "hearing_notice": "听告", "review_opinion": "审"}
#: Values a correction may not change.
NOT_CORRECTABLE = frozenset({"document_number"})

PENALTY_TEXT = {
    PenaltyType.WARNING: "警告", PenaltyType.FINE: "罚款", PenaltyType.CONFISCATION: "没收违法所得、没收非法财物",
    PenaltyType.SUSPEND_LICENSE: "暂扣许可证件", PenaltyType.REVOKE_LICENSE: "吊销许可证件",
    PenaltyType.PRODUCTION_SUSPENSION: "责令限制生产、停产整治", PenaltyType.CLOSURE: "责令停业、关闭",
    PenaltyType.DAILY_CONTINUOUS_FINE: "按日连续处罚",
    PenaltyType.DETENTION_TRANSFER: "移送公安机关依法予以行政拘留",
}
EVIDENCE_KIND_TEXT = {"video": "音像记录", "audio": "录音", "photo": "照片", "document": "书证",
                      "electronic_data": "电子数据"}
ACTIVITY_TEXT = {
    "inspection": "现场检查", "interview": "调查询问", "evidence_collection": "调取证据", "sampling": "采样",
    "seizure": "查封、扣押", "production_restriction": "责令限制生产、停产整治", "closure": "责令停业、关闭",
    "hearing": "听证", "service": "送达",
}


def document_number(prefix: str, year: int, seq: int) -> str:
    return format_document_number(prefix, year, seq)


def next_document_number(*, unit_code: str, case_kind: str, on: dt.date, suffix: str = "") -> str:
    """The next 文号 of the unit's series, e.g. 沪浦环罚告〔2026〕3号: gapless per prefix and year
    (the counter row stays locked until the issuing transaction ends; a rollback frees the number)."""
    from sanxiang.cases.services import next_sequence

    prefix = catalog.document_prefix(unit_code, case_kind) + suffix
    return format_document_number(prefix, on.year, next_sequence(f"doc:{prefix}:{on.year}"))


# ------------------------------------------------------------------------------ typed JSON values
# The values a document was rendered with are kept with it, so that a correction starts from
# exactly what was issued. Dates, times and money keep their type: {"$date": "2026-11-20"}.


def context_dump(value):
    """Context values → JSON (dates, datetimes and Decimals tagged)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [context_dump(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): context_dump(v) for k, v in value.items()}
    raise TypeError(f"cannot keep a {type(value).__name__} in a document's values")


def context_load(value):
    """The inverse of :func:`context_dump`."""
    if isinstance(value, list):
        return [context_load(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, raw), = value.items()
            if tag == "$decimal":
                return Decimal(raw)
            if tag == "$datetime":
                return dt.datetime.fromisoformat(raw)
            if tag == "$date":
                return dt.date.fromisoformat(raw)
        return {k: context_load(v) for k, v in value.items()}
    return value


# ------------------------------------------------------------------------------ issuing


def _template_dict(row) -> dict:
    return {"code": row.code, "name": row.name, "version": row.version,
            "effective_from": row.effective_from.isoformat(), "citation": row.citation, "blocks": row.blocks}


def _template_row(code: str, version: int | None):
    if version is None:
        return catalog.template_in_force(code, timezone.localdate())
    row = catalog.versions_of(DocumentTemplate, code).filter(version=version).first()
    if row is None:
        raise NotFound("template_not_found", _("No such document template in force."), rule_code=code)
    return row


def issue_document(*, case: Case, template_code: str, context: dict, actor, document_number: str = "",
                   supersedes: IssuedDocument | None = None, reason: str = "", activity: Activity | None = None,
                   template_version: int | None = None) -> IssuedDocument:
    """Render, store and record one document of a case (inside the caller's transaction).

    The DOCX goes into the vault as an evidence item of kind ``document`` (``evidence.registered``);
    the insert-only ``IssuedDocument`` names it; ``document.issued`` records the digests, the 文号,
    the version and what it supersedes. A correction renders the superseded version's template
    version (``template_version``); otherwise the version in force today is used.
    """
    template = _template_row(template_code, template_version)
    if supersedes is not None:
        if supersedes.case_id != case.pk or supersedes.template_code != template_code:
            raise GuardRefused("not_the_same_document", _("A correction must supersede the same document."))
        if not reason.strip():
            raise InvalidInput("field_required", _("Give the reason for the correction."), field="reason")
    data = render_docx(_template_dict(template), context)
    info = blob_ingest(io.BytesIO(data), max_bytes=settings.MAX_UPLOAD_BYTES)
    version = (supersedes.version + 1) if supersedes else 1
    label = template.name + (f"（{document_number}）" if document_number else "") + f"第{version}版"
    description = f"出具文书：{label}" + (f"；更正理由：{reason.strip()}" if supersedes else "")
    evidence = evidence_register(
        subject=case.ref, kind="document", actor=actor_ref(actor), description=description,
        recorded_at=timezone.now(), blob_sha256=info.sha256, activity=activity.ref if activity else "",
        claimed_content_type=DOCX, filename=f"{template.name}-{document_number or case.number}-v{version}.docx",
    )
    stored = context_dump(context)
    doc = IssuedDocument.objects.create(
        case=case, template_code=template_code, template_version=template.version, title=template.name,
        document_number=document_number, version=version, supersedes=supersedes, correction_reason=reason.strip(),
        sha256=info.sha256, sm3=info.sm3, size=info.size, issued_by=actor, activity=activity, evidence=evidence,
        context=stored,
    )
    ledger_append(subject=case.ref, action="document.issued", actor=actor_ref(actor), payload={
        "document": doc.pk, "template": template_code, "template_version": template.version,
        "title": template.name, "document_number": document_number, "version": doc.version,
        "supersedes": supersedes.pk if supersedes else None, "reason": doc.correction_reason,
        "sha256": info.sha256, "sm3": info.sm3, "size": info.size, "evidence_number": evidence.number,
        "activity": activity.ref if activity else None, "context_sha256": canonical_sha256(stored),
    })
    return doc


# ------------------------------------------------------------------------------ shared values


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def _party(case: Case):
    return case.parties.order_by("position").first()


def _matter(case: Case, on: dt.date | None = None):
    if not case.matter_code:
        return None
    try:
        return catalog.matter_get(case.matter_code, on)
    except NotFound:
        return None


def _cause(case: Case) -> str:
    """案由: 涉嫌 + the enforcement matter's name, else the title without its party name and final 案."""
    matter = _matter(case)
    if matter is not None:
        cause = matter.name
    else:
        cause = case.title.strip()
        cause = cause[:-1] if cause.endswith("案") else cause
        party = _party(case)
        if party is not None and cause.startswith(party.name) and len(cause) > len(party.name):
            cause = cause[len(party.name):]
    return cause if cause.startswith("涉嫌") else f"涉嫌{cause}"


def _party_values(case: Case) -> dict:
    party = _party(case)
    return {
        "party_name": party.name,
        "party_id_type": ID_TYPES.get(party.type, "证件号码"),
        "party_id_number": party.uscc or party.id_number or BLANK,
        "legal_representative": party.legal_representative or None,
        "party_address": party.address or BLANK,
    }


def _handler_names(case: Case) -> list[str]:
    return [h.user.full_name for h in case.handlers.select_related("user").order_by("added_at", "id")]


def _contact(case: Case, actor) -> dict:
    """The contact of a notice: the issuing handler (else the first handler); phone and address
    are not in the data and are filled in by hand."""
    names = _handler_names(case)
    person = actor.full_name if actor is not None and actor.full_name in names else (names[0] if names else BLANK)
    return {"contact_person": person, "contact_phone": BLANK, "agency_address": BLANK}


def penalty_text(types, fine: Decimal | None, confiscation: Decimal | None) -> str:
    """The penalty as a sentence: 罚款人民币500,000.00元（伍拾万元整）。"""
    parts = []
    for kind in types:
        if kind == PenaltyType.FINE and fine is not None:
            parts.append(f"罚款人民币{format_money(fine)}")
        elif kind == PenaltyType.CONFISCATION and confiscation is not None:
            parts.append(f"没收违法所得、没收非法财物人民币{format_money(confiscation)}")
        else:
            parts.append(PENALTY_TEXT.get(kind, kind))
    return "；".join(parts) + "。" if parts else BLANK


def _current_documents(case: Case) -> list[IssuedDocument]:
    docs = list(case.documents.order_by("issued_at", "id"))
    superseded = {d.supersedes_id for d in docs if d.supersedes_id}
    return [d for d in docs if d.pk not in superseded]


def _evidence_rows(case: Case, *, activity: Activity | None = None) -> list[dict]:
    """证据 of the case (or of one activity): evidence items and the 笔录 among the issued
    documents (current versions); the other issued documents are not evidence of the facts."""
    from sanxiang.records.selectors import evidence_list

    docs = {d.evidence_id: d for d in case.documents.select_related("activity") if d.evidence_id}
    superseded = {d.supersedes_id for d in docs.values() if d.supersedes_id}
    rows = []
    items = evidence_list(subject=case.ref)
    if activity is not None:
        items = items.filter(activity=activity.ref)
    for item in items:
        doc = docs.get(item.pk)
        if doc is not None:
            if doc.template_code not in RECORD_TEMPLATES or doc.pk in superseded:
                continue
            when = doc.activity.occurred_at if doc.activity else doc.issued_at
            what = ACTIVITY_TEXT.get(doc.activity.kind, "") if doc.activity else ""
            rows.append({"name": f"{doc.title}（{format_date_cn(_local(when))}）",
                         "description": f"证明{format_date_cn(_local(when))}{what}时的情况"})
            continue
        name = f"{EVIDENCE_KIND_TEXT.get(item.kind, item.kind)}（证据{item.number}）"
        if item.filename:
            name += f"：{item.filename}"
        rows.append({"name": name, "description": item.description or BLANK})
    return rows


def _officer_rows(activity: Activity) -> list[dict]:
    return [{"name": o.officer.user.full_name, "certificate_number": o.certificate_number,
             "unit": o.officer.user.unit.name if o.officer.user.unit else BLANK}
            for o in activity.officers.select_related("officer__user__unit").order_by("id")]


def _recorder(activity: Activity) -> str:
    """记录人: whoever recorded the act, if he was one of the officers present."""
    present = {o.officer.user_id for o in activity.officers.select_related("officer")}
    return activity.created_by.full_name if activity.created_by_id in present else BLANK


def _participant(activity: Activity, *roles: str) -> dict | None:
    for role in roles:
        for person in activity.participants or []:
            if person.get("role") == role:
                return person
    return None


def _gender(id_number: str) -> str:
    """GB 11643-1999: the 17th character is odd for men (RULES.md R9.1)."""
    if len(id_number) == 18 and id_number[16].isdigit():
        return "男" if int(id_number[16]) % 2 else "女"
    return BLANK


def _av_record(activity: Activity):
    from sanxiang.records.selectors import evidence_for_activity

    items = [e for e in evidence_for_activity(activity=activity.ref) if e.kind in ("video", "audio")]
    return min(items, key=lambda e: e.recorded_at) if items else None


# ------------------------------------------------------------------------------ context builders


def filing_context(case: Case) -> dict:
    """立案审批表 (行政处罚法 第五十四条; 生态环境行政处罚办法 第十八条). The opinions and the
    approval are signed on paper (fillable)."""
    matter = _matter(case, case.registered_on)
    party = _party(case)
    return {
        "agency_name": case.unit.name,
        "case_number": case.number,
        "case_source": BLANK,
        "case_cause": _cause(case),
        "clue_found_on": case.discovered_on or BLANK,
        **_party_values(case),
        "party_phone": party.phone or None,
        "case_summary": case.facts or BLANK,
        "violated_provisions": matter.legal_basis if matter else BLANK,
        "legal_basis": (matter.penalty_basis if matter else case.proposed_legal_basis) or BLANK,
        "filing_reason": BLANK,
        "handler_names": _handler_names(case) or BLANK,
        "handler_opinion": None,
        "unit_head_opinion": None,
        "agency_head_opinion": None,
        "approved_on": None,
    }


def inspection_context(case: Case, activity: Activity) -> dict:
    """现场检查（勘察）笔录 of an on-site act: officers as recorded, the person on site from the
    participants (the party's staff, else its agent)."""
    onsite = _participant(activity, ParticipantRole.PARTY_STAFF, ParticipantRole.AGENT)
    av = _av_record(activity)
    return {
        "agency_name": case.unit.name,
        "case_number": case.number,
        "inspected_from": _local(activity.occurred_at),
        "inspected_until": BLANK,
        "inspection_place": activity.place or BLANK,
        **_party_values(case),
        "onsite_person": onsite["name"] if onsite else BLANK,
        "onsite_person_title": BLANK,
        "onsite_person_phone": (onsite or {}).get("phone") or BLANK,
        "recorder": _recorder(activity),
        "officers": _officer_rows(activity),
        "recording_started_at": _local(av.recorded_at) if av else BLANK,
        "av_device": (av.device or BLANK) if av else BLANK,
        "recusal_answer": BLANK,
        "inspection_findings": activity.notes or BLANK,
        "evidence_items": _evidence_rows(case, activity=activity),
        "party_confirmation": None,
    }


def _relation(case: Case, person: dict) -> str:
    party = _party(case)
    if party.type == "person" and person["name"] == party.name:
        return "当事人本人"
    if party.legal_representative and person["name"] == party.legal_representative:
        return "当事人的法定代表人（负责人）"
    if person.get("role") == ParticipantRole.AGENT:
        return "当事人的委托代理人"
    if person.get("role") == ParticipantRole.PARTY_STAFF:
        return "当事人的工作人员"
    return BLANK


def interview_context(case: Case, activity: Activity) -> dict:
    """调查询问笔录 of an interview: the interviewee from the participants; the questions and
    answers from the activity's notes."""
    person = _participant(activity, ParticipantRole.INTERVIEWEE, ParticipantRole.PARTY_STAFF,
                          ParticipantRole.AGENT, ParticipantRole.WITNESS, ParticipantRole.OTHER)
    id_number = (person or {}).get("id_number") or ""
    return {
        "agency_name": case.unit.name,
        "case_number": case.number,
        "case_cause": _cause(case),
        "interviewed_from": _local(activity.occurred_at),
        "interviewed_until": BLANK,
        "interview_place": activity.place or BLANK,
        "interviewee_name": person["name"] if person else BLANK,
        "interviewee_gender": _gender(id_number),
        "interviewee_id_number": id_number or BLANK,
        "interviewee_employer_title": BLANK,
        "interviewee_relation": _relation(case, person) if person else BLANK,
        "interviewee_phone": (person or {}).get("phone") or None,
        "interviewee_address": None,
        "recorder": _recorder(activity),
        "officers": _officer_rows(activity),
        "rights_acknowledged": BLANK,
        "recusal_answer": BLANK,
        "qa_transcript": activity.notes or BLANK,
        "interviewee_confirmation": None,
    }


def _notice_common(case: Case, number: str, actor) -> dict:
    matter = _matter(case, case.notified_on)
    return {
        "agency_name": case.unit.name,
        "document_number": number,
        **_party_values(case),
        "filed_on": case.registered_on,
        "case_cause": _cause(case),
        "violated_provisions": matter.legal_basis if matter else BLANK,
        "legal_basis": case.proposed_legal_basis or BLANK,
        "proposed_penalty": penalty_text(case.proposed_penalty_types, case.proposed_fine_amount,
                                         case.proposed_confiscation_amount),
        **_contact(case, actor),
        "issued_on": case.notified_on or timezone.localdate(),
    }


def notice_context(case: Case, number: str, actor) -> dict:
    """行政处罚事先告知书 (行政处罚法 第四十四、四十五、六十二、六十三条): facts, evidence, basis,
    proposed penalty, the statement period and — when offered — the hearing period."""
    on = case.notified_on or timezone.localdate()
    return {
        **_notice_common(case, number, actor),
        "facts": case.facts or BLANK,
        "evidence_items": _evidence_rows(case) or [{"name": BLANK, "description": BLANK}],
        "discretion_reasoning": None,
        "statement_days": catalog.time_limit("statement", on).days,
        "hearing_offered": case.hearing_offered,
        "hearing_request_days": catalog.time_limit("hearing_request", on).days,
    }


def hearing_context(case: Case, number: str, actor) -> dict:
    """听证告知书 (行政处罚法 第六十三、六十四条)."""
    on = case.notified_on or timezone.localdate()
    return {
        **_notice_common(case, number, actor),
        "hearing_request_days": catalog.time_limit("hearing_request", on).days,
        "hearing_notice_days": catalog.time_limit("hearing_notice", on).days,
    }


def _review_agency(unit) -> str:
    """The agency a legal unit belongs to (法规处 → 上海市生态环境局)."""
    if unit is None:
        return BLANK
    return unit.parent.name if unit.kind == "legal" and unit.parent_id else unit.name


def review_context(case: Case, submission, opinion, number: str) -> dict:
    """法制审核意见书 (行政处罚法 第五十八条): one finding per review point (RULES.md R7.4)."""
    proposal = submission.proposal or {}
    fine = proposal.get("fine_amount")
    confiscation = proposal.get("confiscation_amount")
    proposed = penalty_text(proposal.get("penalty_types") or [], Decimal(fine) if fine else None,
                            Decimal(confiscation) if confiscation else None)
    if proposal.get("legal_basis"):
        proposed = f"依据{proposal['legal_basis']}，{proposed}"
    unit = opinion.reviewer_unit or opinion.reviewer.unit
    findings = {k: (v or BLANK) for k, v in (opinion.findings or {}).items()}
    return {
        "agency_name": _review_agency(unit),
        "document_number": number,
        "case_name": case.title,
        "case_number": case.number,
        "party_name": _party(case).name,
        "submitting_unit": submission.unit.name if submission.unit_id else case.unit.name,
        "submitted_on": _local(submission.submitted_at).date(),
        "review_round": submission.round,
        "proposed_decision": proposed,
        "major_reasons": [r.get("reason") or r.get("code") for r in submission.major_reasons or []] or "—",
        "review_unit": unit.name if unit else BLANK,
        "findings": review_findings_rows({k: findings.get(k, BLANK) for k in
                                          ("subject", "jurisdiction", "procedure", "facts", "law", "evidence",
                                           "discretion")}),
        "review_result": "同意" if opinion.result == "approved" else "存在问题",
        "review_text": opinion.text or BLANK,
        "reviewers": [opinion.reviewer.full_name],
        "review_unit_head": None,
        "reviewed_on": _local(opinion.given_at).date(),
    }


def _statement_handling(case: Case) -> str:
    """How the party used its rights after the notice (行政处罚法 第四十五、六十四、六十五条), from
    the recorded responses and hearing."""
    kinds = {r.kind for r in case.responses.all() if case.notified_on is None or r.received_on >= case.notified_on}
    if "statement" in kinds:
        text = "你（单位）在规定期限内提出了陈述、申辩意见，我局已进行复核，其理由不足以改变本决定。"
    elif "waiver" in kinds:
        text = "你（单位）明确表示放弃陈述、申辩的权利。"
    else:
        text = "你（单位）在规定期限内未提出陈述、申辩意见。"
    if case.hearing_offered:
        if "hearing_request" in kinds:
            held = case.activities.filter(kind=ActivityKind.HEARING, complete=True).order_by("occurred_at").first()
            text += (f"你（单位）申请听证，我局于{format_date_cn(_local(held.occurred_at))}依法举行了听证。"
                     if held else "你（单位）申请了听证。")
        elif "hearing_waiver" in kinds:
            text += "你（单位）明确表示放弃听证的权利。"
        else:
            text += "你（单位）在规定期限内未要求听证。"
    return text


def decision_context(case: Case, decision: Decision) -> dict:
    """Everything 行政处罚决定书 prints (行政处罚法 第五十九条)."""
    matter = _matter(case, decision.decided_on)
    payment = catalog.time_limit("payment", decision.decided_on)
    handling = _statement_handling(case)
    notice = case.documents.filter(template_code="penalty_notice").order_by("-issued_at", "-id").first()
    return {
        "agency_name": case.unit.name,
        "document_number": decision.document_number,
        **_party_values(case),
        "filed_on": case.registered_on,
        "case_cause": _cause(case),
        "facts": decision.facts,
        "violated_provisions": matter.legal_basis if matter else decision.legal_basis,
        "notice_served_on": case.notified_on or decision.decided_on,
        "notice_number": notice.document_number if notice and notice.document_number else case.number,
        "statement_handling": handling,
        "discretion_reasoning": None,
        "legal_basis": decision.legal_basis,
        "penalty_content": decision.conclusion,
        "decided_on": decision.decided_on,
        "evidence_items": _evidence_rows(case) or [{"name": "—", "description": "—"}],
        "fine_amount": decision.fine_amount if PenaltyType.FINE in decision.penalty_types else None,
        "payment_deadline_days": payment.days,
        "payment_bank": PAYMENT_BANK,
        "electronic_payment_channel": ELECTRONIC_PAYMENT,
        "performance_other": None,
        **remedies_for(case.unit.code),
    }


def _served_documents(case: Case, activity: Activity) -> list[IssuedDocument]:
    """What a service act delivers: the party-facing documents of the latest step (the decision;
    before it, the prior and hearing notices) that no earlier 送达回证 lists; when all are listed
    already (service again), that step's documents."""
    docs = [d for d in _current_documents(case) if d.template_code in PARTY_FACING]
    listed = set()
    for receipt in case.documents.filter(template_code="service_receipt").exclude(activity=activity):
        listed |= {row.get("number") for row in (receipt.context or {}).get("served_documents", [])}
    decision = [d for d in docs if d.template_code == "penalty_decision"]
    latest = decision or docs
    return [d for d in latest if d.document_number not in listed] or latest


def service_context(case: Case, activity: Activity) -> dict:
    """送达回证 of a service act (行政处罚法 第六十一条): the documents it delivers, the servers
    from the officers present. The recipient's signature, proxy, witnesses and remarks are
    written on paper."""
    rows = [{"name": d.title, "number": d.document_number or "—", "copies": 1}
            for d in _served_documents(case, activity)]
    return {
        "agency_name": case.unit.name,
        "served_documents": rows or [{"name": BLANK, "number": BLANK, "copies": BLANK}],
        "recipient_name": _party(case).name,
        "service_place": activity.place or BLANK,
        "service_method": BLANK,
        "server_names": [f"{r['name']}（{r['certificate_number']}）" for r in _officer_rows(activity)] or BLANK,
        "served_at": _local(activity.occurred_at),
        "recipient_signature": None,
        "received_at": None,
        "proxy_recipient": None,
        "witnesses": None,
        "service_remarks": None,
    }


# ------------------------------------------------------------------------------ issuing at each step


def issue_filing_approval(*, case: Case, actor) -> IssuedDocument | None:
    """立案审批表, when a penalty case is filed."""
    if case.kind != CaseKind.PENALTY:
        return None
    return issue_document(case=case, template_code="filing_approval", context=filing_context(case), actor=actor)


def _issue_notice(case: Case, actor, template_code: str) -> IssuedDocument:
    number = next_document_number(unit_code=case.unit.code, case_kind=case.kind,
                                  on=case.notified_on or timezone.localdate(), suffix=NUMBER_SUFFIXES[template_code])
    build = notice_context if template_code == "penalty_notice" else hearing_context
    return issue_document(case=case, template_code=template_code, context=build(case, number, actor), actor=actor,
                          document_number=number)


def issue_notices(*, case: Case, actor) -> list[IssuedDocument]:
    """At notification of a penalty case: 行政处罚事先告知书 (…罚告〔2026〕N号) and, when a hearing
    is offered, 听证告知书 (…罚听告〔2026〕N号)."""
    if case.kind != CaseKind.PENALTY:
        return []
    docs = [_issue_notice(case, actor, "penalty_notice")]
    if case.hearing_offered:
        docs.append(_issue_notice(case, actor, "hearing_notice"))
    return docs


def issue_review_opinion(*, case: Case, submission, opinion, actor) -> IssuedDocument | None:
    """法制审核意见书, when the reviewer gives the opinion; numbered in the legal unit's series
    (its prefix for the case kind + 审)."""
    from sanxiang.records import logs
    from sanxiang.records.models.ledger import LEDGER_LOG

    if case.kind not in TEMPLATE_CASE_KINDS["review_opinion"]:
        return None
    # The opinion is on the ledger before it is numbered: take the ledger head first on every path
    # to this series (lock order ledger head → 审 counter), so that two reviews never deadlock.
    logs.locked_head(LEDGER_LOG)
    unit = opinion.reviewer_unit or opinion.reviewer.unit
    number = next_document_number(unit_code=(unit or case.unit).code, case_kind=case.kind,
                                  on=_local(opinion.given_at).date(), suffix=NUMBER_SUFFIXES["review_opinion"])
    return issue_document(case=case, template_code="review_opinion",
                          context=review_context(case, submission, opinion, number), actor=actor,
                          document_number=number)


def issue_decision_document(*, case: Case, decision: Decision, actor) -> IssuedDocument | None:
    """The decision document of a penalty case (行政处罚决定书), numbered with the decision's 文号."""
    if case.kind != CaseKind.PENALTY:
        return None
    return issue_document(case=case, template_code="penalty_decision", context=decision_context(case, decision),
                          actor=actor, document_number=decision.document_number)


def issue_activity_record(*, case: Case, activity: Activity, actor, template_code: str) -> IssuedDocument:
    """现场检查（勘察）笔录 / 调查询问笔录 / 送达回证 of one activity."""
    build = {"inspection_record": inspection_context, "interview_record": interview_context,
             "service_receipt": service_context}[template_code]
    return issue_document(case=case, template_code=template_code, context=build(case, activity), actor=actor,
                          activity=activity)


def issue_service_receipt(*, case: Case, activity: Activity, actor) -> IssuedDocument | None:
    """送达回证, when a service act is completed (unless one was already issued for it)."""
    if activity.kind != ActivityKind.SERVICE or case.documents.filter(template_code="service_receipt",
                                                                      activity=activity).exists():
        return None
    return issue_activity_record(case=case, activity=activity, actor=actor, template_code="service_receipt")


# ------------------------------------------------------------------------------ services


def _int_or_none(value) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _require_not_archived(case: Case) -> None:
    if case.stage == "archived":
        raise GuardRefused("case_archived", _("The case is archived; its file can no longer change."))


def _latest_reviewed_round(case: Case):
    from sanxiang.review import selectors as review_selectors

    rounds = [r for r in review_selectors.review_history(case.ref) if r.opinion is not None]
    return rounds[-1] if rounds else None


@transaction.atomic
def case_document_issue(*, case_id, actor, template_code: str, activity_id=None) -> IssuedDocument:
    """Issue a document on demand (出具文书): a 笔录 or 送达回证 for an activity, or a case-level
    document not issued yet (e.g. for a case filed before automatic issuance).

    Handlers and the unit head; outside the caller's scope 404; one transaction.
    """
    from sanxiang.cases import services
    from sanxiang.catalog.data.document_templates import TEMPLATE_CODES

    case = services._locked_case(case_id, actor)
    services._require_handler_or_unit_head(case, actor)
    _require_not_archived(case)
    if template_code not in TEMPLATE_CODES:
        raise InvalidInput("unknown_template", _("Unknown document template."), field="template",
                           allowed=list(TEMPLATE_CODES))
    kinds = TEMPLATE_CASE_KINDS.get(template_code)
    if kinds is not None and case.kind not in kinds:
        raise GuardRefused("template_not_for_case_kind", _("This document does not belong to this kind of case."),
                           template=template_code, kind=case.kind)
    if template_code in ACTIVITY_TEMPLATES:
        if activity_id in (None, ""):
            raise InvalidInput("field_required", _("Name the activity the document records."), field="activity_id")
        activity = Activity.objects.filter(case=case, pk=_int_or_none(activity_id)).first()
        if activity is None:
            raise InvalidInput("unknown_activity", _("No such activity in this case."), field="activity_id")
        if activity.kind not in ACTIVITY_TEMPLATES[template_code]:
            raise InvalidInput("activity_kind_mismatch", _("This document does not fit this kind of activity."),
                               field="activity_id", kind=activity.kind)
        existing = case.documents.filter(template_code=template_code, activity=activity, supersedes__isnull=True)
        if existing.exists():
            raise GuardRefused("document_already_issued",
                               _("This document is already issued for the activity; correct it instead."),
                               document_id=str(existing.first().pk))
        return issue_activity_record(case=case, activity=activity, actor=actor, template_code=template_code)
    if activity_id not in (None, ""):
        raise InvalidInput("activity_not_applicable", _("This document is not issued for an activity."),
                           field="activity_id")
    if template_code == "review_opinion":
        reviewed = _latest_reviewed_round(case)
        if reviewed is None:
            raise GuardRefused("review_opinion_required", _("No review opinion has been given yet."))
        for doc in case.documents.filter(template_code="review_opinion", supersedes__isnull=True):
            if (doc.context or {}).get("review_round") == reviewed.submission.round:
                raise GuardRefused("document_already_issued",
                                   _("This document is already issued; correct it instead."), document_id=str(doc.pk))
        return issue_review_opinion(case=case, submission=reviewed.submission, opinion=reviewed.opinion,
                                    actor=actor)
    existing = case.documents.filter(template_code=template_code, supersedes__isnull=True).first()
    if existing is not None:
        raise GuardRefused("document_already_issued", _("This document is already issued; correct it instead."),
                           document_id=str(existing.pk))
    if template_code == "filing_approval":
        return issue_document(case=case, template_code=template_code, context=filing_context(case), actor=actor)
    if template_code in ("penalty_notice", "hearing_notice"):
        if case.notified_on is None:
            raise GuardRefused("not_notified", _("The party has not been notified yet."))
        if template_code == "hearing_notice" and not case.hearing_offered:
            raise GuardRefused("hearing_not_offered", _("No hearing was offered in this case."))
        return _issue_notice(case, actor, template_code)
    decision = getattr(case, "decision", None)
    if decision is None:
        raise GuardRefused("decision_required", _("There is no decision yet."))
    return issue_decision_document(case=case, decision=decision, actor=actor)


def _change_value(key: str, new, old):
    """A changed value, of the type of the value it replaces."""
    field = f"changes.{key}"

    def bad():
        return InvalidInput("invalid_change", _("Invalid value for %(field)s.") % {"field": field}, field=field)

    if isinstance(old, bool):
        if not isinstance(new, bool):
            raise bad()
        return new
    if isinstance(old, Decimal):
        try:
            value = Decimal(str(new)) if isinstance(new, str | int) and not isinstance(new, bool) else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0:
            raise bad()
        return value.quantize(Decimal("0.01"))
    if isinstance(old, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(new) if isinstance(new, str) else None
        except ValueError:
            value = None
        if value is None:
            raise bad()
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(old, dt.date):
        try:
            value = dt.date.fromisoformat(new) if isinstance(new, str) else None
        except ValueError:
            value = None
        if value is None:
            raise bad()
        return value
    if isinstance(old, int) and not isinstance(new, str):
        if isinstance(new, bool) or not isinstance(new, int):
            raise bad()
        return new
    if isinstance(old, list) and old and all(isinstance(r, Mapping) for r in old):
        if not isinstance(new, list) or not all(isinstance(r, Mapping) for r in new):
            raise bad()
        rows = []
        for row in new:
            if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in row.values()):
                raise bad()
            rows.append({str(k): v for k, v in row.items()})
        return rows
    if isinstance(new, list):
        if not all(isinstance(v, str) for v in new):
            raise bad()
        return new
    if new is None or isinstance(new, str):
        return new
    raise bad()


@transaction.atomic
def case_document_correct(*, document_id, actor, reason: str, changes: Mapping) -> IssuedDocument:
    """Correct an issued document (文书更正): a new version, rendered from the old one's values
    with `changes`, naming the version it supersedes; the old one stays as it was. Same 文号.

    Handlers and the unit head; outside the caller's scope 404; only the latest version can be
    corrected (409 `document_superseded`); not on an archived case.
    """
    from sanxiang.cases import services

    found = IssuedDocument.objects.filter(pk=_int_or_none(document_id)).only("case_id").first()
    if found is None:
        raise NotFound("document_not_found", _("No such document."))
    try:
        case = services._locked_case(found.case_id, actor)
    except NotFound:
        raise NotFound("document_not_found", _("No such document.")) from None
    services._require_handler_or_unit_head(case, actor)
    _require_not_archived(case)
    doc = IssuedDocument.objects.select_related("activity").get(pk=found.pk)
    newer = IssuedDocument.objects.filter(supersedes=doc).first()
    if newer is not None:
        raise GuardRefused("document_superseded", _("A newer version exists; correct the latest version."),
                           latest_id=str(newer.pk))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("field_required", _("Give the reason for the correction."), field="reason")
    if not isinstance(changes, Mapping) or not changes:
        raise InvalidInput("field_required", _("Name the values to correct."), field="changes")
    if doc.context is None:
        raise GuardRefused("document_not_correctable",
                           _("The values this document was issued with are not kept; issue a new document."))
    context = context_load(doc.context)
    template = _template_row(doc.template_code, doc.template_version)
    names = {name.split("[", 1)[0] for name in placeholders(_template_dict(template))}
    for key, value in changes.items():
        if key in NOT_CORRECTABLE:
            raise InvalidInput("not_correctable", _("This value cannot be corrected: %(field)s.") % {"field": key},
                               field=f"changes.{key}")
        if key not in names:
            raise InvalidInput("unknown_field", _("Unknown field: %(field)s.") % {"field": f"changes.{key}"},
                               field=f"changes.{key}", allowed=sorted(names - NOT_CORRECTABLE))
        context[key] = _change_value(key, value, context.get(key))
    try:
        return issue_document(case=case, template_code=doc.template_code, context=context, actor=actor,
                              document_number=doc.document_number, supersedes=doc, reason=reason,
                              activity=doc.activity, template_version=doc.template_version)
    except MissingPlaceholder as exc:
        raise InvalidInput("field_required", _("This value is required: %(field)s.") % {"field": exc.placeholder},
                           field=f"changes.{exc.placeholder}") from None
    except (TypeError, ValueError, TemplateError) as exc:
        raise InvalidInput("invalid_change", str(exc), field="changes") from None


# ------------------------------------------------------------------------------ reading


def document_list(*, viewer, case_id) -> list[IssuedDocument]:
    """The documents of a case the viewer may read (404 outside his scope), newest first."""
    from sanxiang.cases import selectors

    case = selectors.case_get(viewer=viewer, case_id=case_id)
    return list(case.documents.select_related("evidence", "issued_by").prefetch_related("superseded_by")
                .order_by("-issued_at", "-id"))


def document_get(*, viewer, document_id) -> IssuedDocument:
    """One document, if the viewer may read its case; else 404."""
    from sanxiang.cases.selectors import visible_q

    doc = (IssuedDocument.objects.select_related("evidence", "issued_by", "case")
           .prefetch_related("superseded_by")
           .filter(pk=_int_or_none(document_id), case__in=Case.objects.filter(visible_q(viewer))).first())
    if doc is None:
        raise NotFound("document_not_found", _("No such document."))
    return doc


def case_document_open(*, document_id, actor) -> tuple[IssuedDocument, BinaryIO]:
    """Open an issued document's DOCX (调阅), recorded like any read of the vault
    (``EvidenceAccess`` + ``evidence.accessed``, GD-JL 第26条). The caller closes the file."""
    from sanxiang.records import blobs
    from sanxiang.records.services_evidence import evidence_open

    doc = document_get(viewer=actor, document_id=document_id)
    purpose = f"调阅文书：{doc.title}{doc.document_number}第{doc.version}版"[:200]
    if doc.evidence_id is not None:
        return doc, evidence_open(evidence_id=doc.evidence_id, actor=actor_ref(actor), purpose=purpose)
    try:  # issued before documents were vault items: read the blob, record the read on the ledger
        fh = blobs.blob_store().open(doc.sha256)
    except blobs.BlobMissing:
        from sanxiang.core.errors import Gone

        raise Gone("document_file_missing", _("The file of this document is missing from the vault.")) from None
    with transaction.atomic():
        ledger_append(subject=doc.case.ref, action="document.read", actor=actor_ref(actor),
                      payload={"document": doc.pk, "sha256": doc.sha256, "purpose": purpose})
    return doc, fh


def document_filename(doc: IssuedDocument) -> str:
    return f"{doc.title}-{doc.document_number or doc.case.number}-v{doc.version}.docx"
