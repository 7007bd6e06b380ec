"""Records selectors (reads). Scope is the caller's business: records knows subjects only as
opaque references, so the higher context decides which subjects a viewer may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sanxiang.core.errors import NotFound
from sanxiang.records.models import (
    Blob,
    Evidence,
    EvidenceAccess,
    EvidenceAnnotation,
    UploadSession,
)
from sanxiang.records.services_uploads import upload_get

__all__ = [
    "blob_get", "evidence_accesses", "evidence_annotations", "evidence_get", "evidence_list",
    "evidence_for_activity", "upload_get", "upload_list",
]


def evidence_list(*, subject: str) -> QuerySet[Evidence]:
    """Evidence of a subject in number order (编号), with the stored file."""
    return Evidence.objects.filter(subject=subject).select_related("blob").order_by("number")


def evidence_for_activity(*, activity: str, kind: str | None = None) -> QuerySet[Evidence]:
    """Evidence attached to an activity (e.g. the video records of a seizure)."""
    query = Evidence.objects.filter(activity=activity).select_related("blob")
    if kind is not None:
        query = query.filter(kind=kind)
    return query.order_by("subject", "number")


def evidence_get(*, evidence_id: int | str, subject: str | None = None) -> Evidence:
    """One evidence item (optionally required to belong to `subject`), else 404."""
    try:
        pk = int(str(evidence_id))
    except ValueError:
        pk = None
    query = Evidence.objects.select_related("blob").filter(pk=pk)
    if subject is not None:
        query = query.filter(subject=subject)
    evidence = query.first() if pk is not None else None
    if evidence is None:
        raise NotFound("evidence_not_found", _("No such evidence."), field="evidence_id")
    return evidence


def evidence_annotations(*, evidence_id: int | str) -> QuerySet[EvidenceAnnotation]:
    return EvidenceAnnotation.objects.filter(evidence_id=evidence_get(evidence_id=evidence_id).pk).order_by("id")


def evidence_accesses(*, evidence_id: int | str) -> QuerySet[EvidenceAccess]:
    """The access log (调阅记录) of an evidence item, oldest first."""
    return EvidenceAccess.objects.filter(evidence_id=evidence_get(evidence_id=evidence_id).pk).order_by("id")


def blob_get(*, sha256: str) -> Blob | None:
    return Blob.objects.filter(pk=str(sha256).lower()).first()


def upload_list(*, owner: str) -> QuerySet[UploadSession]:
    """The owner's uploads, newest first."""
    return UploadSession.objects.filter(owner=owner).order_by("-created_at")
