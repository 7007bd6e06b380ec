"""The evidence vault (证据库): content-addressed blobs, AV record metadata, annotations, access log.

`Blob`, `Evidence`, `EvidenceAnnotation` and `EvidenceAccess` rows are insert-only:
database triggers (migration 0003) refuse UPDATE and DELETE on SQLite and PostgreSQL. A
correction is a new annotation, never an edit (GD-JL 第27条: no destroying, splicing or
editing originals). `UploadSession` is the one mutable table: a resumable upload in progress.

Subjects ("case:42"), actors ("user:7") and activities ("activity:9") are opaque references:
the records context knows nothing about cases or users.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    VIDEO = "video", _("video")
    AUDIO = "audio", _("audio")
    PHOTO = "photo", _("photo")
    DOCUMENT = "document", _("document")
    ELECTRONIC_DATA = "electronic_data", _("electronic data")


class Blob(models.Model):
    """Stored content (存储内容), named by its SHA-256; SM3 (国密) recorded beside it.

    The file lives in the blob store under its SHA-256 hex; identical content is stored once
    and may back several evidence items.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    sm3 = models.CharField(_("SM3"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type (sniffed)"), max_length=100)
    created_at = models.DateTimeField(_("stored at"))

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.sha256


class Evidence(models.Model):
    """An evidence item or AV record (证据 / 音像记录) of a subject, numbered per subject (编号)."""

    id = models.BigAutoField(primary_key=True)
    subject = models.CharField(_("subject"), max_length=100)
    number = models.PositiveIntegerField(_("evidence number"), help_text=_("Gapless per subject, from 1."))
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    blob = models.ForeignKey(Blob, verbose_name=_("stored file"), on_delete=models.PROTECT,
                             related_name="evidence")
    claimed_content_type = models.CharField(_("content type (claimed by the client)"), max_length=100,
                                            blank=True)
    sniffed_content_type = models.CharField(_("content type (sniffed)"), max_length=100)
    filename = models.CharField(_("original file name"), max_length=255, blank=True,
                                help_text=_("Sanitised; for display only, never a path."))
    description = models.TextField(_("content note"), help_text=_("What the record shows (摄录内容)."))
    speakers = models.JSONField(_("speakers"), default=list,
                                help_text=_("Persons speaking, each {name, role} (对话人员)."))
    device = models.CharField(_("recording device"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded from"))
    recorded_until = models.DateTimeField(_("recorded until"), null=True, blank=True)
    activity = models.CharField(_("activity"), max_length=100, blank=True)
    uploaded_by = models.CharField(_("uploaded by"), max_length=100)
    created_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["subject", "number"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "number"], name="records_evidence_subject_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="records_evidence_number_positive"),
            models.CheckConstraint(
                condition=models.Q(recorded_until__isnull=True) | models.Q(recorded_until__gte=models.F("recorded_at")),
                name="records_evidence_time_span_ordered"),
        ]
        indexes = [models.Index(fields=["activity"], name="records_evidence_activity")]

    def __str__(self) -> str:
        return f"{self.subject} #{self.number}"


class EvidenceAnnotation(models.Model):
    """An annotation (备注 / 更正说明) on evidence: append-only; a correction is a new one."""

    id = models.BigAutoField(primary_key=True)
    evidence = models.ForeignKey(Evidence, verbose_name=_("evidence"), on_delete=models.PROTECT,
                                 related_name="annotations")
    text = models.TextField(_("text"))
    actor = models.CharField(_("written by"), max_length=100)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("evidence annotation")
        verbose_name_plural = _("evidence annotations")
        ordering = ["evidence", "id"]

    def __str__(self) -> str:
        return f"{self.evidence} · {self.at:%Y-%m-%d %H:%M}"


class EvidenceAccess(models.Model):
    """One staff read of an evidence file (调阅记录): who, when, why (GD-JL 第26条)."""

    id = models.BigAutoField(primary_key=True)
    evidence = models.ForeignKey(Evidence, verbose_name=_("evidence"), on_delete=models.PROTECT,
                                 related_name="accesses")
    actor = models.CharField(_("read by"), max_length=100)
    at = models.DateTimeField(_("time"))
    purpose = models.CharField(_("purpose"), max_length=200)

    class Meta:
        verbose_name = _("evidence access")
        verbose_name_plural = _("evidence accesses")
        ordering = ["evidence", "id"]

    def __str__(self) -> str:
        return f"{self.evidence} ← {self.actor}"


class UploadState(models.TextChoices):
    OPEN = "open", _("open")
    FINISHED = "finished", _("finished")
    FAILED = "failed", _("failed")
    ABORTED = "aborted", _("aborted")
    EXPIRED = "expired", _("expired")


class UploadSession(models.Model):
    """A resumable upload in progress (断点续传): chunks append at `offset` until `size` is reached.

    Mutable. The partial file lives under BLOB_DIR/uploads/ named by the session id (an
    opaque random string chosen by the server); the result of `finish` is kept so that a
    client whose connection dropped during finish can ask again.
    """

    id = models.CharField(_("id"), max_length=40, primary_key=True)
    owner = models.CharField(_("owner"), max_length=100)
    size = models.PositiveBigIntegerField(_("declared size in bytes"))
    expected_sha256 = models.CharField(_("expected SHA-256"), max_length=64, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    claimed_content_type = models.CharField(_("content type (claimed by the client)"), max_length=100,
                                            blank=True)
    offset = models.PositiveBigIntegerField(_("bytes received"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=UploadState.choices, default=UploadState.OPEN)
    blob = models.ForeignKey(Blob, verbose_name=_("stored file"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("upload session")
        verbose_name_plural = _("upload sessions")
        indexes = [models.Index(fields=["state", "expires_at"], name="records_upload_expiry")]

    def __str__(self) -> str:
        return f"upload {self.id} ({self.offset}/{self.size})"
