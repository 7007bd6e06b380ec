"""Reads of the catalog (目录与规则查询). Everything is "as on a date": a rule version counts on
``on`` when it is published or retired and its window covers that day, so a decision can be
re-judged later under the versions of its own date.

The catalog is public reference data of the bureau (事前公开): no viewer scope applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang.catalog.choices import DEFAULT_AGENCY_ABBREVIATION, IN_FORCE_STATUSES, PREFIX_SUFFIXES
from sanxiang.catalog.constants import CaseKind, Field, RulePurpose
from sanxiang.catalog.models import (
    DecisionRule,
    DocumentPrefix,
    DocumentTemplate,
    Matter,
    TimeLimitRule,
)
from sanxiang.catalog.rules.decisions import DecisionFacts, Match, RuleVersion, evaluate
from sanxiang.catalog.rules.time_limits import TimeLimit
from sanxiang.core.errors import InvalidInput, NotFound

__all__ = [
    "PrefixLookup",
    "decision_matches",
    "document_prefix",
    "document_prefix_lookup",
    "in_force_q",
    "matter_get",
    "matter_list",
    "rules_in_force",
    "template_in_force",
    "time_limit",
    "time_limits_in_force",
    "versions_of",
]


def _day(on: dt.date | None) -> dt.date:
    if on is None:
        return timezone.localdate()
    if isinstance(on, dt.datetime):
        return timezone.localtime(on).date() if timezone.is_aware(on) else on.date()
    if isinstance(on, dt.date):
        return on
    raise InvalidInput("invalid_date", gettext("Give a date."), field="on")


def in_force_q(on: dt.date) -> Q:
    """Versions in force on ``on`` (published or retired, window covering the day)."""
    return (
        Q(status__in=IN_FORCE_STATUSES, effective_from__lte=on)
        & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    )


def rules_in_force(purpose: str | None, on: dt.date | None = None) -> tuple[RuleVersion, ...]:
    """The decision rules of ``purpose`` (``major``, ``hearing``, ``collective``; ``None`` for
    all) in force on ``on`` (default today), ordered by purpose and code."""
    if purpose is not None and purpose not in RulePurpose.values:
        raise InvalidInput("invalid_purpose", gettext("Unknown rule purpose."), field="purpose")
    qs = DecisionRule.objects.filter(in_force_q(_day(on)))
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return tuple(r.as_rule_version() for r in qs.order_by("purpose", "code"))


def decision_matches(
    purpose: str | None, facts: DecisionFacts, on: dt.date | None = None,
) -> tuple[Match, ...]:
    """The rules of ``purpose`` in force on ``on`` that ``facts`` meet, each with its reason;
    empty when none. ``purpose=None`` evaluates all three purposes."""
    return evaluate(facts, rules_in_force(purpose, on))


def time_limit(name: str, on: dt.date | None = None) -> TimeLimit:
    """The time limit ``name`` (e.g. ``decision``) in force on ``on``; ``NotFound`` when none."""
    row = TimeLimitRule.objects.filter(in_force_q(_day(on)), code=name).first()
    if row is None:
        raise NotFound(
            "time_limit_not_found",
            gettext("No time limit %(name)s is in force on %(date)s.")
            % {"name": name, "date": _day(on).isoformat()},
            name=name,
        )
    return row.as_time_limit()


def time_limits_in_force(on: dt.date | None = None) -> dict[str, TimeLimit]:
    """Every time limit in force on ``on``, by name."""
    rows = TimeLimitRule.objects.filter(in_force_q(_day(on))).order_by("code")
    return {r.code: r.as_time_limit() for r in rows}


def matter_list(
    field: str | None = None, case_kind: str | None = None, q: str | None = None,
    on: dt.date | None = None,
) -> QuerySet[Matter]:
    """Enforcement matters in force on ``on`` (default today), filtered by field, case kind
    and a search text matching code, name or either provision; ordered by code."""
    if field is not None and field not in Field.values:
        raise InvalidInput("invalid_field", gettext("Unknown enforcement field."), field="field")
    if case_kind is not None and case_kind not in CaseKind.values:
        raise InvalidInput("invalid_case_kind", gettext("Unknown case kind."), field="case_kind")
    qs = Matter.objects.filter(in_force_q(_day(on)))
    if field:
        qs = qs.filter(field=field)
    if case_kind:
        qs = qs.filter(case_kind=case_kind)
    if q and q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(code__icontains=text) | Q(name__icontains=text)
            | Q(legal_basis__icontains=text) | Q(penalty_basis__icontains=text)
        )
    return qs.order_by("code")


def matter_get(code: str, on: dt.date | None = None) -> Matter:
    """The version of matter ``code`` in force on ``on``; ``NotFound`` when none."""
    row = Matter.objects.filter(in_force_q(_day(on)), code=code).first()
    if row is None:
        raise NotFound("matter_not_found", gettext("No such enforcement matter."), rule_code=code)
    return row


def template_in_force(code: str, on: dt.date | None = None) -> DocumentTemplate:
    """The version of document template ``code`` in force on ``on``; ``NotFound`` when none."""
    row = DocumentTemplate.objects.filter(in_force_q(_day(on)), code=code).first()
    if row is None:
        raise NotFound("template_not_found", gettext("No such document template in force."), rule_code=code)
    return row


def versions_of(kind_model, code: str) -> QuerySet:
    """Every version of ``code`` of a versioned model, newest first (history view)."""
    return kind_model.objects.filter(code=code).order_by("-version")


@dataclass(frozen=True, slots=True)
class PrefixLookup:
    """A document-number prefix and where it came from: ``unit`` (the unit's own row),
    ``ancestor`` (the nearest unit above it that has one) or ``default`` (沪环 + kind, with a
    note that the unit needs its own prefix)."""

    prefix: str
    source: str
    unit_code: str
    note: str = ""


def _ancestors(unit_code: str) -> Iterable[str]:
    """Codes of the units above ``unit_code``, nearest first (accounts unit tree)."""
    from sanxiang.accounts.models import Unit

    path = Unit.objects.filter(code=unit_code).values_list("path", flat=True).first()
    if not path:
        return ()
    codes = [c for c in path.strip("/").split("/") if c]
    return tuple(reversed(codes[:-1]))


def document_prefix_lookup(unit_code: str, case_kind: str) -> PrefixLookup:
    """The prefix for numbering documents of ``unit_code`` and ``case_kind`` (RULES.md R9.3)."""
    if case_kind not in CaseKind.values:
        raise InvalidInput("invalid_case_kind", gettext("Unknown case kind."), field="case_kind")
    row = DocumentPrefix.objects.filter(unit_code=unit_code, case_kind=case_kind).first()
    if row is not None:
        return PrefixLookup(row.prefix, "unit", unit_code, row.note)
    for ancestor in _ancestors(unit_code):
        row = DocumentPrefix.objects.filter(unit_code=ancestor, case_kind=case_kind).first()
        if row is not None:
            return PrefixLookup(row.prefix, "ancestor", ancestor, row.note)
    return PrefixLookup(
        DEFAULT_AGENCY_ABBREVIATION + PREFIX_SUFFIXES[case_kind], "default", unit_code,
        gettext("No document prefix is set for %(unit)s; the bureau's default is used.")
        % {"unit": unit_code},
    )


def document_prefix(unit_code: str, case_kind: str) -> str:
    """The prefix string, e.g. 沪浦环罚 for (pudong, penalty). Falls back to the nearest unit
    above with a prefix, then to 沪环 + kind suffix (see :func:`document_prefix_lookup`)."""
    return document_prefix_lookup(unit_code, case_kind).prefix
