"""Oversight selectors (考核监督查询): scoped reads of complaints and supervision notices.

Outside the viewer's scope an object does not exist (``NotFound``, 404). Who sees what:

* a complaint — supervisors (监督考核人员) of the receiving unit and of every unit above it,
  and the handler it is assigned to;
* the complainant's identity — only the handling staff: the assigned handler and the
  supervisors *of the receiving unit*; everyone else sees it masked;
* a supervision notice — supervisors of the issuing unit and above, and the staff of each
  recipient unit (and above), who see the rows of the units in their scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role, UnitKind
from sanxiang.accounts.models import Unit, User
from sanxiang.accounts.selectors import scope_q, unit_is_within
from sanxiang.core.errors import NotFound
from sanxiang.oversight.constants import (
    OPEN_COMPLAINT_STATES,
    OPEN_RECTIFICATION_STATES,
    ComplaintStatus,
    RectificationStatus,
)
from sanxiang.oversight.models import Complaint, NoticeRecipient, SupervisionNotice
from sanxiang.oversight.rules import tracking
from sanxiang.oversight.rules.masking import mask_identity
from sanxiang.records.models import LedgerEntry

COMPLAINT_FILTERS = ("open", "overdue", "mine", *ComplaintStatus.values)


# ------------------------------------------------------------------------------ complaints


def _either(a: Q, b: Q) -> Q:
    """``a | b`` where an empty Q means "everything" (Django drops an empty operand of ``|``)."""
    return Q() if not a or not b else a | b


def complaint_visible_q(viewer: User) -> Q:
    if viewer.has_role(Role.SUPERVISOR):
        return _either(Q(handler=viewer), scope_q(viewer))
    return Q(handler=viewer)


def complaint_list(*, viewer: User, state: str | None = None, today: dt.date | None = None) -> QuerySet[Complaint]:
    """Complaints the viewer may see; ``state`` one of COMPLAINT_FILTERS (open, overdue, mine, a status)."""
    qs = Complaint.objects.filter(complaint_visible_q(viewer)).select_related("unit", "handler")
    today = today or timezone.localdate()
    if state == "open":
        qs = qs.filter(status__in=OPEN_COMPLAINT_STATES)
    elif state == "overdue":
        qs = qs.filter(status__in=OPEN_COMPLAINT_STATES, due_on__lt=today)
    elif state == "mine":
        qs = qs.filter(handler=viewer)
    elif state in ComplaintStatus.values:
        qs = qs.filter(status=state)
    return qs.order_by("-received_at", "-id")


def complaint_get(*, viewer: User, complaint_id) -> Complaint:
    try:
        pk = int(complaint_id)
    except (TypeError, ValueError):
        raise NotFound("complaint_not_found", _("No such complaint.")) from None
    complaint = (Complaint.objects.filter(complaint_visible_q(viewer), pk=pk)
                 .select_related("unit", "handler", "created_by").first())
    if complaint is None:
        raise NotFound("complaint_not_found", _("No such complaint."))
    return complaint


def is_receiving_supervisor(user: User, complaint: Complaint) -> bool:
    """A supervisor of the receiving unit itself (受理单位的监督考核人员)."""
    return user.has_role(Role.SUPERVISOR) and user.unit_id is not None and user.unit_id == complaint.unit_id


def is_supervisor_over(user: User, unit: Unit) -> bool:
    """A supervisor of ``unit`` or of a unit above it."""
    return (user.has_role(Role.SUPERVISOR) and user.unit is not None and unit_is_within(unit, user.unit))


def may_see_identity(user: User, complaint: Complaint) -> bool:
    """The handling staff only: the assigned handler and supervisors of the receiving unit."""
    return (complaint.handler_id is not None and complaint.handler_id == user.pk) or is_receiving_supervisor(
        user, complaint)


def may_handle(user: User, complaint: Complaint) -> bool:
    """Notes, case links, reply: the handler, or a supervisor of the receiving unit or above."""
    return complaint.handler_id == user.pk or is_supervisor_over(user, complaint.unit)


@dataclass(frozen=True)
class Identity:
    """The complainant as the viewer may see him (full or masked)."""

    anonymous: bool
    masked: bool
    name: str
    phone: str
    id_number: str
    email: str


def complainant_for(viewer: User, complaint: Complaint) -> Identity:
    person = getattr(complaint, "complainant", None)
    values = {"name": "", "phone": "", "id_number": "", "email": ""}
    if person is not None:
        values = {k: getattr(person, k) for k in values}
    full = may_see_identity(viewer, complaint)
    if not full:
        values = mask_identity(**values)
    return Identity(anonymous=complaint.anonymous, masked=not full, **values)


def handler_choices(complaint: Complaint) -> QuerySet[User]:
    """Active staff of the receiving unit and the units below it."""
    return (User.objects.filter(is_active=True, unit__path__startswith=complaint.unit.path)
            .select_related("unit").order_by("unit__path", "full_name"))


def subject_timeline(subject: str) -> list[dict]:
    """The ledger entries of a complaint or notice (action, who, when), oldest first."""
    entries = list(LedgerEntry.objects.filter(subject=subject).order_by("seq")
                   .values("seq", "at", "actor", "action", "entry_hash"))
    ids = {int(e["actor"].split(":", 1)[1]) for e in entries if e["actor"].startswith("user:")}
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    for e in entries:
        actor = e["actor"]
        e["actor_name"] = names.get(int(actor.split(":", 1)[1]), actor) if actor.startswith("user:") else actor
    return entries


def complaint_units() -> QuerySet[Unit]:
    """Units a complaint can be addressed to (the city bureau and the district bureaus)."""
    return Unit.objects.filter(active=True, kind=UnitKind.BUREAU).order_by("path")


@dataclass(frozen=True)
class PublicStatus:
    """What the tracking page shows (投诉办理进度): never the complainant, never internal notes."""

    number: str
    unit_name: str
    status: str
    status_label: str
    received_on: dt.date
    due_on: dt.date
    due_provisional: bool
    replied_on: dt.date | None
    closed_on: dt.date | None
    reply: str


def complaint_public_status(*, code: str) -> PublicStatus:
    """The public status of the complaint with this tracking code; ``NotFound`` otherwise."""
    key = tracking.digest(code)
    complaint = Complaint.objects.select_related("unit").filter(tracking_digest=key).first() if key else None
    if complaint is None:
        raise NotFound("tracking_code_not_found", _("No complaint has this tracking code."))
    published = complaint.status in (ComplaintStatus.REPLIED, ComplaintStatus.CLOSED)
    return PublicStatus(
        number=complaint.number, unit_name=complaint.unit.name, status=complaint.status,
        status_label=str(ComplaintStatus(complaint.status).label), received_on=complaint.received_on,
        due_on=complaint.due_on, due_provisional=complaint.due_provisional,
        replied_on=timezone.localdate(complaint.replied_at) if complaint.replied_at else None,
        closed_on=timezone.localdate(complaint.closed_at) if complaint.closed_at else None,
        reply=complaint.reply if published else "",
    )


# ------------------------------------------------------------------------------ notices


def _recipient_scope_q(viewer: User, prefix: str = "") -> Q:
    if viewer.unit is None:
        return Q(pk__in=[])
    return scope_q(viewer, f"{prefix}unit")


def notice_visible_q(viewer: User) -> Q:
    q = Q(pk__in=NoticeRecipient.objects.filter(_recipient_scope_q(viewer)).values("notice_id"))
    if viewer.has_role(Role.SUPERVISOR):
        return _either(q, scope_q(viewer, "issuing_unit"))
    return q


def notice_list(*, viewer: User, state: str | None = None) -> QuerySet[SupervisionNotice]:
    """Notices the viewer may see; ``state`` ``open`` keeps those with a unit still to finish."""
    qs = SupervisionNotice.objects.filter(notice_visible_q(viewer)).select_related("issuing_unit")
    if state == "open":
        qs = qs.filter(recipients__status__in=OPEN_RECTIFICATION_STATES).distinct()
    return qs.order_by("-issued_at", "-id")


def notice_get(*, viewer: User, notice_id) -> SupervisionNotice:
    try:
        pk = int(notice_id)
    except (TypeError, ValueError):
        raise NotFound("notice_not_found", _("No such supervision notice.")) from None
    notice = (SupervisionNotice.objects.filter(notice_visible_q(viewer), pk=pk)
              .select_related("issuing_unit", "issued_by").first())
    if notice is None:
        raise NotFound("notice_not_found", _("No such supervision notice."))
    return notice


def is_notice_supervisor(user: User, notice: SupervisionNotice) -> bool:
    """A supervisor of the issuing unit or above: accepts or returns reports."""
    return is_supervisor_over(user, notice.issuing_unit)


def may_report_for(user: User, recipient: NoticeRecipient) -> bool:
    """The recipient unit's heads (or supervisors) report its rectification."""
    return (user.unit_id is not None and user.unit_id == recipient.unit_id
            and user.has_role(Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.SUPERVISOR))


def notice_recipients_for(viewer: User, notice: SupervisionNotice) -> QuerySet[NoticeRecipient]:
    """The rows of the notice the viewer may see: all for its supervisors, else his scope's."""
    qs = notice.recipients.select_related("unit", "submitted_by", "reviewed_by", "notice")
    if is_notice_supervisor(viewer, notice):
        return qs
    return qs.filter(_recipient_scope_q(viewer))


def notice_progress(notice: SupervisionNotice, today: dt.date | None = None) -> dict:
    """Units addressed, units accepted, and whether any unit is overdue (derived)."""
    rows = list(notice.recipients.values_list("status", flat=True))
    accepted = rows.count(RectificationStatus.ACCEPTED)
    late = notice.due_on < (today or timezone.localdate())
    return {"total": len(rows), "accepted": accepted, "overdue": late and accepted < len(rows)}
