"""Oversight services (考核监督服务): one function per state change of a complaint (投诉举报) or a
supervision notice (督查通报). Each checks who may act and its guards, changes the state and
appends one ledger entry, in one transaction.

Ledger payloads never carry the complainant's identity or free text that may hold personal
data: the identity is referred to as ``complainant:<id>``, the facts and notes by SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import CERTIFICATE_NUMBER_PATTERN, Role
from sanxiang.accounts.models import Unit, User
from sanxiang.accounts.selectors import units_visible
from sanxiang.calendar import selectors as workdays
from sanxiang.cases import selectors as case_selectors
from sanxiang.catalog import selectors as catalog
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.core.identifiers import IdentifierError, validate_id_number
from sanxiang.oversight import selectors
from sanxiang.oversight.constants import (
    COMPLAINT_TIME_LIMIT,
    OPEN_COMPLAINT_STATES,
    ComplaintChannel,
    ComplaintStatus,
    RectificationStatus,
)
from sanxiang.oversight.models import (
    Complainant,
    Complaint,
    ComplaintCaseLink,
    ComplaintNote,
    NoticeRecipient,
    SupervisionNotice,
)
from sanxiang.oversight.rules import tracking
from sanxiang.records.services import ledger_append

PORTAL_ACTOR = "public:portal"
MAX_TEXT = 10_000
PHONE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$|^\d{7,8}$")


def _actor(user: User) -> str:
    return f"user:{user.pk}"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _text(value: str, field: str, *, required: bool = True, max_length: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput("required", _("This field is required."), field=field)
    if len(text) > max_length:
        raise InvalidInput("too_long", _("At most %(n)d characters.") % {"n": max_length}, field=field)
    return text


# ------------------------------------------------------------------------------ complaints


@dataclass(frozen=True)
class ComplaintInput:
    """What a complainant tells (portal form or staff entry)."""

    unit_code: str
    facts: str
    anonymous: bool = False
    name: str = ""
    phone: str = ""
    id_number: str = ""
    email: str = ""
    officer_certificate: str = ""
    case_reference: str = ""


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    tracking_code: str  # shown once, never stored


def complaint_due(received_on: dt.date) -> tuple[dt.date, bool, dict]:
    """The handling deadline from the time-limit rule in force (date, provisional, rule used)."""
    limit = catalog.time_limit(COMPLAINT_TIME_LIMIT, received_on)
    result = (workdays.add_working_days(received_on, limit.days) if limit.working_days
              else workdays.add_calendar_days(received_on, limit.days))
    return result.date, result.provisional, limit.as_dict()


def _clean_identity(data: ComplaintInput) -> dict[str, str]:
    name = _text(data.name, "name", required=not data.anonymous, max_length=50)
    phone = re.sub(r"[\s()（）]", "", data.phone or "")
    if not phone and not data.anonymous:
        raise InvalidInput("required", _("Give a phone number so that we can reach you."), field="phone")
    if phone and not PHONE.match(phone):
        raise InvalidInput("invalid_phone", _("Enter a mobile number (11 digits) or a landline such as "
                                              "021-12345678."), field="phone")
    id_number = (data.id_number or "").strip()
    if id_number:
        try:
            id_number = validate_id_number(id_number, today=timezone.localdate())
        except IdentifierError:
            raise InvalidInput("invalid_id_number", _("This is not a valid resident ID number (check the 18 "
                                                      "characters)."), field="id_number") from None
    email = (data.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput("invalid_email", _("Enter a valid e-mail address."), field="email") from None
    return {"name": name, "phone": phone, "id_number": id_number, "email": email}


def _clean_subject(data: ComplaintInput) -> tuple[Unit, str, str, str]:
    unit = selectors.complaint_units().filter(code=data.unit_code or "").first()
    if unit is None:
        raise InvalidInput("unknown_unit", _("Choose the bureau or district the complaint concerns."), field="unit")
    facts = _text(data.facts, "facts")
    if len(facts) < 10:
        raise InvalidInput("facts_too_short", _("Describe what happened in at least 10 characters."), field="facts")
    certificate = (data.officer_certificate or "").strip().upper()
    if certificate and not re.fullmatch(CERTIFICATE_NUMBER_PATTERN, certificate):
        raise InvalidInput("invalid_certificate_number",
                           _("A certificate number is 6 to 32 ASCII letters and digits."),
                           field="officer_certificate")
    reference = _text(data.case_reference, "case_reference", required=False, max_length=60)
    return unit, facts, certificate, reference


def _new_number(complaint: Complaint) -> str:
    return f"TS{complaint.received_on.year}-{complaint.pk:06d}"


@transaction.atomic
def complaint_file(*, data: ComplaintInput, channel: str = ComplaintChannel.PORTAL,
                   actor: User | None = None, received_on: dt.date | None = None) -> Filed:
    """File a complaint (受理投诉举报): from the portal (no actor) or entered by a supervisor for a
    complaint received by phone, letter, visit or e-mail. Routed to the unit it concerns; the
    handling deadline comes from the time-limit rule in force; returns the tracking code once."""
    if channel not in ComplaintChannel.values:
        raise InvalidInput("invalid_channel", _("Unknown channel."), field="channel")
    if actor is None and channel != ComplaintChannel.PORTAL:
        raise InvalidInput("invalid_channel", _("Unknown channel."), field="channel")
    unit, facts, certificate, reference = _clean_subject(data)
    identity = _clean_identity(data)
    if actor is not None:
        if not actor.has_role(Role.SUPERVISOR):
            raise PermissionDenied("not_supervisor", _("Only a supervisor (监督考核人员) may register complaints."))
        if not units_visible(actor).filter(pk=unit.pk).exists():
            raise InvalidInput("unknown_unit", _("Choose a unit within your scope."), field="unit")
    today = timezone.localdate()
    received_on = received_on if (actor is not None and received_on) else today
    if received_on > today:
        raise InvalidInput("future_date", _("The date cannot be in the future."), field="received_on")
    due_on, provisional, limit = complaint_due(received_on)
    code = tracking.new_code()
    complaint = Complaint.objects.create(
        number=f"pending-{tracking.digest(code)[:12]}", tracking_digest=tracking.digest(code), unit=unit,
        channel=channel, anonymous=data.anonymous, officer_certificate=certificate, case_reference=reference,
        facts=facts, received_on=received_on, due_on=due_on, due_provisional=provisional, time_limit=limit,
        created_by=actor,
    )
    complaint.number = _new_number(complaint)
    complaint.save(update_fields=["number"])
    person = Complainant.objects.create(complaint=complaint, **identity)
    ledger_append(
        subject=complaint.ref, action="complaint.received", actor=_actor(actor) if actor else PORTAL_ACTOR,
        payload={"number": complaint.number, "unit": unit.code, "channel": channel,
                 "anonymous": data.anonymous, "complainant": f"complainant:{person.pk}",
                 "facts_sha256": _sha(facts), "officer_certificate": certificate,
                 "case_reference": reference, "received_on": received_on.isoformat(),
                 "due_on": due_on.isoformat(), "due_provisional": provisional,
                 "time_limit": {"name": limit["name"], "version": limit["version"]}},
    )
    return Filed(complaint, code)


def _lock(complaint_id: int) -> Complaint:
    return Complaint.objects.select_for_update().select_related("unit").get(pk=complaint_id)


def _closed_guard(complaint: Complaint) -> None:
    if complaint.status == ComplaintStatus.CLOSED:
        raise GuardRefused("complaint_closed", _("The complaint is closed."))


@transaction.atomic
def complaint_assign(*, complaint_id: int, actor: User, handler_id: int) -> Complaint:
    """Assign (or reassign) the complaint to a handler (分派承办人): a supervisor of the receiving
    unit or above; the handler is staff of the receiving unit or a unit below it, and never the
    officer the complaint names (回避)."""
    complaint = _lock(selectors.complaint_get(viewer=actor, complaint_id=complaint_id).pk)
    if not selectors.is_supervisor_over(actor, complaint.unit):
        raise PermissionDenied("not_supervisor", _("Only a supervisor of the receiving unit may assign."))
    _closed_guard(complaint)
    handler = selectors.handler_choices(complaint).filter(pk=handler_id).first()
    if handler is None:
        raise InvalidInput("invalid_handler", _("Choose a member of the receiving unit's staff."), field="handler")
    named = (complaint.officer_certificate or "").strip().upper()
    officer = getattr(handler, "officer", None) if named else None
    if officer is not None and officer.certificate_number.upper() == named:
        raise GuardRefused("handler_recused", _("The officer the complaint is about may not handle it (回避)."),
                           field="handler")
    previous = complaint.handler_id
    complaint.handler = handler
    complaint.assigned_at = timezone.now()
    if complaint.status == ComplaintStatus.RECEIVED:
        complaint.status = ComplaintStatus.HANDLING
    complaint.save(update_fields=["handler", "assigned_at", "status"])
    ledger_append(subject=complaint.ref, action="complaint.assigned", actor=_actor(actor),
                  payload={"handler": f"user:{handler.pk}", "previous": f"user:{previous}" if previous else None})
    return complaint


def _handling_guard(actor: User, complaint: Complaint) -> None:
    if not selectors.may_handle(actor, complaint):
        raise PermissionDenied("not_handler", _("Only the handler or a supervisor of the receiving unit may "
                                                "do this."))
    _closed_guard(complaint)


@transaction.atomic
def complaint_add_note(*, complaint_id: int, actor: User, text: str) -> ComplaintNote:
    """Add an entry to the handling record (办理记录); entries are never changed or removed."""
    complaint = _lock(selectors.complaint_get(viewer=actor, complaint_id=complaint_id).pk)
    _handling_guard(actor, complaint)
    text = _text(text, "text")
    note = ComplaintNote.objects.create(complaint=complaint, author=actor, text=text)
    ledger_append(subject=complaint.ref, action="complaint.noted", actor=_actor(actor),
                  payload={"note": note.pk, "text_sha256": _sha(text)})
    return note


@transaction.atomic
def complaint_link_case(*, complaint_id: int, actor: User, case_number: str) -> ComplaintCaseLink:
    """Link a case the complaint concerns (关联案件); only a case within the actor's own scope."""
    complaint = _lock(selectors.complaint_get(viewer=actor, complaint_id=complaint_id).pk)
    _handling_guard(actor, complaint)
    number = (case_number or "").strip()
    case = case_selectors.case_list(viewer=actor).filter(number=number).first() if number else None
    if case is None:
        raise InvalidInput("case_not_found", _("No case with this number in your scope."), field="case_number")
    try:
        with transaction.atomic():
            link = ComplaintCaseLink.objects.create(complaint=complaint, case=case, linked_by=actor)
    except IntegrityError:
        raise GuardRefused("already_linked", _("This case is already linked.")) from None
    ledger_append(subject=complaint.ref, action="complaint.case_linked", actor=_actor(actor),
                  payload={"case": case.ref, "case_number": case.number})
    return link


@transaction.atomic
def complaint_reply(*, complaint_id: int, actor: User, text: str) -> Complaint:
    """Give the public reply (答复): shown on the tracking page; the complaint can then be closed."""
    complaint = _lock(selectors.complaint_get(viewer=actor, complaint_id=complaint_id).pk)
    _handling_guard(actor, complaint)
    if complaint.handler_id is None:
        raise GuardRefused("handler_required", _("Assign a handler before replying."))
    text = _text(text, "text")
    complaint.reply = text
    complaint.replied_at = timezone.now()
    complaint.status = ComplaintStatus.REPLIED
    complaint.save(update_fields=["reply", "replied_at", "status"])
    ledger_append(subject=complaint.ref, action="complaint.replied", actor=_actor(actor),
                  payload={"reply_sha256": _sha(text), "replied_on": timezone.localdate().isoformat(),
                           "overdue": timezone.localdate(complaint.replied_at) > complaint.due_on})
    return complaint


@transaction.atomic
def complaint_close(*, complaint_id: int, actor: User) -> Complaint:
    """Close the complaint (办结) once it has been replied to: the handler or a supervisor."""
    complaint = _lock(selectors.complaint_get(viewer=actor, complaint_id=complaint_id).pk)
    _handling_guard(actor, complaint)
    if complaint.status in OPEN_COMPLAINT_STATES:
        raise GuardRefused("reply_required", _("Reply to the complainant before closing."))
    complaint.status = ComplaintStatus.CLOSED
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["status", "closed_at"])
    ledger_append(subject=complaint.ref, action="complaint.closed", actor=_actor(actor), payload={})
    return complaint


# ------------------------------------------------------------------------------ notices


@transaction.atomic
def notice_issue(*, actor: User, title: str, findings: str, required_rectification: str, due_on: dt.date,
                 unit_codes: list[str]) -> SupervisionNotice:
    """Issue a supervision notice (发布督查通报) to units within the supervisor's scope."""
    if not actor.has_role(Role.SUPERVISOR) or actor.unit is None:
        raise PermissionDenied("not_supervisor", _("Only a supervisor (监督考核人员) may issue notices."))
    title = _text(title, "title", max_length=200)
    findings = _text(findings, "findings")
    required = _text(required_rectification, "required_rectification")
    if due_on is None:
        raise InvalidInput("required", _("This field is required."), field="due_on")
    if due_on < timezone.localdate():
        raise InvalidInput("past_date", _("The due date cannot be in the past."), field="due_on")
    codes = list(dict.fromkeys(c for c in unit_codes or [] if c))
    units = list(units_visible(actor).filter(code__in=codes).exclude(pk=actor.unit_id))
    if not codes:
        raise InvalidInput("required", _("Choose at least one unit."), field="units")
    if len(units) != len(codes):
        raise InvalidInput("unknown_unit", _("Choose units within your scope."), field="units")
    notice = SupervisionNotice.objects.create(
        number=f"pending-{uuid.uuid4().hex[:12]}", title=title, findings=findings,
        required_rectification=required, due_on=due_on, issuing_unit=actor.unit, issued_by=actor)
    notice.number = f"DC{timezone.localdate(notice.issued_at).year}-{notice.pk:05d}"
    notice.save(update_fields=["number"])
    NoticeRecipient.objects.bulk_create([NoticeRecipient(notice=notice, unit=u) for u in units])
    ledger_append(subject=notice.ref, action="notice.issued", actor=_actor(actor),
                  payload={"number": notice.number, "title": title, "findings": findings,
                           "required_rectification": required, "due_on": due_on.isoformat(),
                           "issuing_unit": actor.unit.code, "units": sorted(u.code for u in units)})
    return notice


def _recipient(actor: User, notice_id: int, unit_code: str) -> NoticeRecipient:
    notice = selectors.notice_get(viewer=actor, notice_id=notice_id)
    recipient = (selectors.notice_recipients_for(actor, notice).filter(unit__code=unit_code).first())
    if recipient is None:
        raise NotFound("recipient_not_found", _("This unit is not addressed by the notice."))
    return NoticeRecipient.objects.select_for_update().select_related("notice", "notice__issuing_unit",
                                                                      "unit").get(pk=recipient.pk)


@transaction.atomic
def notice_submit_report(*, notice_id: int, unit_code: str, actor: User, report: str) -> NoticeRecipient:
    """A unit reports its rectification (报送整改报告): its head, agency head or supervisor."""
    recipient = _recipient(actor, notice_id, unit_code)
    if not selectors.may_report_for(actor, recipient):
        raise PermissionDenied("not_recipient", _("Only the head of the addressed unit may report its "
                                                  "rectification."))
    if recipient.status not in (RectificationStatus.PENDING, RectificationStatus.RETURNED):
        raise GuardRefused("report_not_expected", _("A report is not expected now: it was submitted or "
                                                    "accepted."))
    report = _text(report, "report")
    recipient.status = RectificationStatus.SUBMITTED
    recipient.round += 1
    recipient.report = report
    recipient.submitted_at = timezone.now()
    recipient.submitted_by = actor
    recipient.save(update_fields=["status", "round", "report", "submitted_at", "submitted_by"])
    ledger_append(subject=recipient.notice.ref, action="notice.report_submitted", actor=_actor(actor),
                  payload={"unit": recipient.unit.code, "round": recipient.round, "report": report,
                           "overdue": timezone.localdate() > recipient.notice.due_on})
    return recipient


def _review(*, notice_id: int, unit_code: str, actor: User, comment: str, accept: bool) -> NoticeRecipient:
    recipient = _recipient(actor, notice_id, unit_code)
    if not selectors.is_notice_supervisor(actor, recipient.notice):
        raise PermissionDenied("not_supervisor", _("Only a supervisor of the issuing unit may review reports."))
    if recipient.status != RectificationStatus.SUBMITTED:
        raise GuardRefused("no_report", _("There is no submitted report to review."))
    comment = _text(comment, "comment", required=not accept)
    recipient.status = RectificationStatus.ACCEPTED if accept else RectificationStatus.RETURNED
    recipient.review_comment = comment
    recipient.reviewed_at = timezone.now()
    recipient.reviewed_by = actor
    recipient.save(update_fields=["status", "review_comment", "reviewed_at", "reviewed_by"])
    ledger_append(subject=recipient.notice.ref, action="notice.report_accepted" if accept else
                  "notice.report_returned", actor=_actor(actor),
                  payload={"unit": recipient.unit.code, "round": recipient.round, "comment": comment})
    return recipient


@transaction.atomic
def notice_accept_report(*, notice_id: int, unit_code: str, actor: User, comment: str = "") -> NoticeRecipient:
    """Accept a unit's rectification report (验收通过)."""
    return _review(notice_id=notice_id, unit_code=unit_code, actor=actor, comment=comment, accept=True)


@transaction.atomic
def notice_return_report(*, notice_id: int, unit_code: str, actor: User, comment: str) -> NoticeRecipient:
    """Return a unit's report for more work (退回重报), with the reason."""
    return _review(notice_id=notice_id, unit_code=unit_code, actor=actor, comment=comment, accept=False)

