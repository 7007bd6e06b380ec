"""The redaction engine (去标识化): from structured case data to the public record.

Pure: imports no Django; the only sanxiang import is :mod:`sanxiang.core.identifiers`.

:func:`redact` takes the structured public data of a decision (a JSON-like mapping), the
personal values the case itself holds (:class:`KnownValue`), a :class:`~.policy.
RedactionPolicy` and the publisher's manual redactions, and returns a
:class:`RedactionResult`:

* ``public_record`` — the record to publish;
* ``marks`` — every redaction (:class:`Mark`): field, original offsets, category, source,
  replacement, reason, and the SHA-256 (or HMAC-SHA256) of the original span — never the
  value itself;
* ``report`` — JSON-able, for the ledger: policy identity, counts, marks (no originals);
* ``preview`` — for the publisher (internal only: it shows the original text), each field
  as segments ``(text, mark | None)`` so every redaction can be highlighted.

Structured fields (RULES.md §3, §4; :data:`~.policy.DEFAULT_POLICY` field rules):

* ``party_name`` of a natural person is masked to surname + 某 (R3.4, ``张三`` → ``张某``,
  ``欧阳修文`` → ``欧阳某``); an organisation (and a 个体工商户 under its registered name) is
  named in full (R3.1, Shanghai default). A record with a ``party_name`` must say its
  ``party_type`` — an unknown party type is refused, never guessed.
* Withheld fields (ID and certificate numbers, phone, e-mail, bank account, date of birth;
  a natural person's address; the guardian of a natural-person party) are left out of the
  public record, and their values are searched for in every free-text field as known values.
* ``legal_representative`` of an organisation is published (双公示 法定代表人, R4.3 [S]): it
  is registered, public information. In free text the name is removed when the caller passes
  it as a ``KnownValue(OTHER_PERSON_NAME, …)`` — R3.2 ("names of natural persons other than
  the party"); the case service does so by default. This is the documented choice; the
  legal unit may decide otherwise (a policy with a ``legal_representative`` withhold rule).
* Codes, dates, amounts, types and the deciding agency are published verbatim and not
  scanned (so a credit code is never taken for a number to hide).
* Every other field — listed in ``free_text_fields`` or not mentioned by the policy at all —
  is scanned as free text, strings nested in lists and mappings included (path
  ``witnesses[0].name``). Unknown fields are thus redacted, never published unread.

Detection in free text (each string is read through one normalized view with a map back to
the original offsets, :mod:`.textview`):

(a) **Known values** — compared in compact form (NFKC, uppercase, separators ignored), so
    ``3101 0119 9001 0112 3x``, ``138-0013-8000``, full-width digits and ``张 三`` match.
    Numbers (ID, phone, bank account, property certificate) are also matched in part: every
    run of ≥ 6 (``partial_min_digits``) consecutive digits of a known number is removed —
    provided a partial run holds ≥ 3 distinct digits (``000000`` in an amount is not a trace
    of an account). A phone ``+86 138…`` is also known without its country code. An address
    is also matched by its detailed part (without the province/city/district prefix) and
    that part cut after 号/弄/栋/幢/座/楼/单元/室. Names: exact occurrences, at least 2
    characters; occurrences inside the (published) organisation party name are kept.
    Numeric values of fewer than 6 characters are ignored (no real personal number is so
    short, and ``110`` would match article numbers).
(b) **Patterns** (:mod:`.detectors`): GB 11643 ID numbers, mobile and landline numbers,
    Luhn-valid bank cards, e-mail addresses. Valid credit codes and the ``allow`` values
    (the agency's own published phone or e-mail) are protected from patterns and partial
    matches; a known personal value is removed even there.
(c) **Manual** redactions (:class:`ManualRedaction`), with a reason, on any published text
    field; on a withheld or masked field they are moot and ignored.

Overlapping marks merge into one (touching marks of the same category too): the merged mark
takes the most sensitive category (order of :data:`~.policy.CATEGORIES`) — a manual mark's
category when one is involved — and the replacement of that category. Categories the policy
does not remove are not redacted (manual redactions always are).

Reasons and labels are redacted themselves (known values and patterns) before they enter the
report, so a reason typed by the publisher ("王五的电话") carries no personal value.

:func:`must_not_publish` lists the reasons a decision is not published at all (R3.3).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sanxiang.core.identifiers import (
    is_valid_id_number,
    mask_person_name,
)

from .detectors import DETECTORS, credit_code_spans, find_emails, find_numbers
from .policy import (
    ADDRESS,
    BIRTH_DATE,
    CATEGORIES,
    DEFAULT_POLICY,
    MASK_NAME,
    NAME_CATEGORIES,
    NUMERIC_CATEGORIES,
    OTHER,
    PARTY_NAME,
    PARTY_TYPES,
    PHONE,
    PUBLISH,
    SCAN,
    WITHHOLD,
    FieldRule,
    RedactionPolicy,
)
from .textview import TextView, compact, compact_value, normalize

__all__ = [
    "KNOWN",
    "MANUAL",
    "PATTERN",
    "POLICY",
    "SOURCES",
    "KnownValue",
    "ManualRedaction",
    "Mark",
    "RedactionError",
    "RedactionResult",
    "Segment",
    "must_not_publish",
    "redact",
]

KNOWN = "known"  # a value the case holds
PATTERN = "pattern"  # a detector of .detectors
MANUAL = "manual"  # the publisher
POLICY = "policy"  # a structured-field rule of the policy (withheld or masked field)
SOURCES = (KNOWN, PATTERN, MANUAL, POLICY)

_MIN_NUMBER = 6
_MIN_TEXT = 2


class RedactionError(ValueError):
    """Input the engine refuses (it never guesses): ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class KnownValue:
    """A personal value the case itself holds, e.g. ``KnownValue("phone", "13800138000",
    "party phone")``.

    ``category`` is one of :data:`~.policy.CATEGORIES`: ``party_name`` for the name of a
    natural-person party (masked), ``other_person_name`` for every other natural person
    (witnesses, interviewees, speakers, guardians, a legal representative), ``id_number``,
    ``phone``, ``address`` (a natural person's), ``bank_account`` … ``label`` says where the
    value comes from; it goes into the report (after redaction) — put no value in it.
    """

    category: str
    value: str
    label: str = ""

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise RedactionError("known_category", f"Unknown category {self.category!r}.")
        if not isinstance(self.value, str):
            raise RedactionError("known_value", "A known value must be a string.")


@dataclass(frozen=True, slots=True)
class ManualRedaction:
    """A redaction the publisher adds: ``[start, end)`` of the original text of ``field``."""

    field: str
    start: int
    end: int
    reason: str
    category: str = OTHER

    def __post_init__(self) -> None:
        if not self.reason or not self.reason.strip():
            raise RedactionError("manual_reason", "A manual redaction needs a reason.")
        if self.category not in CATEGORIES:
            raise RedactionError("manual_category", f"Unknown category {self.category!r}.")
        if (isinstance(self.start, bool) or isinstance(self.end, bool)
                or not isinstance(self.start, int) or not isinstance(self.end, int)
                or not 0 <= self.start < self.end):
            raise RedactionError("manual_span", "A manual redaction needs 0 <= start < end.")


@dataclass(frozen=True, slots=True)
class Mark:
    """One redaction of ``field`` (a path), original offsets ``[start, end)``."""

    field: str
    start: int
    end: int
    category: str
    source: str
    original_sha256: str
    replacement: str
    reason: str

    @property
    def length(self) -> int:
        return self.end - self.start

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field, "start": self.start, "end": self.end, "length": self.length,
            "category": self.category, "source": self.source, "replacement": self.replacement,
            "reason": self.reason, "original_sha256": self.original_sha256,
        }


class Segment(NamedTuple):
    """A piece of a field for the preview: original ``text``, and its mark if redacted."""

    text: str
    mark: Mark | None


@dataclass(frozen=True, slots=True)
class RedactionResult:
    public_record: dict[str, Any]
    marks: tuple[Mark, ...]
    report: dict[str, Any]
    preview: dict[str, tuple[Segment, ...]] = field(default_factory=dict)


# ------------------------------------------------------------------ known values


@dataclass(frozen=True, slots=True)
class _Matcher:
    """A known value prepared for matching."""

    category: str
    forms: tuple[str, ...]  # compact forms matched exactly (first: the value itself)
    grams: frozenset[str]  # digit windows for partial matches (numbers only)
    full_len: int  # digits of the longest digit run (a partial run is shorter)
    replacement: str  # for party names: the mask; else "" (the category token)
    reason: str
    protectable: bool  # may a protected span (organisation name, credit code) shield it?


_COUNTRY = re.compile(r"^(?:\+86|0086)(?=1[3-9]\d{9}$)")
_DIGIT_RUN = re.compile(r"[0-9X]+")
_ADMIN_PREFIX = re.compile(
    r"^(?:.{1,12}?(?:特别行政区|自治区|自治州|地区|街道|省|市|区|县|旗|盟|镇|乡))+"
)
_ADDRESS_CUT = re.compile(r"(?:号|弄|栋|幢|座|楼|单元|室)")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _forms(category: str, value: str) -> tuple[str, ...]:
    base = compact_value(value)
    forms = [base]
    if category == PHONE:
        forms.append(_COUNTRY.sub("", base))
    elif category == ADDRESS:
        detail = _ADMIN_PREFIX.sub("", base)
        forms.append(detail)
        forms.extend(detail[: m.end()] for m in _ADDRESS_CUT.finditer(detail))
    elif category == BIRTH_DATE and (m := _ISO_DATE.match(value.strip())):
        y, mo, d = m.groups()
        forms += [f"{y}年{mo}月{d}日", f"{y}年{int(mo)}月{int(d)}日", f"{y}/{mo}/{d}"]
    minimum = _MIN_NUMBER if category in NUMERIC_CATEGORIES else _MIN_TEXT
    if category == ADDRESS:
        minimum = max(minimum, 5)
    unique: list[str] = []
    for form in forms:
        long_enough = len(form) >= minimum and (category != ADDRESS or form == base
                                                or re.search(r"\d", form))
        if long_enough and form not in unique:
            unique.append(form)
    return tuple(unique)


def _matcher(known: KnownValue, policy: RedactionPolicy) -> _Matcher | None:
    forms = _forms(known.category, known.value)
    if not forms:
        return None
    grams: set[str] = set()
    full_len = 0
    if known.category in NUMERIC_CATEGORIES:
        n = policy.partial_min_digits
        for form in forms:
            for run in _DIGIT_RUN.findall(form):
                full_len = max(full_len, len(run))
                grams.update(run[i : i + n] for i in range(len(run) - n + 1))
    replacement = ""
    if known.category == PARTY_NAME:
        replacement = mask_person_name(known.value, policy.person_name_pattern)
    reason = f"known value: {known.label}" if known.label else "known value"
    protectable = known.category in NAME_CATEGORIES
    return _Matcher(known.category, forms, frozenset(grams), full_len, replacement, reason,
                    protectable)


_MATCHERS: dict[tuple, _Matcher | None] = {}


def _cached_matcher(category: str, value: str, label: str, min_digits: int, pattern: str,
                    policy: RedactionPolicy) -> _Matcher | None:
    """`_matcher` memoised on what it reads (the same case's values recur record after record)."""
    key = (category, value, label, min_digits, pattern)
    if key not in _MATCHERS:
        if len(_MATCHERS) > 10_000:
            _MATCHERS.clear()
        _MATCHERS[key] = _matcher(KnownValue(category, value, label), policy)
    return _MATCHERS[key]


# ---------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    category: str
    source: str
    reason: str
    replacement: str = ""
    protectable: bool = True


def _find_all(haystack: str, needle: str) -> Iterable[int]:
    i = haystack.find(needle)
    while i >= 0:
        yield i
        i = haystack.find(needle, i + 1)


def _known_candidates(cview: TextView, matchers: Sequence[_Matcher],
                      policy: RedactionPolicy, owners: Mapping[str, list[int]] | None = None
                      ) -> list[_Candidate]:
    out: list[_Candidate] = []
    text = cview.text
    n = policy.partial_min_digits
    partial = _partial_hits(text, n, _gram_owners(matchers) if owners is None else owners)
    for index, m in enumerate(matchers):
        for k, form in enumerate(m.forms):
            for i in _find_all(text, form):
                start, end = cview.span(i, i + len(form))
                variant = k > 0 and m.category == ADDRESS  # a part of the address
                out.append(_Candidate(start, end, m.category, KNOWN, m.reason, m.replacement,
                                      m.protectable or variant))
        if not m.grams:
            continue
        # Partial numbers: the union of the windows of n characters found in the text.
        for a, b in _union((i, i + n) for i in partial.get(index, ())):
            run = text[a:b]
            if b - a < m.full_len and len(set(run)) < policy.partial_min_distinct:
                continue
            start, end = cview.span(a, b)
            out.append(_Candidate(start, end, m.category, KNOWN, f"{m.reason} (partial)",
                                  m.replacement, True))
    return out


def _gram_owners(matchers: Sequence[_Matcher]) -> dict[str, list[int]]:
    """Gram → indices of the matchers holding it."""
    owners: dict[str, list[int]] = {}
    for index, m in enumerate(matchers):
        for gram in m.grams:
            owners.setdefault(gram, []).append(index)
    return owners


def _partial_hits(text: str, n: int, owners: Mapping[str, list[int]]) -> dict[int, list[int]]:
    """Matcher index → start of every window of ``n`` characters of ``text`` that is one of
    its grams. Grams are made of ``[0-9X]`` only, so only the runs of those are read, once."""
    hits: dict[int, list[int]] = {}
    if not owners:
        return hits
    for run in _DIGIT_RUN.finditer(text):
        for i in range(run.start(), run.end() - n + 1):
            for index in owners.get(text[i : i + n], ()):
                hits.setdefault(index, []).append(i)
    return hits


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _pattern_candidates(view: TextView, today: date | None) -> list[_Candidate]:
    hits = find_numbers(view, today=today) + find_emails(view)
    return [_Candidate(h.start, h.end, h.category, PATTERN, DETECTORS[h.detector])
            for h in hits]


def _protected_spans(view: TextView, cview: TextView,
                     protected_values: Sequence[str]) -> list[tuple[int, int]]:
    spans = credit_code_spans(view)
    for value in protected_values:
        form = compact_value(value)
        if len(form) >= _MIN_TEXT:
            spans.extend(cview.span(i, i + len(form)) for i in _find_all(cview.text, form))
    return spans


_SOURCE_RANK = {MANUAL: 0, KNOWN: 1, PATTERN: 2}
_CATEGORY_RANK = {category: i for i, category in enumerate(CATEGORIES)}


def _rank(c: _Candidate) -> tuple[int, int, int, int]:
    """Manual first, then the most sensitive category, a known value, the longest span."""
    return (c.source != MANUAL, _CATEGORY_RANK[c.category], _SOURCE_RANK[c.source],
            -(c.end - c.start))


def _merge(cands: Sequence[_Candidate]) -> list[tuple[int, int, _Candidate, list[str]]]:
    """Merge overlapping candidates (and touching ones of one category)."""
    clusters: list[tuple[int, int, list[_Candidate]]] = []
    for c in sorted(cands, key=lambda c: (c.start, -c.end)):
        if clusters:
            start, end, members = clusters[-1]
            if c.start < end or (c.start == end and c.category == members[-1].category):
                clusters[-1] = (start, max(end, c.end), [*members, c])
                continue
        clusters.append((c.start, c.end, [c]))
    out = []
    for start, end, members in clusters:
        if len(members) == 1:
            out.append((start, end, members[0], [members[0].reason]))
            continue
        ranked = sorted(members, key=_rank)
        out.append((start, end, ranked[0], list(dict.fromkeys(m.reason for m in ranked))))
    return out


# ------------------------------------------------------------------------- engine


class _Engine:
    def __init__(self, *, policy: RedactionPolicy, matchers: Sequence[_Matcher],
                 protected_values: Sequence[str], hash_key: bytes, today: date | None):
        self.policy = policy
        self.matchers = matchers
        self.protected_values = protected_values
        self.hash_key = hash_key
        self.today = today
        self._scrubbed: dict[str, str] = {}
        self._owners = _gram_owners(matchers)

    def digest(self, text: str) -> str:
        data = text.encode("utf-8")
        if self.hash_key:
            return hmac.digest(self.hash_key, data, "sha256").hex()  # one-shot C path
        return hashlib.sha256(data).hexdigest()

    def replacement(self, c: _Candidate) -> str:
        if c.category == PARTY_NAME and c.replacement:
            return c.replacement
        return self.policy.replacement(c.category)

    def candidates(self, text: str, *, detect: bool) -> list[_Candidate]:
        if not detect or not text:
            return []
        view = normalize(text)
        cview = compact(view)
        found = _known_candidates(cview, self.matchers, self.policy, self._owners)
        found += _pattern_candidates(view, self.today)
        protected = _protected_spans(view, cview, self.protected_values)
        return [
            c for c in found
            if self.policy.removes(c.category)
            and not (c.protectable and any(a <= c.start and c.end <= b for a, b in protected))
        ]

    def redact_text(self, path: str, text: str, manual: Sequence[ManualRedaction], *,
                    detect: bool = True,
                    reason_filter: Callable[[str], str] | None = None,
                    ) -> tuple[str, list[Mark], list[Segment]]:
        cands = self.candidates(text, detect=detect)
        for m in manual:
            if m.end > len(text):
                raise RedactionError("manual_span",
                                     f"Manual redaction beyond the end of {path!r}.")
            cands.append(_Candidate(m.start, m.end, m.category, MANUAL,
                                    f"manual: {m.reason.strip()}", "", False))
        marks: list[Mark] = []
        segments: list[Segment] = []
        out: list[str] = []
        pos = 0
        for start, end, chosen, reasons in _merge(cands):
            reason = "; ".join(reasons)
            if reason_filter is not None:
                reason = reason_filter(reason)
            mark = Mark(path, start, end, chosen.category, chosen.source,
                        self.digest(text[start:end]), self.replacement(chosen), reason)
            if pos < start:
                out.append(text[pos:start])
                segments.append(Segment(text[pos:start], None))
            out.append(mark.replacement)
            segments.append(Segment(text[start:end], mark))
            marks.append(mark)
            pos = end
        if pos < len(text):
            out.append(text[pos:])
            segments.append(Segment(text[pos:], None))
        return "".join(out), marks, segments

    def scrub(self, text: str) -> str:
        """Redact a reason or label (no marks kept); reasons repeat, so each is redacted once."""
        done = self._scrubbed.get(text)
        if done is None:
            done = self._scrubbed[text] = self.redact_text("", text, ())[0]
        return done


def _walk(value: Any, path: str, visit: Callable[[str, str], str], *,
          numbers: bool = False) -> Any:
    """Apply ``visit`` to every string of ``value`` (with ``numbers``: integers and decimals
    too, read as text — a phone number stored as an integer is still a phone number)."""
    if isinstance(value, str):
        return visit(path, value)
    if numbers and isinstance(value, int | Decimal) and not isinstance(value, bool):
        text = str(value)
        out = visit(path, text)
        return value if out == text else out
    if isinstance(value, Mapping):
        return {k: _walk(v, f"{path}.{k}", visit, numbers=numbers) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(v, f"{path}[{i}]", visit, numbers=numbers) for i, v in enumerate(value)]
    return value


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, date):
        yield value.isoformat()
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def redact(
    record: Mapping[str, Any],
    *,
    known: Sequence[KnownValue] = (),
    policy: RedactionPolicy = DEFAULT_POLICY,
    free_text_fields: Sequence[str] = (),
    manual: Sequence[ManualRedaction] = (),
    allow: Sequence[str] = (),
    hash_key: bytes = b"",
    today: date | None = None,
) -> RedactionResult:
    """Build the public record of ``record`` under ``policy`` (see the module docstring).

    ``allow``: public values that patterns must not remove (the agency's published phone,
    e-mail). ``hash_key``: when given, ``original_sha256`` is HMAC-SHA256 under that key —
    use a secret key: a plain SHA-256 of an 11-digit phone number is quickly reversed by
    trying them all. ``today``: for the ID-number date check (default: the system date).
    """
    if not isinstance(record, Mapping):
        raise RedactionError("record_type", "The record must be a mapping.")
    party_type = record.get("party_type")
    if party_type is not None and party_type not in PARTY_TYPES:
        raise RedactionError("party_type_unknown", f"Unknown party type {party_type!r}.")
    if record.get("party_name") and party_type is None:
        raise RedactionError("party_type_missing",
                             "A record naming a party must give its party_type.")
    free = set(free_text_fields)

    # 1. Classify the structured fields; withheld and masked values become known values.
    actions: dict[str, str] = {}
    rules: dict[str, FieldRule | None] = {}
    auto_known: list[KnownValue] = []
    protected: list[str] = list(allow)
    for key, value in record.items():
        rule = policy.field_rule(key, party_type)
        action = rule.action if rule else SCAN
        if action == PUBLISH and key in free:
            action = SCAN
        actions[key], rules[key] = action, rule
        if action == WITHHOLD and rule is not None:
            auto_known += [KnownValue(rule.category or OTHER, s, f"field {key}")
                           for s in _strings(value) if s.strip()]
        elif action == MASK_NAME:
            if value is not None and not isinstance(value, str):
                raise RedactionError("party_name_type", f"{key} must be a string.")
            if value and value.strip():
                auto_known.append(KnownValue(PARTY_NAME, value, f"field {key}"))
        elif action == PUBLISH and key == "party_name" and isinstance(value, str):
            protected.append(value)  # the organisation's name: never cut a name out of it

    matchers: list[_Matcher] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for kv in [*known, *auto_known]:
        m = _cached_matcher(kv.category, kv.value, kv.label, policy.partial_min_digits, policy.person_name_pattern,
                            policy)
        if m is not None and (m.category, m.forms) not in seen:
            seen.add((m.category, m.forms))
            matchers.append(m)
    engine = _Engine(policy=policy, matchers=matchers, protected_values=protected,
                     hash_key=hash_key, today=today)

    by_path: dict[str, list[ManualRedaction]] = {}
    for m in manual:
        by_path.setdefault(m.field, []).append(m)

    # 2. Build the public record.
    public: dict[str, Any] = {}
    marks: list[Mark] = []
    preview: dict[str, tuple[Segment, ...]] = {}
    visited: set[str] = set()
    scanned: list[str] = []

    def visit_scan(path: str, text: str) -> str:
        visited.add(path)
        scanned.append(path)
        out, found, segments = engine.redact_text(path, text, by_path.get(path, ()),
                                                  reason_filter=engine.scrub)
        marks.extend(found)
        preview[path] = tuple(segments)
        return out

    def visit_publish(path: str, text: str) -> str:
        visited.add(path)
        if path not in by_path:
            return text
        out, found, segments = engine.redact_text(path, text, by_path[path], detect=False,
                                                  reason_filter=engine.scrub)
        marks.extend(found)
        preview[path] = tuple(segments)
        return out

    for key, value in record.items():
        action, rule = actions[key], rules[key]
        if action == WITHHOLD:
            visited.add(key)
            if value in (None, "", [], {}):
                continue
            text = _as_text(value)
            mark = Mark(key, 0, len(text), rule.category or OTHER, POLICY, engine.digest(text),
                        "", f"withheld: {rule.citation}")
            marks.append(mark)
            preview[key] = (Segment(text, mark),)
        elif action == MASK_NAME:
            visited.add(key)
            if not value or not value.strip():
                public[key] = value
                continue
            masked = mask_person_name(value, policy.person_name_pattern)
            mark = Mark(key, 0, len(value), PARTY_NAME, POLICY, engine.digest(value), masked,
                        f"masked: {rule.citation}")
            marks.append(mark)
            preview[key] = (Segment(value, mark),)
            public[key] = masked
        elif action == PUBLISH:
            public[key] = _walk(value, key, visit_publish)
        else:
            public[key] = _walk(value, key, visit_scan, numbers=True)

    unknown = sorted(set(by_path) - visited)
    if unknown:
        raise RedactionError("manual_field", f"Manual redaction of unknown field {unknown[0]!r}.")

    withheld = [k for k, a in actions.items() if a == WITHHOLD]
    masked_fields = [k for k, a in actions.items() if a == MASK_NAME]
    report = _report(policy, marks, engine, scanned=scanned, withheld=withheld,
                     masked=masked_fields)
    return RedactionResult(public, tuple(marks), report, preview)


def _report(policy: RedactionPolicy, marks: Sequence[Mark], engine: _Engine, *,
            scanned: list[str], withheld: list[str], masked: list[str]) -> dict[str, Any]:
    by_category = Counter(m.category for m in marks)
    by_source = Counter(m.source for m in marks)
    return {
        "policy": policy.as_dict(),
        "hash": "hmac-sha256" if engine.hash_key else "sha256",
        "counts": {
            "total": len(marks),
            "by_category": {c: by_category[c] for c in CATEGORIES if by_category[c]},
            "by_source": {s: by_source[s] for s in SOURCES if by_source[s]},
        },
        "withheld_fields": withheld,
        "masked_fields": masked,
        "scanned_fields": scanned,
        "marks": [m.as_dict() for m in marks],
    }


# ---------------------------------------------------------------- never publish


def _getter(facts: Any) -> Callable[[str], Any]:
    if isinstance(facts, Mapping):
        return facts.get
    return lambda name: getattr(facts, name, None)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def must_not_publish(facts: Any, *, policy: RedactionPolicy = DEFAULT_POLICY,
                     today: date | None = None) -> tuple[str, ...]:
    """Reason codes why a decision is not published at all; empty: it may be published.

    ``facts``: a mapping or an object with the flags of ``policy.never_publish``
    (``involves_minor``, ``secret``, ``state_secret``, ``commercial_secret``,
    ``personal_privacy``, ``security_risk``, ``related_investigation``,
    ``legal_prohibition``; a non-empty reason string counts as set). Overridable reasons
    (commercial secret, personal privacy) fall away when ``right_holder_consents`` or
    ``public_interest_override`` is set — R3.3: publish desensitized. ``minor`` is also
    derived from ``party_id_numbers`` (natural-person parties' ID numbers): a party under
    18 on ``decided_on`` (default ``today``, then the system date) — the flag may be
    forgotten, the date of birth is in the number (GB 11643, R9.1).
    """
    get = _getter(facts)
    override = bool(get("right_holder_consents")) or bool(get("public_interest_override"))
    reasons = [item.code for item in policy.never_publish
               if get(item.flag) and not (item.overridable and override)]
    codes = {item.code for item in policy.never_publish}
    if "minor" in codes and "minor" not in reasons:
        on = get("decided_on") or today or date.today()
        for number in get("party_id_numbers") or ():
            if not is_valid_id_number(number, today=on):
                continue
            n = compact_value(number)
            if _age(date(int(n[6:10]), int(n[10:12]), int(n[12:14])), on) < 18:
                reasons.append("minor")
                break
    order = [item.code for item in policy.never_publish]
    return tuple(sorted(reasons, key=order.index))
