"""Leaves of the public transparency log (公开透明日志), kept as the exact bytes that were hashed.

The Merkle tree over them lives in `records` (`MerkleNode` rows of the log "public", its
head in `LogHead`, signed heads in `SignedTreeHead`); this table keeps what a member of the
public downloads from `/api/public/v1/log/entries`. Rows are insert-only: database
triggers (migration 0002_public_log) refuse UPDATE and DELETE on SQLite and PostgreSQL.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicLogLeaf(models.Model):
    """One leaf of the public log: a publication action or an internal-ledger checkpoint.

    `leaf` holds the exact canonical JSON (UTF-8) whose RFC 6962 leaf hash is in the tree:
    `{"action", "at", "item", "record_sha256"}` for publish / correct / withdraw / expire,
    `{"action": "checkpoint", "at", "ledger_root", "ledger_size"}` for checkpoints. Never a
    personal datum: a record is represented only by the SHA-256 of its public, redacted form.
    The other columns repeat fields of the leaf for queries.
    """

    index = models.PositiveBigIntegerField(_("leaf index"), primary_key=True)
    leaf = models.TextField(_("leaf (canonical JSON)"))
    leaf_hash = models.CharField(_("leaf hash"), max_length=64,
                                 help_text=_("Hex SHA-256(0x00 ‖ leaf), RFC 6962 §2.1."))
    action = models.CharField(_("action"), max_length=20)
    item = models.CharField(_("public id"), max_length=100, null=True, blank=True)
    record_sha256 = models.CharField(_("record SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("appended at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public log leaf")
        verbose_name_plural = _("public log leaves")
        ordering = ["index"]
        indexes = [
            models.Index(fields=["item", "index"], name="disclosure_publog_item"),
            models.Index(fields=["record_sha256"], name="disclosure_publog_record"),
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.action} {self.item or ''}".strip()

    @property
    def leaf_bytes(self) -> bytes:
        """The exact leaf bytes (the text is UTF-8 canonical JSON)."""
        return self.leaf.encode("utf-8")
