"""Catalog models (目录与规则): matters, decision rules, time limits, templates, prefixes."""

from sanxiang.catalog.models.base import VersionedRule
from sanxiang.catalog.models.matters import Matter
from sanxiang.catalog.models.predisclosure import PreDisclosureDocument as PreDisclosureDocument
from sanxiang.catalog.models.prefixes import DocumentPrefix
from sanxiang.catalog.models.rules import DecisionRule, TimeLimitRule
from sanxiang.catalog.models.templates import DocumentTemplate

__all__ = [
    "DecisionRule",
    "DocumentPrefix",
    "DocumentTemplate",
    "Matter",
    "TimeLimitRule",
    "VersionedRule",
]
