"""Issuing documents (出具执法文书): render the template in force, store it in the vault, record it.

An issued document never changes: a correction is a new version naming the one it supersedes.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.services import actor_ref
from sanxiang.cases.data.remedies import ELECTRONIC_PAYMENT, PAYMENT_BANK, remedies_for
from sanxiang.cases.documents import render_docx
from sanxiang.cases.documents.numbers import format_document_number
from sanxiang.cases.models import Case, Decision, IssuedDocument
from sanxiang.catalog import selectors as catalog
from sanxiang.catalog.constants import PenaltyType
from sanxiang.core.errors import GuardRefused
from sanxiang.records.services import ledger_append
from sanxiang.records.services_evidence import blob_ingest

ID_TYPES = {"organization": "统一社会信用代码", "individual_business": "统一社会信用代码", "person": "居民身份证号码"}


def document_number(prefix: str, year: int, seq: int) -> str:
    return format_document_number(prefix, year, seq)


def _template_dict(row) -> dict:
    return {"code": row.code, "name": row.name, "version": row.version,
            "effective_from": row.effective_from.isoformat(), "citation": row.citation, "blocks": row.blocks}


def issue_document(*, case: Case, template_code: str, context: dict, actor, document_number: str = "",
                   supersedes: IssuedDocument | None = None, reason: str = "") -> IssuedDocument:
    """Render, store and record one document of a case (inside the caller's transaction)."""
    today = timezone.localdate()
    template = catalog.template_in_force(template_code, today)
    data = render_docx(_template_dict(template), context)
    if supersedes is not None:
        if supersedes.case_id != case.pk or supersedes.template_code != template_code:
            raise GuardRefused("not_the_same_document", _("A correction must supersede the same document."))
        if not reason.strip():
            raise GuardRefused("reason_required", _("Give the reason for the correction."))
    info = blob_ingest(io.BytesIO(data), max_bytes=settings.MAX_UPLOAD_BYTES)
    doc = IssuedDocument.objects.create(
        case=case, template_code=template_code, template_version=template.version, title=template.name,
        document_number=document_number, version=(supersedes.version + 1) if supersedes else 1,
        supersedes=supersedes, correction_reason=reason, sha256=info.sha256, sm3=info.sm3, size=info.size,
        issued_by=actor,
    )
    ledger_append(subject=case.ref, action="document.issued", actor=actor_ref(actor), payload={
        "document": doc.pk, "template": template_code, "template_version": template.version,
        "title": template.name, "document_number": document_number, "version": doc.version,
        "supersedes": supersedes.pk if supersedes else None, "reason": reason,
        "sha256": info.sha256, "sm3": info.sm3, "size": info.size,
    })
    return doc


def _party(case: Case):
    return case.parties.order_by("position").first()


def _cause(case: Case) -> str:
    title = case.title.strip()
    return title[:-1] if title.endswith("案") else title


def _penalty_content(decision: Decision) -> str:
    return decision.conclusion


def decision_context(case: Case, decision: Decision) -> dict:
    """Everything 行政处罚决定书 prints (行政处罚法 第五十九条)."""
    from sanxiang.records.selectors import evidence_list

    party = _party(case)
    matter = catalog.matter_get(case.matter_code, decision.decided_on) if case.matter_code else None
    payment = catalog.time_limit("payment", decision.decided_on)
    statements = [r for r in case.responses.all() if r.kind in ("statement", "waiver")]
    if any(r.kind == "statement" for r in statements):
        handling = "当事人在规定期限内进行了陈述、申辩，本机关已进行复核，其理由不足以改变本决定。"
    elif statements:
        handling = "当事人明确表示放弃陈述、申辩的权利。"
    else:
        handling = "当事人在规定期限内未提出陈述、申辩意见。"
    notice = case.documents.filter(template_code="penalty_notice").order_by("-version").first()
    return {
        "agency_name": case.unit.name,
        "document_number": decision.document_number,
        "party_name": party.name,
        "party_id_type": ID_TYPES.get(party.type, "证件号码"),
        "party_id_number": party.uscc or party.id_number,
        "party_address": party.address or "—",
        "legal_representative": party.legal_representative or None,
        "filed_on": case.registered_on,
        "case_cause": _cause(case),
        "facts": decision.facts,
        "violated_provisions": matter.legal_basis if matter else decision.legal_basis,
        "notice_served_on": case.notified_on or decision.decided_on,
        "notice_number": notice.document_number if notice and notice.document_number else case.number,
        "statement_handling": handling,
        "legal_basis": decision.legal_basis,
        "penalty_content": _penalty_content(decision),
        "decided_on": decision.decided_on,
        "evidence_items": [{"name": f"证据{e.number}：{e.get_kind_display()}",
                            "description": e.description or e.filename or e.blob_id[:12]}
                           for e in evidence_list(subject=case.ref)] or [{"name": "—", "description": "—"}],
        "fine_amount": decision.fine_amount if PenaltyType.FINE in decision.penalty_types else None,
        "payment_deadline_days": payment.days,
        "payment_bank": PAYMENT_BANK,
        "electronic_payment_channel": ELECTRONIC_PAYMENT,
        **remedies_for(case.unit.code),
    }


def issue_decision_document(*, case: Case, decision: Decision, actor) -> IssuedDocument | None:
    """The decision document of a penalty case (行政处罚决定书), numbered with the decision's 文号."""
    if case.kind != "penalty":
        return None
    return issue_document(case=case, template_code="penalty_decision", context=decision_context(case, decision),
                          actor=actor, document_number=decision.document_number)
