"""Evidence verification (证据文件校验): rehash every stored file, SHA-256 and SM3.

Reads each blob once, in 1 MiB chunks, from whichever store is configured. A blob whose
file is gone is *missing*; one whose size or either digest differs from what was recorded
at ingest is *damaged*. Problems are reported per evidence item using the blob (a blob no
evidence uses yet is reported once, with id and number null).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sanxiang.records import blobs
from sanxiang.records.models import Blob, Evidence

CHUNK = 1024 * 1024


@dataclass
class EvidenceReport:
    checked: int = 0
    damaged: list[dict] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    subjects: dict[str, str] = field(default_factory=dict)  # evidence id → subject, for people

    @property
    def ok(self) -> bool:
        return not self.damaged and not self.missing

    def as_dict(self) -> dict:
        return {"ok": self.ok, "checked": self.checked, "damaged": self.damaged, "missing": self.missing}

    def add(self, target: list[dict], blob: Blob, reason: str) -> None:
        users = list(Evidence.objects.filter(blob=blob).order_by("subject", "number")
                     .values_list("pk", "number", "subject"))
        for pk, number, subject in users or [(None, None, None)]:
            target.append({"id": None if pk is None else str(pk), "number": number,
                           "sha256": blob.sha256, "reason": reason})
            if pk is not None:
                self.subjects[str(pk)] = subject


def _rehash(store: blobs.BlobStore, blob: Blob) -> str | None:
    """None when intact, else the reason. Raises BlobMissing."""
    sha, sm3 = hashlib.sha256(), hashlib.new("sm3")
    size = 0
    fh = store.open(blob.sha256)
    try:
        while chunk := fh.read(CHUNK):
            size += len(chunk)
            sha.update(chunk)
            sm3.update(chunk)
    except OSError as exc:
        return f"unreadable: {exc}"
    finally:
        fh.close()
    reasons = []
    if size != blob.size:
        reasons.append(f"size {size} bytes, recorded {blob.size}")
    if sha.hexdigest() != blob.sha256:
        reasons.append("SHA-256 mismatch")
    if sm3.hexdigest() != blob.sm3:
        reasons.append("SM3 mismatch")
    return "; ".join(reasons) or None


def verify_evidence(progress: Callable[[int, int], None] | None = None,
                    store: blobs.BlobStore | None = None) -> EvidenceReport:
    """Rehash every blob; `progress(done, total)` is called after each one."""
    store = store or blobs.blob_store()
    report = EvidenceReport()
    total = Blob.objects.count()
    for blob in Blob.objects.order_by("sha256").iterator(chunk_size=500):
        try:
            reason = _rehash(store, blob)
        except blobs.BlobMissing:
            report.add(report.missing, blob, "missing")
        else:
            if reason:
                report.add(report.damaged, blob, reason)
        report.checked += 1
        if progress:
            progress(report.checked, total)
    return report
