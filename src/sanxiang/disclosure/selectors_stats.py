"""Portal statistics and open data (公示统计、开放数据): public reads over the decisions on the portal.

Everything here reads only what the public already sees: the stored public record
(`public_record`, redacted) and the public columns kept beside it (`unit_code`,
`decision_kind`, `decided_on`, `fine_amount`, `penalty_codes`, `public_id`, the log index and
the record's hash) — never the private snapshot (`source`, `known_values`). A decision counts
while it is on the portal (`selectors.in_period_q`: published or corrected, inside its display
period); withdrawn, ended and pending decisions never appear.

**Statistics (统计).** Computed set-based in the database — one GROUP BY per dimension, the
penalty types as conditional counts of one query — so the cost does not grow with Python
loops over decisions; the same numbers on SQLite and PostgreSQL (months by `TruncMonth` on
the decision date, money as decimals). Cached in the default cache under a key holding the
public log size and the date: every publication, correction, withdrawal or end appends a
leaf, so a change shows at once; the date ends decisions whose display period ran out.

**Open data (开放数据).** `open_data_rows` yields one row per decision, read in chunks by
primary key (keyset pagination: constant memory whatever the number of decisions), with the
fields of `OPEN_DATA_FIELDS` — the data dictionary (数据字典) lists each with its Chinese
label, type, meaning and the redaction rule it is published under.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.accounts.constants import UnitLevel
from sanxiang.accounts.models import Unit
from sanxiang.catalog.constants import PenaltyType
from sanxiang.disclosure import publiclog
from sanxiang.disclosure.models import PublicationItem
from sanxiang.disclosure.rules.policy import (
    MASK_NAME,
    PUBLISH,
    WITHHOLD,
    RedactionPolicy,
    policy_for,
)
from sanxiang.disclosure.selectors import POLICIES, PUBLIC_SORTS, in_period_q

__all__ = [
    "CITY_LEVEL",
    "MONTHS",
    "OPEN_DATA_FIELDS",
    "OpenDataField",
    "csv_value",
    "field_rules_text",
    "headline_stats",
    "latest_decisions",
    "open_data_rows",
    "portal_stats",
    "stats_cache_key",
]

#: Months shown by the statistics (the current month and the 23 before it).
MONTHS = 24
#: Key of the decisions of units below no district (the city bureau, its corps and departments).
CITY_LEVEL = "city-level"
#: Rows read per query by the open-data download.
CHUNK = 500
CACHE_SECONDS = 3600
_CENT = Decimal("0.01")
_WAN = Decimal(10000)


def _on_portal(today: dt.date):
    return PublicationItem.objects.filter(in_period_q(today))


def _money(value) -> Decimal:
    return (Decimal(value) if value is not None else Decimal(0)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _wan(value: Decimal, places: str = "0.000001") -> str:
    """Yuan → 万元 (10,000 yuan) as a decimal string."""
    return str((value / _WAN).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


# ----------------------------------------------------------------------------- statistics


def headline_stats(today: dt.date | None = None) -> dict:
    """Headline figures (首页统计): decisions on the portal, decided this year, fines this year."""
    today = today or timezone.localdate()
    year = dt.date(today.year, 1, 1)
    this_year = Q(decided_on__gte=year, decided_on__lte=today.replace(month=12, day=31))
    row = _on_portal(today).aggregate(
        total=Count("id"), year=Count("id", filter=this_year), fines=Sum("fine_amount", filter=this_year))
    fines = _money(row["fines"])
    return {"year": today.year, "decisions": row["total"], "decisions_this_year": row["year"],
            "fines_this_year": str(fines), "fines_this_year_wan": _wan(fines, "0.01")}


def _districts() -> tuple[list[dict], Case]:
    """The districts (区) and a CASE expression mapping a deciding unit code to the district it
    lies in (the district bureau itself or any unit below it); other units: `CITY_LEVEL`."""
    units = list(Unit.objects.values_list("code", "name", "level", "path", "parent__level", "region_code"))
    # A district is the top district-level unit of its branch (its teams are district-level too);
    # in the order of their region codes (GB/T 2260).
    districts = sorted((u for u in units if u[2] == UnitLevel.DISTRICT and u[4] != UnitLevel.DISTRICT),
                       key=lambda u: (u[5], u[0]))
    whens = []
    for code, _name, _level, path, _parent, _region in districts:
        below = [u[0] for u in units if u[3].startswith(path)]
        whens.append(When(unit_code__in=below, then=Value(code)))
    expression = Case(*whens, default=Value(CITY_LEVEL), output_field=CharField())
    return [{"code": u[0], "name": u[1]} for u in districts], expression


def _compute(today: dt.date) -> dict:
    qs = _on_portal(today)
    first = _month_start(today, MONTHS - 1)
    by_month = {
        row["month"]: row for row in
        qs.filter(decided_on__gte=first, decided_on__lte=today)
        .annotate(month=TruncMonth("decided_on")).values("month")
        .annotate(decisions=Count("id"), fines=Sum("fine_amount")).order_by("month")
    }
    months = []
    for back in range(MONTHS - 1, -1, -1):
        start = _month_start(today, back)
        row = by_month.get(start) or {}
        fines = _money(row.get("fines"))
        months.append({"month": start.strftime("%Y-%m"), "decisions": row.get("decisions", 0),
                       "fines": str(fines), "fines_wan": _wan(fines)})

    districts, district_of = _districts()
    by_district = {row["district"]: row for row in
                   qs.annotate(district=district_of).values("district")
                   .annotate(decisions=Count("id"), fines=Sum("fine_amount")).order_by("district")}
    district_rows = []
    for unit in [*districts, {"code": CITY_LEVEL, "name": ""}]:
        row = by_district.get(unit["code"]) or {}
        fines = _money(row.get("fines"))
        district_rows.append({"code": unit["code"], "name": unit["name"], "decisions": row.get("decisions", 0),
                              "fines": str(fines), "fines_wan": _wan(fines)})

    counts = qs.aggregate(**{code: Count("id", filter=Q(penalty_codes__contains=f",{code},"))
                             for code in PenaltyType.values})
    penalty_rows = [{"code": code, "decisions": counts[code]} for code in PenaltyType.values]

    return {"as_of": today.isoformat(), "months": months, "districts": district_rows,
            "penalty_types": penalty_rows, "headline": headline_stats(today)}


def stats_cache_key(today: dt.date) -> str:
    """Changes with every leaf of the public log (each publication change appends one) and daily."""
    return f"sanxiang:portal-stats:v1:{publiclog.public_log_size()}:{today.isoformat()}"


def portal_stats(today: dt.date | None = None) -> dict:
    """The portal statistics (公示统计) as JSON-ready data, cached (see the module docstring).

    ``months``: the last `MONTHS` months, oldest first (``month`` ``YYYY-MM``, ``decisions``,
    ``fines`` in yuan, ``fines_wan`` in 万元); ``districts``: one row per district unit with the
    decisions of the district bureau and every unit below it, then the city-level units
    (`CITY_LEVEL`); ``penalty_types``: decisions imposing each penalty type (a decision with
    two types counts under both); ``headline``: see `headline_stats`.
    """
    today = today or timezone.localdate()
    key = stats_cache_key(today)
    data = cache.get(key)
    if data is None:
        data = _compute(today)
        cache.set(key, data, CACHE_SECONDS)
    return data


def latest_decisions(limit: int = 10, today: dt.date | None = None) -> list[dict]:
    """The latest decisions on the portal (最新公示), newest decision first: public values only."""
    today = today or timezone.localdate()
    rows = (_on_portal(today).order_by(*PUBLIC_SORTS["newest"])  # walks the search order index
            .only("public_id", "public_record", "party_name", "decided_on", "published_at")[:limit])
    out = []
    for item in rows:
        record = item.record or {}
        out.append({"public_id": item.public_id, "title": record.get("title", ""),
                    "party_name": item.party_name, "decided_on": item.decided_on,
                    "agency": record.get("agency", "")})
    return out


# ------------------------------------------------------------------------------ open data


@dataclass(frozen=True)
class OpenDataField:
    """One field of the open data set (开放数据字段)."""

    name: str
    label_zh: str  # fixed Chinese column label (the data set is the same in every UI language)
    type: str  # string | date | datetime | decimal | integer | list | object_list
    meaning: Promise
    source: Promise  # where the value comes from
    record_field: bool = True  # a field of the public record (its redaction rule applies)


def _f(name, label_zh, type_, meaning, source=None, record_field=True) -> OpenDataField:
    return OpenDataField(name, label_zh, type_, meaning,
                         source or gettext_lazy("Public record, field of the same name"), record_field)


_ITEM = gettext_lazy("Publication data of the portal (not part of the record)")

#: The fields of the CSV and JSONL downloads, in column order.
OPEN_DATA_FIELDS: tuple[OpenDataField, ...] = (
    _f("public_id", "公示编号", "string",
       gettext_lazy("Identifier of the published decision on the portal and in the public log API."),
       _ITEM, record_field=False),
    _f("decision_number", "决定书文号", "string", gettext_lazy("Document number of the decision (文号).")),
    _f("decision_kind", "决定类别", "string",
       gettext_lazy("Kind of decision: penalty, permit, coercion or other.")),
    _f("title", "案件名称", "string", gettext_lazy("Title of the case, personal data removed.")),
    _f("party_type", "行政相对人类别", "string",
       gettext_lazy("Party type: organization, person or individual_business.")),
    _f("party_name", "行政相对人名称", "string",
       gettext_lazy("Name of the party: organisations in full, natural persons as surname + 某.")),
    _f("uscc", "统一社会信用代码", "string",
       gettext_lazy("Unified social credit code of an organisation party (GB 32100).")),
    _f("legal_representative", "法定代表人", "string",
       gettext_lazy("Legal representative of an organisation party.")),
    _f("address", "地址", "string", gettext_lazy("Address of an organisation party.")),
    _f("co_parties", "其他当事人", "object_list",
       gettext_lazy("Further parties of the decision (type, name as published, credit code of organisations); "
                    "JSON text in the CSV.")),
    _f("penalty_types", "处罚类别代码", "list",
       gettext_lazy("Penalty type codes (warning, fine, confiscation, …); separated by semicolons in the CSV.")),
    _f("penalty_type", "处罚类别", "string", gettext_lazy("Penalty types in Chinese.")),
    _f("fine_amount", "罚款金额(元)", "decimal", gettext_lazy("Fine in yuan, two decimals.")),
    _f("confiscation_amount", "没收金额(元)", "decimal",
       gettext_lazy("Illegal gains or property confiscated, in yuan.")),
    _f("legal_basis", "处罚依据", "string", gettext_lazy("Legal basis of the decision.")),
    _f("facts", "违法事实", "string", gettext_lazy("Facts of the violation, personal data removed.")),
    _f("conclusion", "处理结果", "string", gettext_lazy("What was decided, personal data removed.")),
    _f("decided_on", "决定日期", "date", gettext_lazy("Date of the decision (YYYY-MM-DD).")),
    _f("display_until", "公示截止日期", "date",
       gettext_lazy("Last day of the display period; empty when the decision has none.")),
    _f("agency", "决定机关", "string", gettext_lazy("Agency that made the decision.")),
    _f("agency_uscc", "决定机关统一社会信用代码", "string",
       gettext_lazy("Unified social credit code of the deciding agency.")),
    _f("corrections", "更正记录", "object_list",
       gettext_lazy("Corrections published so far (date and public reason); JSON text in the CSV.")),
    _f("unit", "决定单位代码", "string", gettext_lazy("Code of the deciding unit (pudong, huangpu, …)."),
       _ITEM, record_field=False),
    _f("state", "公示状态", "string",
       gettext_lazy("published, or corrected when a correction was published."), _ITEM, record_field=False),
    _f("published_at", "公示时间", "datetime",
       gettext_lazy("When the decision was first published (ISO 8601 with offset)."), _ITEM,
       record_field=False),
    _f("log_index", "公开日志序号", "integer",
       gettext_lazy("Leaf of the public transparency log that committed the current record."), _ITEM,
       record_field=False),
    _f("record_sha256", "公开记录SHA-256", "string",
       gettext_lazy("SHA-256 of the canonical JSON of the public record, as committed in the log leaf."),
       _ITEM, record_field=False),
)

_ACTION_TEXT = {
    PUBLISH: gettext_lazy("published as recorded"),
    WITHHOLD: gettext_lazy("never published"),
    MASK_NAME: gettext_lazy("surname + 某"),
}
_PARTY_TEXT = {"person": gettext_lazy("natural persons"), "organization": gettext_lazy("organisations"),
               "individual_business": gettext_lazy("individual businesses")}


def field_rules_text(name: str, policy: RedactionPolicy | None = None) -> list[str]:
    """The redaction rules (公开规则) of a record field under the policy in force, in words."""
    policy = policy or policy_for(timezone.localdate(), POLICIES)
    lines = []
    for rule in policy.field_rules:
        if rule.field != name:
            continue
        who = ", ".join(str(_PARTY_TEXT.get(t, t)) for t in rule.party_types)
        action = str(_ACTION_TEXT.get(rule.action, rule.action))
        lines.append(f"{who}: {action} ({rule.citation})" if who else f"{action} ({rule.citation})")
    if not lines:
        lines.append(_("free text: personal data found in it is removed before publication (%(policy)s)")
                     % {"policy": f"{policy.name} v{policy.version}"})
    return lines


def _row(item: PublicationItem) -> dict:
    record = item.record or {}
    row = {f.name: record.get(f.name) for f in OPEN_DATA_FIELDS if f.record_field}
    row.update({
        "public_id": item.public_id,
        "unit": item.unit_code,
        "state": item.state,
        "published_at": timezone.localtime(item.published_at).isoformat() if item.published_at else None,
        "log_index": item.log_index,
        "record_sha256": item.record_sha256,
    })
    return {f.name: row.get(f.name) for f in OPEN_DATA_FIELDS}


def open_data_rows(today: dt.date | None = None, chunk: int = CHUNK) -> Iterator[dict]:
    """Every decision on the portal as an open-data row (see `OPEN_DATA_FIELDS`), in publication
    item order, read `chunk` rows per query (keyset on the primary key: constant memory)."""
    today = today or timezone.localdate()
    qs = (_on_portal(today).only("id", "public_id", "public_record", "unit_code", "state", "published_at",
                                 "log_index", "record_sha256").order_by("id"))
    last = 0
    while True:
        items = list(qs.filter(id__gt=last)[:chunk])
        for item in items:
            yield _row(item)
        if len(items) < chunk:
            return
        last = items[-1].id


#: First characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value) -> str:
    """A row value as CSV text: lists of codes joined by ';', lists of objects as JSON. Text a
    spreadsheet would run as a formula gets a leading apostrophe (shown, never evaluated)."""
    if value is None:
        return ""
    if isinstance(value, list):
        text = (";".join(value) if all(isinstance(v, str) for v in value)
                else json.dumps(value, ensure_ascii=False, sort_keys=True))
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
