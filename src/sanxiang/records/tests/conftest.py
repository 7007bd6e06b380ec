"""Fixtures of the evidence, blob and upload tests (defined in evidence_support)."""

from sanxiang.records.tests.evidence_support import any_vault, fresh_home, moto_endpoint, vault

__all__ = ["any_vault", "fresh_home", "moto_endpoint", "vault"]
