"""What a decided case hands to the publication queue (公示快照): its structured data and the
personal values it holds.

`disclosure` knows nothing of cases: `case_decide` passes it a snapshot built here —

* `publication_source(case, decision)`: the structured decision data the public record is
  built from (case number and title, decision number, kind, penalty types, amounts as
  decimal strings, legal basis, facts, conclusion, the deciding unit, the parties with their
  identifiers, the secret / minor flags);
* `publication_known_values(case)`: every personal value the case holds, for the redaction
  engine to find in free text (RULES.md R3.1, R3.2): natural-person parties' names, ID
  numbers, phones and addresses; legal representatives, activity participants and evidence
  speakers as `other_person_name` (with participants' ID numbers and phones).

Both are stored on the publication item (staff only); the public never sees them.
"""

from __future__ import annotations

from decimal import Decimal

from sanxiang.catalog import selectors as catalog
from sanxiang.catalog.constants import PartyType
from sanxiang.core.errors import NotFound
from sanxiang.records import selectors as records

__all__ = ["publication_data", "publication_known_values", "publication_source"]


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _matter(case) -> dict | None:
    if not case.matter_code:
        return None
    try:
        matter = catalog.matter_get(case.matter_code, case.registered_on)
    except NotFound:
        return {"code": case.matter_code, "name": ""}
    return {"code": matter.code, "name": matter.name}


def publication_source(case, decision) -> dict:
    """The structured data of a decision (JSON data only: dates ISO, money decimal strings)."""
    unit = case.unit
    return {
        "case_number": case.number,
        "case_kind": case.kind,
        "title": case.title,
        "matter": _matter(case),
        "kind": decision.kind,
        "decision_number": decision.document_number,
        "decided_on": decision.decided_on.isoformat(),
        "penalty_types": list(decision.penalty_types or []),
        "fine_amount": _money(decision.fine_amount),
        "confiscation_amount": _money(decision.confiscation_amount),
        "legal_basis": decision.legal_basis,
        "facts": decision.facts,
        "conclusion": decision.conclusion,
        "unit": {"code": unit.code, "name": unit.name, "uscc": unit.uscc or ""},
        "parties": [
            {"type": p.type, "name": p.name, "uscc": p.uscc, "id_number": p.id_number,
             "legal_representative": p.legal_representative, "address": p.address, "phone": p.phone}
            for p in case.parties.all()
        ],
        "secret": bool(case.secret),
        "involves_minor": bool(case.involves_minor),
    }


def publication_known_values(case) -> list[dict]:
    """Every personal value of the case as `{"category", "value", "label"}` (labels hold no value)."""
    known: list[dict] = []

    def add(category: str, value: str | None, label: str) -> None:
        value = (value or "").strip()
        if value:
            known.append({"category": category, "value": value, "label": label})

    for i, party in enumerate(case.parties.all()):
        where = f"parties[{i}]"
        if party.type == PartyType.PERSON:
            add("party_name", party.name, f"{where}.name")
            add("id_number", party.id_number, f"{where}.id_number")
            add("phone", party.phone, f"{where}.phone")
            add("address", party.address, f"{where}.address")
        else:
            add("phone", party.phone, f"{where}.phone")
        add("other_person_name", party.legal_representative, f"{where}.legal_representative")
    for activity in case.activities.all():
        for j, person in enumerate(activity.participants or []):
            where = f"activity {activity.pk} participants[{j}]"
            add("other_person_name", person.get("name"), f"{where}.name")
            add("id_number", person.get("id_number"), f"{where}.id_number")
            add("phone", person.get("phone"), f"{where}.phone")
    for evidence in records.evidence_list(subject=case.ref):
        for j, speaker in enumerate(evidence.speakers or []):
            name = speaker.get("name") if isinstance(speaker, dict) else None
            add("other_person_name", name, f"evidence {evidence.number} speakers[{j}].name")
    unique: dict[tuple[str, str], dict] = {}
    for item in known:
        unique.setdefault((item["category"], item["value"]), item)
    return list(unique.values())


def publication_data(case, decision) -> dict:
    """The `source` and `known_values` keyword arguments of `disclosure.services.publication_schedule`."""
    return {"source": publication_source(case, decision), "known_values": publication_known_values(case)}
