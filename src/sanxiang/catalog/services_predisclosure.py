"""Writes to the pre-disclosure documents (事前公开文件维护). Keyword-only, one transaction each,
one ledger entry each (subject ``predisclosure:<slug>``).

Who: a publisher (公示管理员) of the document's unit or of a unit above it (the city bureau's
publisher may publish for a district; a district's publisher never for the city or another
district) — anyone else gets 403. "谁执法，谁公示，谁负责".

How: a document is edited as a draft (at most one per slug) and published as its next version;
publishing retires the version on the portal in the same transaction, so the portal always
shows exactly one version and the history keeps every published one with its dates and change
note. Published versions are frozen at the database (``catalog.triggers_predisclosure``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanxiang.accounts.constants import Role
from sanxiang.accounts.models import Unit, User
from sanxiang.accounts.selectors import unit_is_within
from sanxiang.catalog.choices import RuleStatus
from sanxiang.catalog.models.predisclosure import (
    SLUG_PATTERN,
    PreDisclosureCategory,
    PreDisclosureDocument,
)
from sanxiang.core.errors import GuardRefused, InvalidInput, NotFound, PermissionDenied
from sanxiang.core.validation import full_clean_or_invalid
from sanxiang.records.services import ledger_append

__all__ = [
    "predisclosure_draft_discard",
    "predisclosure_draft_save",
    "predisclosure_publish",
    "predisclosure_retire",
]

MAX_BODY_CHARS = 100_000


# --- helpers ---------------------------------------------------------------------------------

def _actor_ref(actor: User) -> str:
    return f"user:{actor.pk}"


def _unit(unit_code: object) -> Unit:
    code = unit_code.strip() if isinstance(unit_code, str) else ""
    unit = Unit.objects.filter(code=code).first() if code else None
    if unit is None:
        raise InvalidInput("unknown_unit", gettext("Unknown unit."), field="unit_code")
    return unit


def _require_publisher(actor: object, unit_code: str) -> Unit:
    """The actor is a publisher of ``unit_code``'s unit or of a unit above it; else 403."""
    if not isinstance(actor, User) or actor.pk is None:
        raise InvalidInput("actor_required", gettext("An actor is required."), field="actor")
    unit = Unit.objects.filter(code=unit_code).first()
    if not actor.has_role(Role.PUBLISHER):
        raise PermissionDenied(
            "publisher_required",
            gettext("Only a publicity officer (公示管理员) may edit or publish pre-disclosure documents."),
        )
    if actor.unit is None or unit is None or not unit_is_within(unit, actor.unit):
        raise PermissionDenied(
            "outside_unit_scope",
            gettext("You may publish only for your own unit and the units below it."),
            unit_code=unit_code,
        )
    return unit


def _text(value: object, field: str, *, required: bool = True, max_length: int | None = None) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise InvalidInput("required", gettext("This field is required."), field=field)
    if max_length is not None and len(text) > max_length:
        raise InvalidInput(
            "too_long", gettext("At most %(n)d characters.") % {"n": max_length}, field=field,
        )
    return text


def _as_date(value: object, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
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


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _locked(slug: str) -> list[PreDisclosureDocument]:
    return list(PreDisclosureDocument.objects.select_for_update().filter(slug=slug).order_by("version"))


def _full_clean(row: PreDisclosureDocument) -> None:
    full_clean_or_invalid(row, "invalid_document")


def _document(document_id: object) -> PreDisclosureDocument:
    try:
        return PreDisclosureDocument.objects.select_for_update().get(pk=document_id)
    except (PreDisclosureDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound("not_found", gettext("No such pre-disclosure document.")) from None


def _refuse_frozen(row: PreDisclosureDocument) -> None:
    if row.status != RuleStatus.DRAFT:
        raise GuardRefused(
            "version_frozen",
            gettext("Version %(version)s of %(slug)s is %(status)s and cannot be changed; "
                    "edit a new draft instead.")
            % {"version": row.version, "slug": row.slug, "status": row.get_status_display()},
            slug=row.slug, version=row.version, status=row.status,
        )


# --- drafts ----------------------------------------------------------------------------------

@transaction.atomic
def predisclosure_draft_save(
    *, actor: User, category: str, slug: str, title: str, body: str, unit_code: str,
    change_note: str = "", effective_from: dt.date | str | None = None,
) -> PreDisclosureDocument:
    """Create or update the draft of document ``slug`` (the next version). A slug already in
    use keeps its category and unit: a draft cannot move it to another category or unit."""
    if category not in PreDisclosureCategory.values:
        raise InvalidInput("invalid_category", gettext("Unknown category."), field="category")
    slug = _text(slug, "slug", max_length=64).lower()
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise InvalidInput(
            "invalid_slug",
            gettext("Use lower-case letters, digits and hyphens, e.g. pudong-duties."), field="slug",
        )
    title = _text(title, "title", max_length=200)
    body = _text(body, "body", max_length=MAX_BODY_CHARS)
    change_note = _text(change_note, "change_note", required=False, max_length=2000)
    start = _as_date(effective_from, "effective_from")
    unit = _unit(unit_code)
    _require_publisher(actor, unit.code)
    rows = _locked(slug)
    if rows:
        first = rows[0]
        if first.unit_code != unit.code or first.category != category:
            raise GuardRefused(
                "slug_taken",
                gettext("The identifier %(slug)s is already used by another document; choose another.")
                % {"slug": slug},
                field="slug", slug=slug,
            )
    draft = next((r for r in rows if r.status == RuleStatus.DRAFT), None)
    created = draft is None
    if draft is None:
        draft = PreDisclosureDocument(
            slug=slug, category=category, unit_code=unit.code, status=RuleStatus.DRAFT,
            version=max((r.version for r in rows), default=0) + 1,
        )
    draft.title, draft.body, draft.change_note = title, body, change_note
    draft.effective_from = start
    draft.author = actor
    draft.updated_at = timezone.now()
    _full_clean(draft)
    draft.save()
    ledger_append(
        subject=f"predisclosure:{slug}", action="predisclosure.draft_saved", actor=_actor_ref(actor),
        payload={"slug": slug, "version": draft.version, "category": category, "unit": unit.code,
                 "title": title, "body_sha256": _sha256(body), "created": created},
    )
    return draft


@transaction.atomic
def predisclosure_draft_discard(*, actor: User, document_id: object) -> None:
    """Delete a draft that will not be published (published versions are never deleted)."""
    draft = _document(document_id)
    _require_publisher(actor, draft.unit_code)
    _refuse_frozen(draft)
    slug, version = draft.slug, draft.version
    draft.delete()
    ledger_append(
        subject=f"predisclosure:{slug}", action="predisclosure.draft_discarded", actor=_actor_ref(actor),
        payload={"slug": slug, "version": version},
    )


# --- publishing --------------------------------------------------------------------------------

@transaction.atomic
def predisclosure_publish(
    *, actor: User, document_id: object, effective_from: dt.date | str | None = None,
) -> PreDisclosureDocument:
    """Publish a draft on the portal: the version on the portal (if any) is retired in the same
    transaction. The effective date defaults to the draft's, else today; it cannot lie in the
    future nor before the version it replaces. Every version needs its change note (修改说明)."""
    draft = _document(document_id)
    _require_publisher(actor, draft.unit_code)
    _refuse_frozen(draft)
    rows = _locked(draft.slug)
    current = next((r for r in rows if r.status == RuleStatus.PUBLISHED), None)
    if current is not None and draft.version < current.version:
        raise GuardRefused(
            "draft_outdated",
            gettext("Version %(version)s was published after this draft was made; start a new draft.")
            % {"version": current.version},
            slug=draft.slug, version=draft.version, published_version=current.version,
        )
    if not draft.change_note.strip():
        raise InvalidInput(
            "change_note_required", gettext("Say what this version changes (修改说明)."), field="change_note",
        )
    today = timezone.localdate()
    start = _as_date(effective_from, "effective_from") or draft.effective_from or today
    if start > today:
        raise InvalidInput(
            "effective_in_future",
            gettext("A published version is in force from today at the latest."), field="effective_from",
        )
    if current is not None and start < current.effective_from:
        raise InvalidInput(
            "effective_before_previous",
            gettext("The new version cannot take effect before %(date)s, when version %(version)s did.")
            % {"date": current.effective_from.isoformat(), "version": current.version},
            field="effective_from",
        )
    now = timezone.now()
    if current is not None:
        current.status = RuleStatus.RETIRED
        current.retired_at = now
        current.save(update_fields=["status", "retired_at"])
    draft.status = RuleStatus.PUBLISHED
    draft.published_at = now
    draft.published_by = actor
    draft.effective_from = start
    _full_clean(draft)
    draft.save()
    ledger_append(
        subject=f"predisclosure:{draft.slug}", action="predisclosure.published", actor=_actor_ref(actor),
        payload={
            "slug": draft.slug, "version": draft.version, "category": draft.category,
            "unit": draft.unit_code, "title": draft.title, "body_sha256": _sha256(draft.body),
            "effective_from": start.isoformat(), "change_note": draft.change_note,
            "previous_version": current.version if current else None,
        },
    )
    return draft


@transaction.atomic
def predisclosure_retire(*, actor: User, slug: str, reason: str) -> PreDisclosureDocument:
    """Take document ``slug`` off the portal without a successor (e.g. the duty moved to another
    unit); its history stays public with the reason."""
    reason = _text(reason, "reason", max_length=2000)
    current = next((r for r in _locked(slug) if r.status == RuleStatus.PUBLISHED), None)
    if current is None:
        raise NotFound("not_found", gettext("No published version of %(slug)s.") % {"slug": slug})
    _require_publisher(actor, current.unit_code)
    current.status = RuleStatus.RETIRED
    current.retired_at = timezone.now()
    current.retire_note = reason
    current.save(update_fields=["status", "retired_at", "retire_note"])
    ledger_append(
        subject=f"predisclosure:{slug}", action="predisclosure.retired", actor=_actor_ref(actor),
        payload={"slug": slug, "version": current.version, "reason": reason},
    )
    return current
