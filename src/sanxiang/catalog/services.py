"""Writes to the catalog (目录与规则维护). Keyword-only, one transaction each, one ledger entry
each.

Versioned rules (matters, decision rules, time limits, document templates) are never edited
once published: ``*_publish_new_version`` creates the next version from the one in force plus
``changes`` and retires the old one the day before the new one starts. Drafts
(``version_draft_*``) let an administrator prepare a version in the admin before publishing
it. Ledger subjects: ``matter:AIR-001``, ``rule:major.fine_org``, ``time_limit:decision``,
``template:penalty_decision``, ``document_prefix:pudong.penalty``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang.catalog import seed
from sanxiang.catalog.choices import RuleStatus
from sanxiang.catalog.constants import CaseKind
from sanxiang.catalog.models import (
    DecisionRule,
    DocumentPrefix,
    DocumentTemplate,
    Matter,
    TimeLimitRule,
    VersionedRule,
)
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound
from sanxiang.core.validation import full_clean_or_invalid
from sanxiang.records.services import ledger_append

__all__ = [
    "KINDS",
    "decision_rule_publish_new_version",
    "document_prefix_set",
    "matter_publish_new_version",
    "template_publish_new_version",
    "templates_load_defaults",
    "time_limit_publish_new_version",
    "version_draft_create",
    "version_draft_publish",
    "version_draft_update",
    "version_retire",
]

KINDS: dict[str, type[VersionedRule]] = {
    "matter": Matter,
    "decision_rule": DecisionRule,
    "time_limit": TimeLimitRule,
    "template": DocumentTemplate,
}
_SUBJECT = {"matter": "matter", "decision_rule": "rule", "time_limit": "time_limit", "template": "template"}
_KIND_OF = {model: kind for kind, model in KINDS.items()}


# --- helpers --------------------------------------------------------------------------------

def _actor(actor: object) -> str:
    """"user:7" for a user object, the string itself for an opaque reference."""
    if isinstance(actor, str):
        if not actor.strip():
            raise InvalidInput("actor_required", gettext("An actor is required."), field="actor")
        return actor
    pk = getattr(actor, "pk", None)
    if pk is None:
        raise InvalidInput("actor_required", gettext("An actor is required."), field="actor")
    return f"user:{pk}"


def _jsonable(value: object) -> object:
    """Ledger payloads are canonical JSON: decimals and dates become strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):  # canonical JSON has no floats (records.ledger.canonical)
        return repr(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return value


def _kind(kind: str) -> type[VersionedRule]:
    try:
        return KINDS[kind]
    except KeyError:
        raise InvalidInput(
            "unknown_kind", gettext("Unknown kind of rule: %(kind)s.") % {"kind": kind}, field="kind",
        ) from None


def _subject(model: type[VersionedRule], code: str) -> str:
    return f"{_SUBJECT[_KIND_OF[model]]}:{code}"


def _as_date(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidInput("invalid_date", gettext("Give a date, not a time."), field=field)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput("invalid_date", gettext("Give a date as YYYY-MM-DD."), field=field)


def _check_changes(model: type[VersionedRule], changes: Mapping[str, object] | None) -> dict:
    changes = dict(changes or {})
    for key in changes:
        if key not in model.CONTENT_FIELDS:
            raise InvalidInput(
                "unknown_field",
                gettext("%(field)s cannot be changed on a new version.") % {"field": key},
                field=key,
            )
    return changes


def _full_clean(row: VersionedRule) -> None:
    full_clean_or_invalid(row, "invalid_rule")


def _citation(citation: object) -> str:
    if not isinstance(citation, str) or not citation.strip():
        raise InvalidInput(
            "citation_required", gettext("A new version needs its citation."), field="citation",
        )
    return citation.strip()


def _locked(model: type[VersionedRule], code: str) -> list[VersionedRule]:
    return list(model.objects.select_for_update().filter(code=code).order_by("version"))


def _refuse_overlap(model, rows, start: dt.date, *, replacing: VersionedRule | None) -> None:
    """A new open-ended version from ``start`` may not overlap a version in force, except the
    published one it replaces, which must have started earlier."""
    for row in rows:
        if row.status == RuleStatus.DRAFT:
            continue
        if row is replacing or (replacing is not None and row.pk == replacing.pk):
            if start <= row.effective_from:
                raise GuardRefused(
                    "version_overlap",
                    gettext(
                        "The new version must start after %(date)s, when version %(version)s "
                        "took effect."
                    ) % {"date": row.effective_from.isoformat(), "version": row.version},
                    rule_code=row.code, version=row.version, effective_from=row.effective_from.isoformat(),
                )
            continue
        if row.effective_to is None or row.effective_to >= start:
            raise GuardRefused(
                "version_overlap",
                gettext("Version %(version)s of %(code)s is in force on %(date)s.")
                % {"version": row.version, "code": row.code, "date": start.isoformat()},
                rule_code=row.code, version=row.version, effective_from=row.effective_from.isoformat(),
            )


def _retire(row: VersionedRule, last_day: dt.date, now) -> None:
    if row.effective_to is None or row.effective_to > last_day:
        row.effective_to = last_day
    row.status = RuleStatus.RETIRED
    row.retired_at = now
    row.save(update_fields=["status", "effective_to", "retired_at"])


def _required(model: type[VersionedRule], name: str) -> bool:
    field = model._meta.get_field(name)
    return not (field.has_default() or field.null or field.blank)


def _content(row: VersionedRule) -> dict:
    return {f: getattr(row, f) for f in row.CONTENT_FIELDS}


def _publish(model, rows, new: VersionedRule, *, actor: str, action: str, extra: dict) -> VersionedRule:
    """Retire the published version (if any) and publish ``new`` (not yet saved, or a draft)."""
    current = next((r for r in rows if r.status == RuleStatus.PUBLISHED), None)
    _refuse_overlap(model, [r for r in rows if r.pk != new.pk], new.effective_from, replacing=current)
    now = timezone.now()
    if current is not None:
        _retire(current, new.effective_from - dt.timedelta(days=1), now)
    new.status = RuleStatus.PUBLISHED
    new.published_at = now
    new.save()
    ledger_append(
        subject=_subject(model, new.code), action=action, actor=actor,
        payload=_jsonable({
            "kind": _KIND_OF[model], "code": new.code, "version": new.version,
            "effective_from": new.effective_from, "citation": new.citation,
            "previous_version": current.version if current else None,
            "previous_effective_to": current.effective_to if current else None,
            **extra,
        }),
    )
    return new


# --- publishing a new version -----------------------------------------------------------------

def _publish_new_version(model, *, code, actor, changes, effective_from, citation, note=""):
    actor = _actor(actor)
    changes = _check_changes(model, changes)
    start = _as_date(effective_from, "effective_from")
    citation = _citation(citation)
    if not isinstance(code, str) or not code.strip():
        raise InvalidInput("code_required", gettext("A code is required."), field="code")
    rows = _locked(model, code)
    base = next((r for r in rows if r.status == RuleStatus.PUBLISHED), None) or next(
        (r for r in reversed(rows) if r.status == RuleStatus.RETIRED), None
    )
    values = {**(_content(base) if base is not None else {}), **changes}
    new = model(
        code=code, version=max((r.version for r in rows), default=0) + 1, effective_from=start,
        citation=citation, note=note, created_by=actor, status=RuleStatus.DRAFT, **values,
    )
    if base is None:
        missing = [f for f in model.CONTENT_FIELDS if f not in values and _required(model, f)]
        if missing:
            raise InvalidInput(
                "missing_field",
                gettext("A new rule needs %(fields)s.") % {"fields": ", ".join(missing)},
                field=missing[0],
            )
    _full_clean(new)
    return _publish(
        model, rows, new, actor=actor, action="catalog.version_published",
        extra={"changes": changes, "note": note},
    )


@transaction.atomic
def decision_rule_publish_new_version(
    *, code: str, actor: object, changes: Mapping[str, object], effective_from: dt.date | str,
    citation: str, note: str = "",
) -> DecisionRule:
    """Publish the next version of decision rule ``code`` (法制审核/听证/集体讨论目录), taking the
    version in force plus ``changes`` (``purpose``, ``trigger``, ``params``, ``description``);
    the old version is retired the day before ``effective_from``. A code not seen before is
    created (all fields required). Refuses ``version_overlap`` unless ``effective_from`` is
    after the start of the version in force."""
    return _publish_new_version(
        DecisionRule, code=code, actor=actor, changes=changes, effective_from=effective_from,
        citation=citation, note=note,
    )


@transaction.atomic
def time_limit_publish_new_version(
    *, code: str, actor: object, changes: Mapping[str, object], effective_from: dt.date | str,
    citation: str, note: str = "",
) -> TimeLimitRule:
    """Publish the next version of time limit ``code`` (``name``, ``days``, ``unit``,
    ``start_event``), retiring the one in force."""
    return _publish_new_version(
        TimeLimitRule, code=code, actor=actor, changes=changes, effective_from=effective_from,
        citation=citation, note=note,
    )


@transaction.atomic
def template_publish_new_version(
    *, code: str, actor: object, changes: Mapping[str, object], effective_from: dt.date | str,
    citation: str, note: str = "",
) -> DocumentTemplate:
    """Publish the next version of document template ``code`` (``name``, ``blocks``),
    retiring the one in force."""
    return _publish_new_version(
        DocumentTemplate, code=code, actor=actor, changes=changes, effective_from=effective_from,
        citation=citation, note=note,
    )


@transaction.atomic
def matter_publish_new_version(
    *, code: str, actor: object, changes: Mapping[str, object], effective_from: dt.date | str,
    citation: str, note: str = "",
) -> Matter:
    """Publish the next version of enforcement matter ``code`` (e.g. after a law revision),
    retiring the one in force."""
    return _publish_new_version(
        Matter, code=code, actor=actor, changes=changes, effective_from=effective_from,
        citation=citation, note=note,
    )


# --- drafts and retirement ----------------------------------------------------------------

@transaction.atomic
def version_draft_create(
    *, kind: str, code: str, actor: object, effective_from: dt.date | str, citation: str = "",
    changes: Mapping[str, object] | None = None, note: str = "",
) -> VersionedRule:
    """A draft of the next version of ``code`` (or of a new code): the content of the version
    in force plus ``changes``. Drafts are edited freely and published with
    :func:`version_draft_publish`."""
    model = _kind(kind)
    actor = _actor(actor)
    changes = _check_changes(model, changes)
    start = _as_date(effective_from, "effective_from")
    rows = _locked(model, code)
    base = next((r for r in rows if r.status == RuleStatus.PUBLISHED), None) or next(
        (r for r in reversed(rows) if r.status == RuleStatus.RETIRED), None
    )
    draft = model(
        code=code, version=max((r.version for r in rows), default=0) + 1, effective_from=start,
        citation=citation or (base.citation if base else ""), note=note, created_by=actor,
        status=RuleStatus.DRAFT, **{**(_content(base) if base else {}), **changes},
    )
    _full_clean(draft)
    draft.save()
    ledger_append(
        subject=_subject(model, code), action="catalog.draft_created", actor=actor,
        payload=_jsonable({"kind": kind, "code": code, "version": draft.version,
                           "effective_from": start, "changes": changes}),
    )
    return draft


def _draft(model, pk) -> VersionedRule:
    try:
        row = model.objects.select_for_update().get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound("not_found", gettext("No such draft.")) from None
    if row.status != RuleStatus.DRAFT:
        raise GuardRefused(
            "version_frozen",
            gettext("Version %(version)s of %(code)s is %(status)s and cannot be edited; "
                    "publish a new version instead.")
            % {"version": row.version, "code": row.code, "status": row.get_status_display()},
            rule_code=row.code, version=row.version, status=row.status,
        )
    return row


@transaction.atomic
def version_draft_update(
    *, kind: str, pk: object, actor: object, changes: Mapping[str, object] | None = None,
    effective_from: dt.date | str | None = None, citation: str | None = None, note: str | None = None,
) -> VersionedRule:
    """Edit a draft in place (published and retired versions refuse ``version_frozen``)."""
    model = _kind(kind)
    actor = _actor(actor)
    changes = _check_changes(model, changes)
    row = _draft(model, pk)
    for key, value in changes.items():
        setattr(row, key, value)
    if effective_from is not None:
        row.effective_from = _as_date(effective_from, "effective_from")
    if citation is not None:
        row.citation = citation
    if note is not None:
        row.note = note
    _full_clean(row)
    row.save()
    ledger_append(
        subject=_subject(model, row.code), action="catalog.draft_updated", actor=actor,
        payload=_jsonable({"kind": kind, "code": row.code, "version": row.version,
                           "effective_from": row.effective_from, "changes": changes}),
    )
    return row


@transaction.atomic
def version_draft_publish(*, kind: str, pk: object, actor: object) -> VersionedRule:
    """Publish a draft: validated, the version in force retired the day before the draft's
    ``effective_from``; refuses ``version_overlap`` like the direct services."""
    model = _kind(kind)
    actor = _actor(actor)
    draft = _draft(model, pk)
    draft.citation = _citation(draft.citation)
    _full_clean(draft)
    rows = _locked(model, draft.code)
    current = next((r for r in rows if r.status == RuleStatus.PUBLISHED), None)
    if current is not None and draft.version < current.version:
        raise GuardRefused(
            "draft_outdated",
            gettext("Version %(version)s was published after this draft was made; start a new draft.")
            % {"version": current.version},
            rule_code=draft.code, version=draft.version, published_version=current.version,
        )
    return _publish(model, rows, draft, actor=actor, action="catalog.version_published",
                    extra={"from_draft": True, "note": draft.note})


@transaction.atomic
def version_retire(
    *, kind: str, code: str, actor: object, last_day: dt.date | str, reason: str,
) -> VersionedRule:
    """Retire the published version of ``code`` without a successor (e.g. the provision was
    repealed): in force up to and including ``last_day``."""
    model = _kind(kind)
    actor = _actor(actor)
    end = _as_date(last_day, "last_day")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("reason_required", gettext("Give the reason."), field="reason")
    row = next((r for r in _locked(model, code) if r.status == RuleStatus.PUBLISHED), None)
    if row is None:
        raise NotFound("not_found", gettext("No published version of %(code)s.") % {"code": code})
    if end < row.effective_from:
        raise InvalidInput(
            "invalid_date", gettext("The last day cannot be before the version took effect."),
            field="last_day",
        )
    _retire(row, end, timezone.now())
    ledger_append(
        subject=_subject(model, code), action="catalog.version_retired", actor=actor,
        payload=_jsonable({"kind": kind, "code": code, "version": row.version,
                           "effective_to": row.effective_to, "reason": reason.strip()}),
    )
    return row


# --- prefixes and templates -------------------------------------------------------------

@transaction.atomic
def document_prefix_set(
    *, unit_code: str, case_kind: str, prefix: str, actor: object, note: str = "",
) -> DocumentPrefix:
    """Set the document-number prefix (文号前缀) of a unit for a case kind, e.g. 沪浦环罚."""
    actor = _actor(actor)
    if case_kind not in CaseKind.values:
        raise InvalidInput("invalid_case_kind", gettext("Unknown case kind."), field="case_kind")
    row = DocumentPrefix.objects.select_for_update().filter(unit_code=unit_code, case_kind=case_kind).first()
    previous = row.prefix if row else None
    if row is None:
        row = DocumentPrefix(unit_code=unit_code, case_kind=case_kind)
    row.prefix = (prefix or "").strip()
    row.note = note
    try:
        row.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput("invalid_prefix", "; ".join(str(m) for m in messages), field=field) from None
    row.save()
    ledger_append(
        subject=f"document_prefix:{unit_code}.{case_kind}", action="catalog.prefix_set", actor=actor,
        payload={"unit_code": unit_code, "case_kind": case_kind, "prefix": row.prefix,
                 "previous": previous, "note": note},
    )
    return row


@transaction.atomic
def templates_load_defaults(*, actor: object) -> int:
    """Load ``DEFAULT_TEMPLATES`` of ``catalog.data.document_templates`` for codes not yet in
    the database (after the module arrived later than migration 0007). Returns the number of
    template versions created."""
    actor = _actor(actor)
    templates = seed.default_templates()
    if templates is None:
        raise NotFound(
            "templates_module_missing",
            gettext("The default document templates module is not installed."),
        )
    try:
        created = seed.load_templates(django_apps, "default", templates)
    except ValueError as exc:
        raise InvalidInput("invalid_templates", str(exc), field="DEFAULT_TEMPLATES") from None
    if created:
        ledger_append(
            subject="template:*", action="catalog.templates_loaded", actor=actor,
            payload={"created": created, "module": seed.TEMPLATES_MODULE},
        )
    return created
