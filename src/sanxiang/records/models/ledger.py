"""The ledger (执法记录台账) and the Merkle logs it and the public log are built on.

Rows of `LedgerEntry`, `MerkleNode` and `SignedTreeHead` are insert-only: database
triggers (migration 0002) refuse UPDATE and DELETE on both SQLite and PostgreSQL.
`LogHead` is the one mutable row per log: it serialises appenders and holds the
size, the last entry hash and the compact-range frontier (derived, re-verified by
`sanxiang ledger verify`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanxiang.records.ledger_columns import BodyValue

LEDGER_LOG = "ledger"
PUBLIC_LOG = "public"
LOG_CHOICES = [(LEDGER_LOG, _("internal ledger")), (PUBLIC_LOG, _("public transparency log"))]


class LogHead(models.Model):
    """Head of an append-only Merkle log (日志头): size, last hash, frontier."""

    log = models.CharField(_("log"), max_length=20, primary_key=True, choices=LOG_CHOICES)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    last_hash = models.CharField(_("last entry hash"), max_length=64, blank=True)
    frontier = models.JSONField(_("compact range"), default=list,
                                help_text=_("Hex hashes of the perfect subtrees on the right edge, lowest level first."))

    class Meta:
        verbose_name = _("log head")
        verbose_name_plural = _("log heads")

    def __str__(self) -> str:
        return f"{self.log} @ {self.size}"


class LedgerEntry(models.Model):
    """One ledger entry (台账条目): who did what to which subject, chained to the previous one.

    `body` holds the exact canonical JSON `{seq, at, actor, subject, action, payload, prev}`;
    `entry_hash` = SHA-256(body). `at`, `actor`, `subject`, `action` and `prev` are computed by
    the database from the body (stored generated columns, `records.ledger_columns`): they can be
    queried but never written, so they always say what was hashed.
    """

    seq = models.PositiveBigIntegerField(_("sequence number"), primary_key=True)
    at = models.GeneratedField(expression=BodyValue("at"), output_field=models.DateTimeField(_("time")),
                               db_persist=True, verbose_name=_("time"))
    actor = models.GeneratedField(expression=BodyValue("actor"), output_field=models.CharField(max_length=100),
                                  db_persist=True, verbose_name=_("actor"))
    subject = models.GeneratedField(expression=BodyValue("subject"),
                                    output_field=models.CharField(max_length=100),
                                    db_persist=True, db_index=True, verbose_name=_("subject"))
    action = models.GeneratedField(expression=BodyValue("action"), output_field=models.CharField(max_length=100),
                                   db_persist=True, verbose_name=_("action"))
    prev = models.GeneratedField(expression=BodyValue("prev"), output_field=models.CharField(max_length=64),
                                 db_persist=True, verbose_name=_("previous hash"))
    entry_hash = models.CharField(_("entry hash"), max_length=64, unique=True)
    body = models.TextField(_("canonical body"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject", "seq"], name="records_ledger_subject_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject}"


class MerkleNode(models.Model):
    """Hash of a complete, aligned subtree of a log: leaves [index·2^level, (index+1)·2^level).

    Stored as they complete so that any root or proof costs O(log n) reads.
    """

    id = models.BigAutoField(primary_key=True)
    log = models.CharField(max_length=20, choices=LOG_CHOICES)
    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("Merkle node")
        verbose_name_plural = _("Merkle nodes")
        constraints = [models.UniqueConstraint(fields=["log", "level", "index"], name="records_merklenode_unique")]

    def __str__(self) -> str:
        return f"{self.log} L{self.level}#{self.index}"


class SignedTreeHead(models.Model):
    """A signed tree head (签名树头): Ed25519 over "{tree_size}\\n{root_hash}\\n{timestamp}\\n"."""

    id = models.BigAutoField(primary_key=True)
    log = models.CharField(_("log"), max_length=20, choices=LOG_CHOICES)
    tree_size = models.PositiveBigIntegerField(_("tree size"))
    root_hash = models.CharField(_("root hash"), max_length=64)
    timestamp = models.PositiveBigIntegerField(_("timestamp (ms since the epoch)"))
    signature = models.CharField(_("signature (base64)"), max_length=100)
    key_id = models.CharField(_("key id"), max_length=64, help_text=_("SHA-256 of the raw public key."))

    class Meta:
        verbose_name = _("signed tree head")
        verbose_name_plural = _("signed tree heads")
        indexes = [models.Index(fields=["log", "tree_size"], name="records_sth_log_size")]

    def __str__(self) -> str:
        return f"{self.log} size {self.tree_size}"
