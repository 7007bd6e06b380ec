"""Recomputing a draw (抽取复核) from what was published: the beacon, the plan id, the plan's
parameters and the frozen pool snapshot (docs/random-inspection-draws.md).

Shared by the draw service (which runs the draw the first time) and by
``sanxiang inspections recompute`` (which runs it again and compares).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sanxiang.inspections.rules.draw import (
    ALGORITHM,
    DrawOutcome,
    DrawParams,
    EntityRow,
    InspectorRow,
    Ratio,
    draw,
    seed_for,
)
from sanxiang.records.ledger.canonical import canonical_sha256

SNAPSHOT_PARTS = ("entities", "inspectors", "conflicts")


def snapshot_hashes(snapshot: dict) -> dict[str, str]:
    """SHA-256 of the canonical JSON (RFC 8785) of each part of a pool snapshot."""
    return {part: canonical_sha256(snapshot.get(part, [])) for part in SNAPSHOT_PARTS}


def params_from(data: dict) -> DrawParams:
    """The draw parameters stored on a draw (``{"ratios", "per_entity", "scope"}``)."""
    ratios = {level: Ratio(percent=r["percent"], rounding=r["rounding"])
              for level, r in (data.get("ratios") or {}).items()}
    return DrawParams(ratios=ratios, per_entity=int(data["per_entity"]), scope=data["scope"])


def rows_from(snapshot: dict) -> tuple[list[EntityRow], list[InspectorRow], list[tuple[str, str]]]:
    entities = [EntityRow(key=e["uscc"], risk=e["risk"], district_path=e["district_path"])
                for e in snapshot.get("entities", [])]
    inspectors = [InspectorRow(ref=i["ref"], unit_path=i["unit_path"]) for i in snapshot.get("inspectors", [])]
    conflicts = [(c["entity"], c["inspector"]) for c in snapshot.get("conflicts", [])]
    return entities, inspectors, conflicts


def run(*, beacon: str, plan_id: int, params: dict, snapshot: dict) -> DrawOutcome:
    """Run the draw; raises ``rules.draw.TooFewInspectors`` when recusal leaves too few."""
    entities, inspectors, conflicts = rows_from(snapshot)
    return draw(seed_for(beacon, plan_id), entities, inspectors, conflicts, params_from(params))


@dataclass
class RecomputeReport:
    draw_id: int
    plan_id: int
    algorithm: str
    seed: str
    seed_matches: bool = False
    hashes_match: bool = False
    pairs_identical: bool = False
    problems: list[str] = field(default_factory=list)
    recomputed_pairs: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.seed_matches and self.hashes_match and self.pairs_identical

    def as_dict(self) -> dict:
        return {
            "draw": self.draw_id, "plan": self.plan_id, "algorithm": self.algorithm, "seed": self.seed,
            "seed_matches": self.seed_matches, "snapshot_hashes_match": self.hashes_match,
            "pairs_identical": self.pairs_identical, "ok": self.ok, "problems": self.problems,
        }


def recompute(draw_record) -> RecomputeReport:
    """Recompute ``draw_record`` (an ``inspections.Draw``) and compare it with what it stored."""
    plan = draw_record.plan
    report = RecomputeReport(draw_id=draw_record.pk, plan_id=plan.pk, algorithm=draw_record.algorithm,
                             seed=draw_record.seed)
    if draw_record.algorithm != ALGORITHM:
        report.problems.append(f"unknown algorithm version {draw_record.algorithm!r} (this build: {ALGORITHM})")
        return report
    try:
        seed = seed_for(draw_record.beacon, plan.pk).hex()
    except ValueError as exc:
        report.problems.append(f"beacon unusable: {exc}")
        return report
    report.seed_matches = seed == draw_record.seed
    if not report.seed_matches:
        report.problems.append(f"seed differs: recomputed {seed}, stored {draw_record.seed}")
    if draw_record.beacon != plan.beacon:
        report.problems.append("the draw's beacon differs from the beacon the plan published")
    hashes = snapshot_hashes(plan.snapshot)
    report.hashes_match = hashes == draw_record.snapshot_hashes and hashes == plan.snapshot_hashes
    for part in (p for p in hashes if hashes[p] != draw_record.snapshot_hashes.get(p)):
        report.problems.append(f"snapshot of {part} differs from its hash at the draw")
    try:
        outcome = run(beacon=plan.beacon, plan_id=plan.pk, params=draw_record.params, snapshot=plan.snapshot)
    except Exception as exc:  # noqa: BLE001 - any failure is a failed recomputation
        report.problems.append(f"recomputation failed: {exc}")
        return report
    report.recomputed_pairs = outcome.pairs()
    report.pairs_identical = report.recomputed_pairs == draw_record.pairs
    if not report.pairs_identical:
        report.problems.append("the recomputed pairs differ from the stored pairs")
    rows = [{"entity": de.entity.uscc,
             "inspectors": [f"officer:{di.officer_id}" for di in de.inspectors.order_by("position")]}
            for de in draw_record.entities.select_related("entity").order_by("position")]
    if rows != [{"entity": p["entity"], "inspectors": p["inspectors"]} for p in draw_record.pairs]:
        report.pairs_identical = False
        report.problems.append("the assignments recorded for the entities differ from the drawn pairs")
    return report
