"""From the stored decision data to the record handed to the redaction engine. Pure: no Django.

The publication item stores `source` — the structured decision data the deciding context
passed (case number, title, kind, decision number, decided_on, penalty types, amounts as
decimal strings, legal basis, facts, conclusion, the deciding unit, the parties, the
secret / minor flags). :func:`record_input` turns it into the flat record whose field names
the redaction policy knows (:data:`.policy.DEFAULT_POLICY` field rules): the first party at
the top level (``party_type``, ``party_name``, ``uscc``, ``legal_representative``,
``address``; ``id_number`` and ``phone`` too, which the policy withholds — they become known
values and are searched for in free text), the decision's codes, dates and amounts
(published verbatim), and free text (``title``, ``legal_basis``, ``facts``, ``conclusion``,
``co_parties``, ``corrections``), scanned.

The result of `redact()` over it is the public record (公开文本): exactly what is hashed
(`record_sha256`), committed in the public log and served.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .redaction import KnownValue

__all__ = [
    "CORRECTABLE_FIELDS",
    "FREE_TEXT_FIELDS",
    "PARTY_TYPE_ZH",
    "PENALTY_TYPE_ZH",
    "known_values",
    "never_publish_facts",
    "penalty_type_text",
    "public_columns",
    "record_input",
    "search_text",
]

#: 处罚类别 as published (Chinese, fixed: the record's bytes must not depend on the UI language).
PENALTY_TYPE_ZH = {
    "warning": "警告",
    "fine": "罚款",
    "confiscation": "没收违法所得、没收非法财物",
    "suspend_license": "暂扣许可证件",
    "revoke_license": "吊销许可证件",
    "production_suspension": "责令限制生产、停产整治",
    "closure": "责令停业、关闭",
    "daily_continuous_fine": "按日连续处罚",
    "detention_transfer": "移送公安机关行政拘留",
}
#: 行政相对人类别 (双公示, RULES.md R4.3).
PARTY_TYPE_ZH = {"organization": "法人及非法人组织", "person": "自然人", "individual_business": "个体工商户"}

#: Fields scanned as free text (also every field the policy does not name).
FREE_TEXT_FIELDS = ("title", "legal_basis", "facts", "conclusion", "co_parties", "corrections")

#: What a correction (更正, RULES.md R2.6) may change: the decision's content, never the party
#: or the deciding unit (a wrong party is a new decision, not a correction).
CORRECTABLE_FIELDS = ("title", "decision_number", "penalty_types", "fine_amount", "confiscation_amount",
                      "legal_basis", "facts", "conclusion")


def penalty_type_text(types: Iterable[str]) -> str:
    return "、".join(PENALTY_TYPE_ZH.get(t, t) for t in types)


def _set(out: dict, key: str, value: Any) -> None:
    if value not in (None, "", [], {}):
        out[key] = value


def record_input(source: Mapping[str, Any], *, display_until: date | None = None,
                 corrections: Sequence[Mapping[str, str]] = ()) -> dict[str, Any]:
    """The record to redact (see the module docstring); empty values are left out."""
    out: dict[str, Any] = {}
    _set(out, "decision_number", source.get("decision_number"))
    _set(out, "decision_kind", source.get("kind"))
    _set(out, "title", source.get("title"))
    parties = list(source.get("parties") or [])
    if parties:
        first = parties[0]
        out["party_type"] = first.get("type")
        _set(out, "party_name", first.get("name"))
        for key in ("uscc", "legal_representative", "address", "id_number", "phone"):
            _set(out, key, first.get(key))
    if len(parties) > 1:
        out["co_parties"] = [
            {k: v for k, v in (("party_type", p.get("type")), ("party_name", p.get("name")),
                               ("uscc", p.get("uscc") if p.get("type") != "person" else "")) if v}
            for p in parties[1:]
        ]
    types = list(source.get("penalty_types") or [])
    _set(out, "penalty_types", types)
    _set(out, "penalty_type", penalty_type_text(types))
    _set(out, "fine_amount", source.get("fine_amount"))
    _set(out, "confiscation_amount", source.get("confiscation_amount"))
    for key in ("legal_basis", "facts", "conclusion"):
        _set(out, key, source.get(key))
    _set(out, "decided_on", source.get("decided_on"))
    if display_until is not None:
        out["display_until"] = display_until.isoformat()
    unit = source.get("unit") or {}
    _set(out, "agency", unit.get("name"))
    _set(out, "agency_uscc", unit.get("uscc"))
    if corrections:
        out["corrections"] = [{"on": c["on"], "reason": c["reason"]} for c in corrections]
    return out


def _texts(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _texts(v)


def search_text(record: Mapping[str, Any]) -> str:
    """Every string of the public record, one per line (for the public search's substring match)."""
    return "\n".join(s for s in _texts(record) if s)


def public_columns(record: Mapping[str, Any]) -> dict[str, Any]:
    """The columns kept beside a public record for the portal's filters, entity pages and
    statistics — all read from the (already redacted) public record itself."""
    fine = record.get("fine_amount")
    try:
        fine = Decimal(str(fine)) if fine not in (None, "") else None
    except InvalidOperation:
        fine = None
    types = [t for t in record.get("penalty_types") or [] if isinstance(t, str)]
    return {
        "public_text": search_text(record),
        "party_name": str(record.get("party_name") or "")[:200],
        "party_code": str(record.get("uscc") or "")[:40] if record.get("party_type") != "person" else "",
        "penalty_codes": f",{','.join(types)}," if types else "",
        "fine_amount": fine,
    }


def known_values(items: Iterable[Mapping[str, str]]) -> list[KnownValue]:
    """The stored known values (`{"category", "value", "label"}`) as engine input."""
    return [KnownValue(i["category"], i["value"], i.get("label", "")) for i in items if i.get("value")]


def never_publish_facts(source: Mapping[str, Any]) -> dict[str, Any]:
    """Facts for `must_not_publish` (R3.3): the flags and natural-person parties' ID numbers."""
    decided = source.get("decided_on")
    return {
        "involves_minor": bool(source.get("involves_minor")),
        "secret": bool(source.get("secret")),
        "party_id_numbers": [p.get("id_number") for p in source.get("parties") or []
                             if p.get("type") == "person" and p.get("id_number")],
        "decided_on": date.fromisoformat(decided) if decided else None,
    }
