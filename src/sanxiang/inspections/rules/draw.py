"""The reproducible draw of 双随机、一公开 (随机抽取检查对象、随机选派执法检查人员). Pure: stdlib only.

Algorithm ``sx-draw-1`` — anyone holding the published beacon, the plan id, the plan's
parameters and the pool snapshots can recompute every pair (docs/random-inspection-draws.md):

1. **Seed.** ``seed = SHA-256(B ‖ 0x00 ‖ P)`` where ``B`` is the beacon normalised by
   :func:`normalize_beacon` (Unicode NFC, surrounding whitespace removed) encoded as UTF-8,
   ``0x00`` one zero byte (a beacon may not contain it, so the split is unambiguous) and
   ``P`` the plan id written in decimal ASCII digits without leading zeros.
2. **Random stream (DRBG).** SHA-256 in counter mode: block ``i`` (``i`` = 0, 1, 2, …) is
   ``SHA-256(seed ‖ uint64_be(i))``; the stream is the concatenation of the blocks.
3. **Uniform integer below n** (:meth:`Drbg.below`): read 8 bytes of the stream as an
   unsigned big-endian integer ``x``; with ``limit = 2**64 − (2**64 mod n)`` reject and read
   again while ``x ≥ limit``; return ``x mod n``. Rejection removes modulo bias. Every call
   consumes at least 8 bytes, also for ``n = 1``.
4. **Pools in a stable order.** The entity pool is ordered by unified social credit code,
   the inspector pool by certificate number (code-point order); the snapshot stores them in
   that order and the draw consumes them in the order given.
5. **Entities per risk level** in the fixed order key → special → general (重点 → 特殊 →
   一般). For a level with ``n`` entities and ratio ``p`` percent the quota is
   ``k = round(n × p / 100)`` under the plan's rounding rule (:func:`quota`: ``ceil`` by
   default, because the ratios are minimums, "不低于"), capped at ``n``. The ``k``
   entities are the first ``k`` of a partial Fisher–Yates shuffle of the level's list:
   for ``i`` in ``0 … k−1``: ``j = i + below(n − i)``; swap positions ``i`` and ``j``.
6. **Inspectors per entity**, for each drawn entity in the order drawn: the eligible
   inspectors are the pool in snapshot order minus (a) every inspector with a recorded
   conflict of interest with that entity (回避, RULES.md R11.3) and, when the plan's scope is
   ``cross`` (交叉检查), (b) every inspector whose unit lies within the entity's district
   unit. Fewer than ``N`` eligible → :class:`TooFewInspectors` and no draw at all;
   otherwise the first ``N`` of a partial Fisher–Yates shuffle of the eligible list (as in 5).
   Excluding conflicted inspectors before drawing is the "exclude and redraw" of R11.3
   done in one pass; the excluded inspectors are logged with the pick.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

__all__ = [
    "ALGORITHM",
    "MAX_BEACON_LENGTH",
    "RISK_ORDER",
    "ROUNDINGS",
    "SCOPES",
    "BeaconError",
    "DrawOutcome",
    "DrawParams",
    "Drbg",
    "EntityRow",
    "InspectorRow",
    "Pick",
    "Ratio",
    "TooFewInspectors",
    "draw",
    "normalize_beacon",
    "quota",
    "seed_for",
    "shortfalls",
]

ALGORITHM = "sx-draw-1"
RISK_ORDER = ("key", "special", "general")  # 重点 → 特殊 → 一般
ROUNDINGS = ("ceil", "half_up", "floor")
SCOPE_SUBTREE = "subtree"  # inspectors of the plan's unit or a unit below it
SCOPE_CROSS = "cross"  # the same, but never of the entity's own district (交叉检查)
SCOPES = (SCOPE_SUBTREE, SCOPE_CROSS)
MAX_BEACON_LENGTH = 500
_TWO_64 = 1 << 64


class BeaconError(ValueError):
    """The beacon text cannot be used (empty, too long, control characters)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class TooFewInspectors(Exception):  # noqa: N818 - a refusal, not a programming error
    """After recusal fewer inspectors remain for an entity than the plan needs."""

    def __init__(self, entity_key: str, eligible: int, needed: int, excluded: Sequence[str]) -> None:
        super().__init__(f"{entity_key}: {eligible} eligible inspectors, {needed} needed")
        self.entity_key = entity_key
        self.eligible = eligible
        self.needed = needed
        self.excluded = tuple(excluded)


# ------------------------------------------------------------------------------------------ seed, DRBG


def normalize_beacon(text: str) -> str:
    """The beacon as hashed: NFC, surrounding whitespace removed; refuses empty, overlong or
    control characters (so ``0x00`` can separate it from the plan id)."""
    value = unicodedata.normalize("NFC", text or "").strip()
    if not value:
        raise BeaconError("beacon_required", "The beacon is empty.")
    if len(value) > MAX_BEACON_LENGTH:
        raise BeaconError("beacon_too_long", f"The beacon has more than {MAX_BEACON_LENGTH} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise BeaconError("beacon_control_characters", "The beacon may not contain control characters.")
    return value


def seed_for(beacon: str, plan_id: int) -> bytes:
    """``SHA-256(UTF-8(normalize_beacon(beacon)) ‖ 0x00 ‖ ASCII(str(plan_id)))``."""
    if isinstance(plan_id, bool) or not isinstance(plan_id, int) or plan_id < 1:
        raise ValueError("plan_id must be a positive integer")
    data = normalize_beacon(beacon).encode("utf-8") + b"\x00" + str(plan_id).encode("ascii")
    return hashlib.sha256(data).digest()


class Drbg:
    """SHA-256 in counter mode over ``seed`` (see the module docstring, steps 2–3)."""

    def __init__(self, seed: bytes) -> None:
        if len(seed) != 32:
            raise ValueError("the seed is 32 bytes")
        self._seed = bytes(seed)
        self._counter = 0
        self._buffer = b""

    def read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            block = hashlib.sha256(self._seed + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
            self._buffer += block
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def below(self, n: int) -> int:
        """A uniform integer in ``[0, n)`` by rejection sampling on 64-bit words."""
        if n < 1:
            raise ValueError("n must be at least 1")
        limit = _TWO_64 - (_TWO_64 % n)
        while True:
            x = int.from_bytes(self.read(8), "big")
            if x < limit:
                return x % n

    def sample(self, items: Sequence, k: int) -> list:
        """The first ``k`` items of a partial Fisher–Yates shuffle of ``items``."""
        pool = list(items)
        n = len(pool)
        if not 0 <= k <= n:
            raise ValueError("k must lie between 0 and the number of items")
        for i in range(k):
            j = i + self.below(n - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


# ------------------------------------------------------------------------------------------ quotas


@dataclass(frozen=True, slots=True)
class Ratio:
    """The share of a risk level to draw (抽查比例), in percent, with its rounding rule."""

    percent: Decimal
    rounding: str = "ceil"

    def __post_init__(self) -> None:
        try:
            value = Decimal(str(self.percent))
        except (InvalidOperation, ValueError):
            raise ValueError("percent must be a decimal number") from None
        if not value.is_finite() or value < 0 or value > 100:
            raise ValueError("percent must lie between 0 and 100")
        if self.rounding not in ROUNDINGS:
            raise ValueError(f"rounding must be one of {', '.join(ROUNDINGS)}")
        object.__setattr__(self, "percent", value)


def quota(n: int, ratio: Ratio) -> int:
    """How many of ``n`` entities to draw: ``n × percent / 100`` rounded by ``ratio.rounding``
    (``ceil`` up, ``floor`` down, ``half_up`` to nearest with .5 up), exact arithmetic, capped
    at ``n``."""
    if n < 0:
        raise ValueError("n cannot be negative")
    exact = Fraction(ratio.percent) * n / 100
    if ratio.rounding == "ceil":
        k = math.ceil(exact)
    elif ratio.rounding == "floor":
        k = math.floor(exact)
    else:
        k = math.floor(exact + Fraction(1, 2))
    return min(n, k)


# ------------------------------------------------------------------------------------------ draw


@dataclass(frozen=True, slots=True)
class EntityRow:
    """One regulated entity of the snapshot: its key (unified social credit code), risk level
    and the path of its district unit."""

    key: str
    risk: str
    district_path: str


@dataclass(frozen=True, slots=True)
class InspectorRow:
    """One inspector of the snapshot: an opaque reference and the path of his unit."""

    ref: str
    unit_path: str


@dataclass(frozen=True, slots=True)
class DrawParams:
    ratios: Mapping[str, Ratio]
    per_entity: int = 2
    scope: str = SCOPE_SUBTREE

    def __post_init__(self) -> None:
        if self.per_entity < 1:
            raise ValueError("per_entity must be at least 1")
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
        unknown = set(self.ratios) - set(RISK_ORDER)
        if unknown:
            raise ValueError(f"unknown risk level: {', '.join(sorted(unknown))}")


@dataclass(frozen=True, slots=True)
class Pick:
    """A drawn entity with its inspectors (in the order drawn) and the inspectors excluded."""

    entity: str
    risk: str
    inspectors: tuple[str, ...]
    excluded: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"entity": self.entity, "risk": self.risk, "inspectors": list(self.inspectors),
                "excluded": list(self.excluded)}


@dataclass(frozen=True, slots=True)
class DrawOutcome:
    seed_hex: str
    quotas: dict[str, dict[str, int]] = field(default_factory=dict)
    picks: tuple[Pick, ...] = ()

    def pairs(self) -> list[dict]:
        return [p.as_dict() for p in self.picks]


def _unique(keys: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"duplicate {what}: {key}")
        seen.add(key)


def draw(seed: bytes, entities: Sequence[EntityRow], inspectors: Sequence[InspectorRow],
         conflicts: Iterable[tuple[str, str]], params: DrawParams) -> DrawOutcome:
    """Run ``sx-draw-1`` (module docstring) on pools already in their stable order.

    ``conflicts`` holds (entity key, inspector ref) pairs that must never be drawn together.
    Raises :class:`TooFewInspectors` when recusal leaves fewer than ``params.per_entity``.
    """
    _unique((e.key for e in entities), "entity")
    _unique((i.ref for i in inspectors), "inspector")
    unknown = {e.risk for e in entities} - set(RISK_ORDER)
    if unknown:
        raise ValueError(f"unknown risk level: {', '.join(sorted(unknown))}")
    barred: dict[str, set[str]] = {}
    for entity_key, ref in conflicts:
        barred.setdefault(entity_key, set()).add(ref)
    rng = Drbg(seed)
    quotas: dict[str, dict[str, int]] = {}
    chosen: list[EntityRow] = []
    for level in RISK_ORDER:
        members = [e for e in entities if e.risk == level]
        ratio = params.ratios.get(level)
        k = quota(len(members), ratio) if ratio is not None else 0
        quotas[level] = {"pool": len(members), "drawn": k}
        chosen.extend(rng.sample(members, k))
    picks: list[Pick] = []
    for entity in chosen:
        eligible, excluded = _eligible(entity, inspectors, barred.get(entity.key, set()), params.scope)
        if len(eligible) < params.per_entity:
            raise TooFewInspectors(entity.key, len(eligible), params.per_entity, excluded)
        picked = rng.sample(eligible, params.per_entity)
        picks.append(Pick(entity=entity.key, risk=entity.risk, inspectors=tuple(picked), excluded=tuple(excluded)))
    return DrawOutcome(seed_hex=seed.hex(), quotas=quotas, picks=tuple(picks))


def _eligible(entity: EntityRow, inspectors: Sequence[InspectorRow], barred: set[str],
              scope: str) -> tuple[list[str], list[str]]:
    """(eligible refs in pool order, refs excluded for a conflict of interest) for ``entity``."""
    eligible, excluded = [], []
    for inspector in inspectors:
        if inspector.ref in barred:
            excluded.append(inspector.ref)
        elif not (scope == SCOPE_CROSS and entity.district_path
                  and inspector.unit_path.startswith(entity.district_path)):
            eligible.append(inspector.ref)
    return eligible, excluded


def shortfalls(entities: Sequence[EntityRow], inspectors: Sequence[InspectorRow],
               conflicts: Iterable[tuple[str, str]], params: DrawParams) -> list[tuple[str, int]]:
    """Entities of the pool for which fewer than ``params.per_entity`` inspectors are eligible,
    as (entity key, eligible count): checked before the pools are frozen, so that whichever
    entities the beacon picks, the draw can staff them."""
    barred: dict[str, set[str]] = {}
    for entity_key, ref in conflicts:
        barred.setdefault(entity_key, set()).add(ref)
    out = []
    for entity in entities:
        eligible, _excluded = _eligible(entity, inspectors, barred.get(entity.key, set()), params.scope)
        if len(eligible) < params.per_entity:
            out.append((entity.key, len(eligible)))
    return out
