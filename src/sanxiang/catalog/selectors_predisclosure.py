"""Reads of the pre-disclosure documents (事前公开) for the portal and the staff editor.

Two kinds of content per category:

* **documents** — versioned text a publisher edits (``PreDisclosureDocument``): the portal shows
  the published version of each, and every published version with its dates and change note;
* **live sections** — lists the platform already keeps, shown as they are today, never copied:
  the enforcement matter catalog, the random-inspection matters, the power and responsibility
  list, officers and their certificates, time limits, the review catalogue, the laws the
  matter catalog cites (:func:`predisclosure_live_sections`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from sanxiang.accounts.constants import CertificateStatus, Role
from sanxiang.accounts.data.units import STANDARD_UNITS
from sanxiang.accounts.models import Officer, Unit, User
from sanxiang.accounts.selectors import officer_public_record, unit_is_within, units_visible
from sanxiang.catalog import selectors as catalog
from sanxiang.catalog.choices import RuleStatus
from sanxiang.catalog.constants import CaseKind, Field, PenaltyType
from sanxiang.catalog.models.predisclosure import PreDisclosureCategory, PreDisclosureDocument
from sanxiang.catalog.rules import predisclosure_markup
from sanxiang.core.errors import NotFound

__all__ = [
    "CategorySummary",
    "DocumentHistory",
    "LiveSection",
    "PublicDocument",
    "StaffDocument",
    "predisclosure_can_edit",
    "predisclosure_category",
    "predisclosure_current",
    "predisclosure_history",
    "predisclosure_index",
    "predisclosure_live_sections",
    "predisclosure_render",
    "predisclosure_staff_get",
    "predisclosure_staff_list",
    "public_citation",
]

CATEGORIES: tuple[PreDisclosureCategory, ...] = tuple(PreDisclosureCategory)
"""The seven categories in the order of the bureau's plan."""

PUBLIC_STATUSES = (RuleStatus.PUBLISHED, RuleStatus.RETIRED)

LIVE_SECTION_KEYS: dict[str, tuple[str, ...]] = {
    PreDisclosureCategory.REGULATIONS: ("laws",),
    PreDisclosureCategory.ORGANISATION: ("units", "officers"),
    PreDisclosureCategory.PROCEDURES: ("time_limits", "review_catalogue", "hearing_rules"),
    PreDisclosureCategory.MATTER_CATALOG: ("matters",),
    PreDisclosureCategory.RANDOM_INSPECTION: ("random_matters",),
    PreDisclosureCategory.POWER_LIST: ("powers",),
    PreDisclosureCategory.OTHER: (),
}


# --- view models -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CategorySummary:
    category: PreDisclosureCategory
    documents: int
    last_updated: dt.datetime | None
    live_sections: tuple[str, ...]

    @property
    def value(self) -> str:
        return self.category.value

    @property
    def label(self) -> str:
        return str(self.category.label)


@dataclass(frozen=True)
class PublicDocument:
    """A published version as the portal shows it."""

    slug: str
    category: str
    title: str
    body_html: SafeString
    unit_code: str
    unit_name: str
    version: int
    effective_from: dt.date | None
    published_at: dt.datetime | None
    change_note: str


@dataclass(frozen=True)
class VersionEntry:
    """One version in a history (published, retired or — for staff — draft)."""

    pk: int
    version: int
    status: str
    status_label: str
    title: str
    body_html: SafeString
    effective_from: dt.date | None
    published_at: dt.datetime | None
    retired_at: dt.datetime | None
    change_note: str
    retire_note: str
    superseded_by: int | None
    author_name: str = ""
    published_by_name: str = ""


@dataclass(frozen=True)
class DocumentHistory:
    slug: str
    category: PreDisclosureCategory
    title: str
    unit_code: str
    unit_name: str
    on_portal: bool
    versions: tuple[VersionEntry, ...]


@dataclass
class StaffDocument:
    """A document in the staff editor: its published version and its draft, if any."""

    slug: str
    category: PreDisclosureCategory
    unit_code: str
    unit_name: str
    title: str
    published: PreDisclosureDocument | None
    draft: PreDisclosureDocument | None
    last_published_at: dt.datetime | None
    can_edit: bool
    latest: PreDisclosureDocument | None = None
    versions: tuple[VersionEntry, ...] = ()


@dataclass(frozen=True)
class LiveSection:
    """An auto-generated section: ``key`` picks its template; ``rows``/``groups`` its data."""

    key: str
    rows: tuple = ()
    groups: tuple = ()
    extra: dict = field(default_factory=dict)


# --- helpers ---------------------------------------------------------------------------------

def predisclosure_render(text: str | None) -> SafeString:
    """The body as safe HTML (every character escaped first; see ``rules.predisclosure_markup``)."""
    return mark_safe(predisclosure_markup.render(text))  # noqa: S308 - escaped by the renderer


def predisclosure_category(value: str) -> PreDisclosureCategory:
    """The category for a URL value; ``NotFound`` when there is none."""
    try:
        return PreDisclosureCategory(value)
    except ValueError:
        raise NotFound("category_not_found", gettext("No such category.")) from None


def _units() -> tuple[dict[str, str], dict[str, str]]:
    """Names and tree paths of units by code (standard names for units not in the database)."""
    names = {code: name for code, _parent, _kind, _level, _region, name in STANDARD_UNITS}
    paths: dict[str, str] = {}
    for code, name, path in Unit.objects.values_list("code", "name", "path"):
        names[code], paths[code] = name, path
    return names, paths


def _unit_order(paths: dict[str, str]):
    standard = {code: i for i, (code, *_rest) in enumerate(STANDARD_UNITS)}

    def key(code: str) -> tuple:
        return (code not in standard, standard.get(code, 0), paths.get(code, "~"), code)

    return key


def _user_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.username


def _entries(rows, *, with_people: bool = False) -> tuple[VersionEntry, ...]:
    """Versions newest first; ``superseded_by`` names the published version that retired one."""
    rows = sorted(rows, key=lambda r: r.version, reverse=True)
    entries = []
    for row in rows:
        successor = next(
            (r.version for r in reversed(rows) if r.version > row.version and r.status in PUBLIC_STATUSES),
            None,
        )
        entries.append(VersionEntry(
            pk=row.pk, version=row.version, status=row.status, status_label=str(row.get_status_display()),
            title=row.title, body_html=predisclosure_render(row.body), effective_from=row.effective_from,
            published_at=row.published_at, retired_at=row.retired_at, change_note=row.change_note,
            retire_note=row.retire_note,
            superseded_by=successor if row.status == RuleStatus.RETIRED and not row.retire_note else None,
            author_name=_user_name(row.author) if with_people else "",
            published_by_name=_user_name(row.published_by) if with_people else "",
        ))
    return tuple(entries)


# --- portal ----------------------------------------------------------------------------------

def predisclosure_index() -> tuple[CategorySummary, ...]:
    """The seven categories with their number of documents on the portal and the time of the
    last publication or retirement in each."""
    public = PreDisclosureDocument.objects.filter(status__in=PUBLIC_STATUSES)
    counts = Counter(
        public.filter(status=RuleStatus.PUBLISHED).values_list("category", flat=True)
    )
    last: dict[str, dt.datetime] = {}
    for row in public.values("category").annotate(p=Max("published_at"), r=Max("retired_at")):
        last[row["category"]] = max(t for t in (row["p"], row["r"]) if t is not None)
    return tuple(
        CategorySummary(c, counts.get(c.value, 0), last.get(c.value), LIVE_SECTION_KEYS[c])
        for c in CATEGORIES
    )


def predisclosure_current(category: str) -> tuple[PublicDocument, ...]:
    """The published documents of ``category``: city-wide first, then by unit, then title."""
    category = predisclosure_category(category)
    rows = list(PreDisclosureDocument.objects.filter(category=category, status=RuleStatus.PUBLISHED))
    names, paths = _units()
    order = _unit_order(paths)
    rows.sort(key=lambda r: (order(r.unit_code), r.title, r.slug))
    return tuple(
        PublicDocument(
            slug=r.slug, category=r.category, title=r.title, body_html=predisclosure_render(r.body),
            unit_code=r.unit_code, unit_name=names.get(r.unit_code, r.unit_code), version=r.version,
            effective_from=r.effective_from, published_at=r.published_at, change_note=r.change_note,
        )
        for r in rows
    )


def predisclosure_history(slug: str) -> DocumentHistory:
    """Every published version of ``slug`` (including retired ones), newest first, with its
    dates and change note. Drafts are never shown. ``NotFound`` when nothing was published."""
    rows = list(PreDisclosureDocument.objects.filter(slug=slug, status__in=PUBLIC_STATUSES))
    if not rows:
        raise NotFound("document_not_found", gettext("No such document."))
    names, _paths = _units()
    latest = max(rows, key=lambda r: r.version)
    return DocumentHistory(
        slug=slug, category=PreDisclosureCategory(latest.category), title=latest.title,
        unit_code=latest.unit_code, unit_name=names.get(latest.unit_code, latest.unit_code),
        on_portal=any(r.status == RuleStatus.PUBLISHED for r in rows), versions=_entries(rows),
    )


# --- live sections -----------------------------------------------------------------------------

_LAW_NAME = re.compile(r"《[^《》]{2,60}》")
_INTERNAL_REF = re.compile(r"\s*RULES\.md\s*R\d+(?:\.\d+)*(?:（[^）]*）)?\s*[：:]?")
_SOURCE_TAG = re.compile(r"\s*\[([VSU])\]")


def public_citation(text: str) -> str:
    """A rule's citation for the public: internal references (RULES.md) dropped, the
    verification tags [V]/[S] dropped and [U] shown as 〔待确认〕 (not yet confirmed)."""
    text = _INTERNAL_REF.sub("", text or "")
    text = _SOURCE_TAG.sub(lambda m: "〔待确认〕" if m.group(1) == "U" else "", text)
    text = re.sub(r"[；;，,]\s*(?=[；;，,]|$)", "", text)
    text = re.sub(r"[，,]\s*(?=〔待确认〕)", "", text)
    return text.strip(" ；;，,：:")


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _matter_row(m) -> dict:
    return {
        "code": m.code, "name": m.name, "field": _label(Field, m.field),
        "case_kind": _label(CaseKind, m.case_kind), "level": str(m.get_level_display()),
        "legal_basis": m.legal_basis, "penalty_basis": m.penalty_basis,
        "penalty_types": [_label(PenaltyType, t) for t in (m.penalty_types or [])],
        "fine_rule": m.fine_rule, "version": m.version, "effective_from": m.effective_from,
    }


def _grouped(rows: list[dict], key: str) -> tuple[dict, ...]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return tuple({"label": label, "rows": tuple(items)} for label, items in groups.items())


def _section(key: str, on: dt.date) -> LiveSection:
    if key == "laws":
        counts: Counter[str] = Counter()
        for basis, penalty in catalog.matter_list(on=on).values_list("legal_basis", "penalty_basis"):
            counts.update(set(_LAW_NAME.findall(f"{basis} {penalty}")))
        return LiveSection(key, rows=tuple({"name": n, "matters": c} for n, c in
                                           sorted(counts.items(), key=lambda x: (-x[1], x[0]))))
    if key in ("units", "officers"):
        officers = list(Officer.objects.select_related("user", "user__unit")
                        .filter(user__unit__isnull=False, user__is_active=True)
                        .order_by("user__unit__path", "certificate_number"))
        if key == "officers":
            return LiveSection(key, rows=tuple(officer_public_record(o, on) for o in officers))
        per_unit: dict[str, dict] = {}
        for o in officers:
            unit = o.user.unit
            row = per_unit.setdefault(unit.code, {"code": unit.code, "name": unit.name, "valid": 0, "total": 0})
            row["total"] += 1
            row["valid"] += o.status_on(on) == CertificateStatus.ACTIVE
        return LiveSection(key, rows=tuple(per_unit.values()),
                           extra={"valid": sum(r["valid"] for r in per_unit.values())})
    if key == "time_limits":
        return LiveSection(key, rows=tuple(
            {"title": t.title or t.name, "days": t.days, "working_days": t.working_days,
             "start_event": t.start_event, "citation": public_citation(t.citation)}
            for t in catalog.time_limits_in_force(on).values()))
    if key in ("review_catalogue", "hearing_rules"):
        purpose = "major" if key == "review_catalogue" else "hearing"
        return LiveSection(key, rows=tuple(
            {"code": r.code, "description": r.description, "citation": public_citation(r.citation)}
            for r in catalog.rules_in_force(purpose, on)))
    if key == "matters":
        rows = [_matter_row(m) for m in catalog.matter_list(on=on).order_by("field", "code")]
        return LiveSection(key, groups=_grouped(rows, "field"), extra={"count": len(rows)})
    if key == "random_matters":
        rows = [_matter_row(m) for m in
                catalog.matter_list(on=on).filter(random_inspection=True).order_by("field", "code")]
        return LiveSection(key, groups=_grouped(rows, "field"), extra={"count": len(rows)})
    if key == "powers":
        rows = [_matter_row(m) for m in catalog.matter_list(on=on).order_by("case_kind", "level", "code")]
        return LiveSection(key, groups=_grouped(rows, "case_kind"), extra={"count": len(rows)})
    raise ValueError(f"unknown live section {key}")


def predisclosure_live_sections(category: str, on: dt.date | None = None) -> tuple[LiveSection, ...]:
    """The auto-generated sections of ``category`` as they are on ``on`` (default today)."""
    category = predisclosure_category(category)
    day = on or timezone.localdate()
    return tuple(_section(key, day) for key in LIVE_SECTION_KEYS[category])


# --- staff editor ------------------------------------------------------------------------------

def predisclosure_can_edit(viewer: User, unit_code: str, *, paths: dict[str, str] | None = None) -> bool:
    """Display helper: a publisher of ``unit_code``'s unit or a unit above it (the services
    guard again)."""
    if not viewer.has_role(Role.PUBLISHER) or viewer.unit is None:
        return False
    if paths is not None:
        path = paths.get(unit_code)
        return path is not None and path.startswith(viewer.unit.path)
    unit = Unit.objects.filter(code=unit_code).first()
    return unit is not None and unit_is_within(unit, viewer.unit)


def _visible_q(viewer: User) -> Q:
    """Published history is public; drafts only within the viewer's unit scope."""
    codes = list(units_visible(viewer).values_list("code", flat=True))
    return Q(status__in=PUBLIC_STATUSES) | Q(unit_code__in=codes)


def predisclosure_staff_list(*, viewer: User, category: str) -> tuple[StaffDocument, ...]:
    """The documents of ``category`` with their published version and draft, for the editor."""
    category = predisclosure_category(category)
    rows = list(PreDisclosureDocument.objects.filter(_visible_q(viewer), category=category))
    names, paths = _units()
    order = _unit_order(paths)
    by_slug: dict[str, list[PreDisclosureDocument]] = defaultdict(list)
    for r in rows:
        by_slug[r.slug].append(r)
    docs = []
    for slug, versions in by_slug.items():
        latest = max(versions, key=lambda r: r.version)
        published = next((r for r in versions if r.status == RuleStatus.PUBLISHED), None)
        draft = next((r for r in versions if r.status == RuleStatus.DRAFT), None)
        last = max((r.published_at for r in versions if r.published_at), default=None)
        docs.append(StaffDocument(
            slug=slug, category=category, unit_code=latest.unit_code,
            unit_name=names.get(latest.unit_code, latest.unit_code),
            title=(published or latest).title, published=published, draft=draft,
            last_published_at=last, can_edit=predisclosure_can_edit(viewer, latest.unit_code, paths=paths),
        ))
    docs.sort(key=lambda d: (order(d.unit_code), d.title, d.slug))
    return tuple(docs)


def predisclosure_staff_get(*, viewer: User, slug: str) -> StaffDocument:
    """One document with every version the viewer may see (drafts within scope), newest first;
    ``NotFound`` otherwise."""
    rows = list(PreDisclosureDocument.objects.filter(_visible_q(viewer), slug=slug)
                .select_related("author", "published_by"))
    if not rows:
        raise NotFound("document_not_found", gettext("No such document."))
    names, paths = _units()
    latest = max(rows, key=lambda r: r.version)
    published = next((r for r in rows if r.status == RuleStatus.PUBLISHED), None)
    return StaffDocument(
        slug=slug, category=PreDisclosureCategory(latest.category), unit_code=latest.unit_code,
        unit_name=names.get(latest.unit_code, latest.unit_code), title=(published or latest).title,
        published=published, draft=next((r for r in rows if r.status == RuleStatus.DRAFT), None),
        last_published_at=max((r.published_at for r in rows if r.published_at), default=None),
        can_edit=predisclosure_can_edit(viewer, latest.unit_code, paths=paths), latest=latest,
        versions=_entries(rows, with_people=True),
    )
