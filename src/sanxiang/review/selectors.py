"""Reads of legal review (法制审核查询).

`review_status`, `review_history`, `collective_discussion_exists` and
`collective_discussions` take a subject and no viewer: the caller (the cases app) has
already scoped the subject. `review_queue` and `review_get` take a viewer: reviewers see
what their legal unit serves, the handling side sees its unit scope, city supervisors see
all; outside that a review is not found (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import User
from sanxiang.accounts.selectors import scope_q, sees_all_units
from sanxiang.core.errors import NotFound
from sanxiang.review.constants import APPROVED_STATUSES, OPEN_STATUSES, SubmissionStatus
from sanxiang.review.models import (
    CollectiveDiscussion,
    ReviewEscalation,
    ReviewOpinion,
    ReviewSubmission,
)
from sanxiang.review.rules import serving

__all__ = [
    "ReviewRound",
    "ReviewStatus",
    "collective_discussion_exists",
    "collective_discussions",
    "review_get",
    "review_history",
    "review_is_approved",
    "review_queue",
    "review_status",
    "review_visible",
]


@dataclass(frozen=True, slots=True)
class ReviewStatus:
    """Where the legal review of a subject stands (latest round)."""

    submission: ReviewSubmission | None
    round: int  # 0 when never submitted
    state: str | None  # SubmissionStatus value of the latest round, None when never submitted
    approved: bool  # latest round approved, or settled approved by the agency head
    due_on: dt.date | None
    provisional: bool
    opinion: ReviewOpinion | None
    escalation: ReviewEscalation | None = None

    @property
    def is_open(self) -> bool:
        """A round is pending or escalated: no new submission until it ends."""
        return self.state in OPEN_STATUSES


@dataclass(frozen=True, slots=True)
class ReviewRound:
    """One round of a subject's review history: the submission, its opinion and escalation."""

    submission: ReviewSubmission
    opinion: ReviewOpinion | None
    escalation: ReviewEscalation | None


def _related(submission: ReviewSubmission, name: str):
    try:
        return getattr(submission, name)
    except ObjectDoesNotExist:
        return None


def _with_related(qs: QuerySet[ReviewSubmission]) -> QuerySet[ReviewSubmission]:
    return qs.select_related("unit", "submitted_by", "opinion", "opinion__reviewer",
                             "escalation", "escalation__raised_by", "escalation__settled_by")


def review_status(subject: str) -> ReviewStatus:
    """The latest round of `subject`: `approved` is what gates the decision (行政处罚法 第58条)."""
    latest = _with_related(ReviewSubmission.objects.filter(subject=subject)).order_by("-round").first()
    if latest is None:
        return ReviewStatus(submission=None, round=0, state=None, approved=False, due_on=None,
                            provisional=False, opinion=None, escalation=None)
    return ReviewStatus(
        submission=latest, round=latest.round, state=latest.status,
        approved=latest.status in APPROVED_STATUSES, due_on=latest.due_on,
        provisional=latest.due_provisional, opinion=_related(latest, "opinion"),
        escalation=_related(latest, "escalation"),
    )


def review_is_approved(subject: str) -> bool:
    """Whether the latest review of `subject` is approved (or settled approved)."""
    return review_status(subject).approved


def review_history(subject: str) -> list[ReviewRound]:
    """Every round of `subject`, oldest first, with its opinion and escalation."""
    qs = _with_related(ReviewSubmission.objects.filter(subject=subject)).order_by("round")
    return [ReviewRound(s, _related(s, "opinion"), _related(s, "escalation")) for s in qs]


def _served_root(viewer: User) -> str | None:
    """Path prefix of the units the viewer reviews for, or None when he is no legal reviewer."""
    unit = viewer.unit
    if unit is None or unit.kind != serving.LEGAL_KIND or not viewer.has_role(Role.REVIEWER):
        return None
    return serving.served_root(unit.parent.path if unit.parent_id else None)


def review_visible(*, viewer: User) -> QuerySet[ReviewSubmission]:
    """Submissions the viewer may see: served by his legal unit (reviewers), in his unit
    scope (handling side, heads), or all (city supervisors)."""
    qs = _with_related(ReviewSubmission.objects.all())
    if sees_all_units(viewer):
        return qs
    visible = scope_q(viewer, "unit")
    root = _served_root(viewer)
    if root is not None:
        visible |= Q(unit__path__startswith=root)
    return qs.filter(visible)


def review_get(*, viewer: User, review_id: int | str) -> ReviewSubmission:
    """A submission by id if the viewer may see it; 404 otherwise (outside scope = not found)."""
    try:
        pk = int(str(review_id))
    except ValueError:
        pk = None
    submission = review_visible(viewer=viewer).filter(pk=pk).first() if pk is not None else None
    if submission is None:
        raise NotFound("review_not_found", _("No such review."))
    return submission


def review_queue(*, viewer: User) -> QuerySet[ReviewSubmission]:
    """Pending submissions the viewer may take (待审队列): served by his legal unit, none he
    submitted or is involved in (R7.2); earliest due first."""
    root = _served_root(viewer)
    if root is None:
        return ReviewSubmission.objects.none()
    qs = (ReviewSubmission.objects.filter(status=SubmissionStatus.PENDING, unit__path__startswith=root)
          .exclude(submitted_by=viewer))
    conflicted = [pk for pk, ids in qs.values_list("pk", "involved_user_ids") if viewer.pk in (ids or [])]
    return _with_related(qs.exclude(pk__in=conflicted)).order_by("due_on", "submitted_at", "pk")


def collective_discussion_exists(subject: str) -> bool:
    """Whether a collective discussion of `subject` is on record (R7.7)."""
    return CollectiveDiscussion.objects.filter(subject=subject).exists()


def collective_discussions(subject: str) -> QuerySet[CollectiveDiscussion]:
    """The collective discussions of `subject`, oldest first."""
    return (CollectiveDiscussion.objects.filter(subject=subject)
            .select_related("unit", "chaired_by", "recorded_by").order_by("held_on", "recorded_at", "pk"))
