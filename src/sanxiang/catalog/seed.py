"""Loading the default catalog data (默认数据载入) into the database.

Every loader takes an app registry (the historical ``apps`` of a data migration, or the live
``django.apps.apps``) and a database alias, creates published version 1 rows for codes that
are not there yet, and returns how many rows it created. Loading twice creates nothing.

Document templates come from ``sanxiang.catalog.data.document_templates.DEFAULT_TEMPLATES``
(written by the documents engineer): a list of dicts with ``code``, ``name``, ``version``,
``effective_from`` (ISO date string), ``citation`` and ``blocks``. Several versions of one
code are chained: each earlier version is retired the day before the next one starts.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

SEED_ACTOR = "system:seed"
TEMPLATES_MODULE = "sanxiang.catalog.data.document_templates"


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _published(model, rows: Iterable[dict], using: str) -> int:
    existing = set(model.objects.using(using).values_list("code", flat=True))
    now = timezone.now()
    objs = [
        model(**row, version=1, status="published", published_at=now, created_by=SEED_ACTOR)
        for row in rows
        if row["code"] not in existing
    ]
    model.objects.using(using).bulk_create(objs)
    return len(objs)


def load_matters(apps, using: str = "default") -> int:
    from sanxiang.catalog.data.matters import MATTERS

    Matter = apps.get_model("catalog", "Matter")
    rows = [
        {**m, "fine_min": _money(m["fine_min"]), "fine_max": _money(m["fine_max"]),
         "effective_from": _date(m["effective_from"])}
        for m in MATTERS
    ]
    return _published(Matter, rows, using)


def load_decision_rules(apps, using: str = "default") -> int:
    from sanxiang.catalog.data.decision_rules import DECISION_RULES
    from sanxiang.catalog.rules.decisions import validate_params

    DecisionRule = apps.get_model("catalog", "DecisionRule")
    rows = [
        {**r, "params": validate_params(r["trigger"], r["params"]),
         "effective_from": _date(r["effective_from"])}
        for r in DECISION_RULES
    ]
    return _published(DecisionRule, rows, using)


def load_time_limits(apps, using: str = "default") -> int:
    from sanxiang.catalog.data.time_limits import TIME_LIMITS

    TimeLimitRule = apps.get_model("catalog", "TimeLimitRule")
    rows = [{**t, "effective_from": _date(t["effective_from"])} for t in TIME_LIMITS]
    return _published(TimeLimitRule, rows, using)


def load_prefixes(apps, using: str = "default") -> int:
    from sanxiang.catalog.data.prefixes import PREFIXES

    DocumentPrefix = apps.get_model("catalog", "DocumentPrefix")
    existing = set(DocumentPrefix.objects.using(using).values_list("unit_code", "case_kind"))
    objs = [DocumentPrefix(**p) for p in PREFIXES if (p["unit_code"], p["case_kind"]) not in existing]
    DocumentPrefix.objects.using(using).bulk_create(objs)
    return len(objs)


def default_templates() -> list[dict] | None:
    """``DEFAULT_TEMPLATES`` of the documents engineer's module, or ``None`` when the module
    does not exist (yet). Any other import error propagates."""
    try:
        module = importlib.import_module(TEMPLATES_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name in (TEMPLATES_MODULE, TEMPLATES_MODULE.rpartition(".")[0]):
            return None
        raise
    return list(getattr(module, "DEFAULT_TEMPLATES", []) or [])


TEMPLATE_KEYS = ("code", "name", "version", "effective_from", "citation", "blocks")


def template_rows(templates: Iterable[dict]) -> list[dict]:
    """Rows for ``DocumentTemplate`` from template dicts: versions of one code chained (all but
    the latest retired the day before the next starts). Raises ``ValueError`` on a malformed
    entry (missing key, duplicate version, versions not starting later than their
    predecessor, blocks not a list)."""
    from sanxiang.catalog.rules.templates import validate_blocks

    by_code: dict[str, list[dict]] = defaultdict(list)
    for i, entry in enumerate(templates):
        missing = [k for k in TEMPLATE_KEYS if k not in entry]
        if missing:
            raise ValueError(f"DEFAULT_TEMPLATES[{i}] lacks {', '.join(missing)}")
        validate_blocks(entry["blocks"])
        by_code[str(entry["code"])].append(entry)
    rows = []
    now = timezone.now()
    for code, entries in by_code.items():
        entries = sorted(entries, key=lambda e: int(e["version"]))
        versions = [int(e["version"]) for e in entries]
        if len(set(versions)) != len(versions) or versions[0] < 1:
            raise ValueError(f"template {code}: versions {versions} must be distinct and start at 1 or more")
        for current, following in zip(entries, [*entries[1:], None], strict=True):
            start = _date(current["effective_from"])
            row = {
                "code": code, "name": str(current["name"]), "version": int(current["version"]),
                "effective_from": start, "citation": str(current["citation"]),
                "blocks": current["blocks"], "status": "published", "published_at": now,
                "created_by": SEED_ACTOR,
            }
            if following is not None:
                next_start = _date(following["effective_from"])
                if next_start <= start:
                    raise ValueError(f"template {code}: version {following['version']} must start after {start}")
                row |= {"status": "retired", "effective_to": next_start - dt.timedelta(days=1),
                        "retired_at": now}
            rows.append(row)
    return rows


def load_templates(apps, using: str = "default", templates: Iterable[dict] | None = None) -> int:
    """Bulk-create the default template versions; codes already in the database are left
    alone (an administrator may have published their own versions)."""
    if templates is None:
        templates = default_templates()
        if templates is None:
            return 0
    DocumentTemplate = apps.get_model("catalog", "DocumentTemplate")
    existing = set(DocumentTemplate.objects.using(using).values_list("code", flat=True))
    objs = [DocumentTemplate(**row) for row in template_rows(templates) if row["code"] not in existing]
    # Chronological order per code: the no-overlap trigger sees each retired window first.
    objs.sort(key=lambda o: (o.code, o.version))
    DocumentTemplate.objects.using(using).bulk_create(objs)
    return len(objs)
