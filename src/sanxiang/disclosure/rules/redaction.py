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
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter
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
            "field": self.field, "start": self.start, "end": self.end,
            "length": self.end - self.start,
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


_SOURCE_RANK = {MANUAL: 0, KNOWN: 1, PATTERN: 2}
_CATEGORY_RANK = {category: i for i, category in enumerate(CATEGORIES)}
_LENGTH_BITS = 40  # a span is shorter than 2**40 characters


class _Kind(NamedTuple):
    """What a candidate redaction is, shared by all candidates of one origin.

    ``rank`` orders the candidates of a merged cluster (:func:`_merge`) — manual first,
    then the most sensitive category, then a known value before a pattern — less the
    length of the span, so the longest of equals comes first.
    """

    category: str
    source: str
    reason: str
    replacement: str  # for party names: the mask; else "" (the category token)
    protectable: bool  # may a protected span (organisation name, credit code) shield it?
    rank: int


def _kind(category: str, source: str, reason: str, replacement: str = "",
          protectable: bool = True) -> _Kind:
    rank = ((source != MANUAL) * len(CATEGORIES) + _CATEGORY_RANK[category]) * len(SOURCES)
    rank = (rank + _SOURCE_RANK[source]) << _LENGTH_BITS
    return _Kind(category, source, reason, replacement, protectable, rank)


#: A candidate: ``(start, -end, order, kind, rank)`` over the original text, ``rank`` being
#: ``kind.rank`` less the length. Sorting candidates sorts them by start, then longest
#: first, then in the order the engine produces them: by known value (its exact forms, then
#: its partial numbers), then pattern hits, then manual redactions. ``order`` is unique, so
#: the sort never goes further.
_Candidate = tuple[int, int, int, _Kind, int]
_RANK = itemgetter(4)

_FORM_BITS = 20  # order of a known value's candidates: index << _FORM_BITS | form
_PARTIAL_FORM = (1 << _FORM_BITS) - 1  # after every exact form of the value
_PATTERN_ORDER = 1 << 60  # after every known value (plus the hit's position in the list)
_MANUAL_ORDER = 2 << 60  # after every pattern hit

_PATTERN_KINDS: dict[tuple[str, str], _Kind] = {}


def _find_all(haystack: str, needle: str) -> list[int]:
    """Start of every occurrence of ``needle``, overlapping ones included."""
    found = []
    find = haystack.find
    i = find(needle)
    while i >= 0:
        found.append(i)
        i = find(needle, i + 1)
    return found


class _KnownIndex:
    """The known values of a call prepared for search, with what the policy says of them.

    Built once per (known values, policy) and reused by every call that passes the same
    values (:func:`_known_index`): a case's values recur record after record.

    * ``forms`` — each distinct compact form once, with the candidates an occurrence gives
      (one per known value holding the form);
    * ``owners`` — for partial numbers, each window of ``n`` digits of a known number →
      the known values holding it (one shared tuple per set of values). The text is read
      run by run (runs of at least ``n`` characters ``[0-9X]``); what a run yields depends
      on the run alone, and is worked out in advance for the runs of the known numbers
      themselves (``runs_known``), the usual way a number is written;
    * the categories the policy removes and their replacements (a known value of a
      category the policy keeps is left out of ``forms`` and ``owners``: its candidates
      would all be dropped);
    * ``scrubbed`` — reasons and labels already redacted (:meth:`_Engine.scrub`).
    """

    def __init__(self, matchers: Sequence[_Matcher], policy: RedactionPolicy):
        self.matchers = tuple(matchers)
        self.policy = policy
        self.n = n = policy.partial_min_digits
        self.min_distinct = policy.partial_min_distinct
        self.removes = frozenset(r.category for r in policy.categories if r.remove)
        self.replacements = {r.category: r.replacement for r in policy.categories}
        by_form: dict[str, list[tuple[int, _Kind]]] = {}
        owners: dict[str, list[int]] = {}
        self.partial: list[tuple[int, _Kind]] = []  # per value: order, kind
        self.full_len: list[int] = []
        for index, m in enumerate(self.matchers):
            self.partial.append(((index << _FORM_BITS) | _PARTIAL_FORM,
                                 _kind(m.category, KNOWN, f"{m.reason} (partial)",
                                       m.replacement, True)))
            self.full_len.append(m.full_len)
            if m.category not in self.removes:
                continue  # kept by the policy: its candidates would all be dropped
            for k, form in enumerate(m.forms):
                variant = k > 0 and m.category == ADDRESS  # a part of the address
                kind = _kind(m.category, KNOWN, m.reason, m.replacement, m.protectable or variant)
                by_form.setdefault(form, []).append(((index << _FORM_BITS) | k, kind))
            for gram in sorted(m.grams):
                owners.setdefault(gram, []).append(index)
        self.forms = tuple((form, len(form), tuple(kinds)) for form, kinds in by_form.items())
        shared: dict[tuple[int, ...], tuple[int, ...]] = {}
        self.owners = {gram: shared.setdefault(tuple(ix), tuple(ix))
                       for gram, ix in owners.items()}
        # Runs of n or more: the first character written apart lets the scan skip to it.
        self.runs = re.compile(f"[0-9X][0-9X]{{{n - 1},}}")
        self.runs_known = {run: self._run_spans(run)
                           for m in self.matchers if m.grams and m.category in self.removes
                           for form in m.forms for run in _DIGIT_RUN.findall(form)
                           if len(run) >= n}
        self.scrubbed: dict[tuple, str] = {}

    def candidates(self, cview: TextView) -> list[_Candidate]:
        """Known-value candidates (exact forms and partial numbers) of a compact view, of
        the categories the policy removes."""
        text = cview.text
        pairs: list[tuple[int, int]] = []  # compact spans
        kinds: list[tuple[int, _Kind]] = []
        for form, length, form_kinds in self.forms:
            if form not in text:
                continue
            starts = _find_all(text, form)
            spans = [(i, i + length) for i in starts]
            for order_kind in form_kinds:
                pairs += spans
                kinds += [order_kind] * len(starts)
        if self.owners:
            partial, runs_known, run_spans = self.partial, self.runs_known, self._run_spans
            for run in self.runs.finditer(text):
                digits = run.group()
                found = runs_known.get(digits)
                if found is None:
                    found = run_spans(digits)
                if found:
                    at = run.start()
                    for index, a, b in found:
                        pairs.append((at + a, at + b))
                        kinds.append(partial[index])
        return [(a, -b, order, kind, kind.rank + a - b)
                for (a, b), (order, kind) in zip(cview.spans(pairs), kinds, strict=True)]

    def _run_spans(self, digits: str) -> list[tuple[int, int, int]]:
        """Partial numbers in one run of ``[0-9X]``: for each known number (by index), the
        union of the windows of ``n`` characters that are windows of the number, as
        ``(index, start, end)`` within the run. Runs are separated by other characters, so
        unions never reach from one run into the next."""
        n, owners = self.n, self.owners
        held = [owners.get(digits[j : j + n]) for j in range(len(digits) - n + 1)]
        first = held[0]
        if held.count(first) == len(held):  # every window held by the same values
            spans = [] if first is None else [(index, 0, len(digits)) for index in first]
        else:
            spans = []
            open_spans: dict[int, list[int]] = {}  # value → [start, end] of its current union
            for at, values in enumerate(held):
                for index in values or ():
                    span = open_spans.get(index)
                    if span is not None and at <= span[1]:
                        span[1] = at + n
                        continue
                    if span is not None:
                        spans.append((index, span[0], span[1]))
                    open_spans[index] = [at, at + n]
            spans += [(index, a, b) for index, (a, b) in open_spans.items()]
        # A run shorter than the number needs some variety: "000000" in an amount is no
        # trace of an account.
        return [(index, a, b) for index, a, b in spans
                if b - a >= self.full_len[index] or len(set(digits[a:b])) >= self.min_distinct]


_INDEXES: dict[tuple[int, ...], _KnownIndex] = {}


def _known_index(matchers: Sequence[_Matcher], policy: RedactionPolicy) -> _KnownIndex:
    """The :class:`_KnownIndex` of these matchers under ``policy``, built once.

    Keyed on the identities of the policy and of the (memoised, see `_cached_matcher`)
    matchers; the index holds them, so no identity is reused while its entry lives.
    """
    key = (id(policy), *map(id, matchers))
    index = _INDEXES.get(key)
    if index is None:
        if len(_INDEXES) >= 256:
            _INDEXES.clear()
        index = _INDEXES[key] = _KnownIndex(matchers, policy)
    return index


def _pattern_candidates(view: TextView, today: date | None) -> list[_Candidate]:
    hits = find_numbers(view, today=today) + find_emails(view)
    out: list[_Candidate] = []
    for order, h in enumerate(hits, _PATTERN_ORDER):
        kind = _PATTERN_KINDS.get((h.category, h.detector))
        if kind is None:
            kind = _PATTERN_KINDS[h.category, h.detector] = _kind(
                h.category, PATTERN, DETECTORS[h.detector])
        out.append((h.start, -h.end, order, kind, kind.rank + h.start - h.end))
    return out


def _protected_spans(view: TextView, cview: TextView,
                     protected_forms: Sequence[str]) -> list[tuple[int, int]]:
    spans = credit_code_spans(view)
    for form in protected_forms:
        if form in cview.text:
            spans += cview.spans((i, i + len(form)) for i in _find_all(cview.text, form))
    return spans


def _merge(cands: list[_Candidate]) -> list[tuple[int, int, _Kind, tuple[str, ...]]]:
    """Merge overlapping candidates (and touching ones of one category): each cluster as
    ``(start, end, chosen kind, reasons)``. Sorts ``cands`` in place."""
    cands.sort()
    out: list[tuple[int, int, _Kind, tuple[str, ...]]] = []
    members: list[_Candidate] = []
    start = end = 0
    last = ""  # category of the last member
    for c in cands:
        if c[0] < end or (c[0] == end and c[3].category == last):
            members.append(c)
            if -c[1] > end:
                end = -c[1]
            last = c[3].category
            continue
        if len(members) == 1:
            kind = members[0][3]
            out.append((start, end, kind, (kind.reason,)))
        elif members:
            out.append(_cluster(start, end, members))
        members = [c]
        start, end, last = c[0], -c[1], c[3].category
    if len(members) == 1:
        kind = members[0][3]
        out.append((start, end, kind, (kind.reason,)))
    elif members:
        out.append(_cluster(start, end, members))
    return out


def _cluster(start: int, end: int, members: list[_Candidate]
             ) -> tuple[int, int, _Kind, tuple[str, ...]]:
    """A cluster of several candidates: the first by rank is chosen; the reasons of all,
    in rank order, each once."""
    ranked = sorted(members, key=_RANK)
    return start, end, ranked[0][3], tuple(dict.fromkeys([c[3].reason for c in ranked]))


# ------------------------------------------------------------------------- engine


class _Engine:
    def __init__(self, *, index: _KnownIndex, protected_values: Sequence[str],
                 hash_key: bytes, today: date | None):
        self.index = index  # the known values, and the policy's removals and replacements
        self.protected_values = tuple(protected_values)
        forms = (compact_value(value) for value in self.protected_values)
        self.protected_forms = tuple(form for form in forms if len(form) >= _MIN_TEXT)
        self.hash_key = hash_key
        self.today = today
        #: SHA-256 of a text (UTF-8), or HMAC-SHA256 under ``hash_key``, in hex.
        self.digest: Callable[[str], str] = _hmac_sha256(hash_key) if hash_key else _sha256

    def candidates(self, text: str, *, detect: bool) -> list[_Candidate]:
        if not detect or not text:
            return []
        view = normalize(text)
        cview = compact(view)
        found = self.index.candidates(cview)  # of the categories the policy removes only
        removes = self.index.removes
        found += [c for c in _pattern_candidates(view, self.today) if c[3].category in removes]
        protected = _protected_spans(view, cview, self.protected_forms)
        if not protected:
            return found
        return [c for c in found
                if not (c[3].protectable and any(a <= c[0] and -c[1] <= b for a, b in protected))]

    def redact_text(self, path: str, text: str, manual: Sequence[ManualRedaction], *,
                    detect: bool = True,
                    reason_filter: Callable[[str], str] | None = None,
                    ) -> tuple[str, list[Mark], list[Segment]]:
        cands = self.candidates(text, detect=detect)
        for order, m in enumerate(manual, _MANUAL_ORDER):
            if m.end > len(text):
                raise RedactionError("manual_span",
                                     f"Manual redaction beyond the end of {path!r}.")
            kind = _kind(m.category, MANUAL, f"manual: {m.reason.strip()}", "", False)
            cands.append((m.start, -m.end, order, kind, kind.rank + m.start - m.end))
        marks: list[Mark] = []
        segments: list[Segment] = []
        out: list[str] = []
        pos = 0
        replacements = self.index.replacements
        reasons_done: dict[tuple[str, ...], str] = {}
        digest = self.digest
        for start, end, chosen, reasons in _merge(cands):
            reason = reasons_done.get(reasons)
            if reason is None:
                reason = "; ".join(reasons)
                if reason_filter is not None:
                    reason = reason_filter(reason)
                reasons_done[reasons] = reason
            category = chosen.category
            if category == PARTY_NAME and chosen.replacement:
                replacement = chosen.replacement
            else:
                replacement = replacements[category]
            original = text[start:end]
            mark = Mark(path, start, end, category, chosen.source, digest(original),
                        replacement, reason)
            if pos < start:
                kept = text[pos:start]
                out.append(kept)
                segments.append(_new_tuple(Segment, (kept, None)))
            out.append(replacement)
            segments.append(_new_tuple(Segment, (original, mark)))
            marks.append(mark)
            pos = end
        if pos < len(text):
            out.append(text[pos:])
            segments.append(Segment(text[pos:], None))
        return "".join(out), marks, segments

    def scrub(self, text: str) -> str:
        """Redact a reason or label (no marks kept). Reasons repeat, within a record and
        across the records of a case: each is redacted once per known values, policy,
        protected values and date (the index keeps them, bounded)."""
        cache = self.index.scrubbed
        key = (self.protected_values, self.today, text)
        done = cache.get(key)
        if done is None:
            done = self.redact_text("", text, ())[0]
            if len(cache) >= 4096:
                cache.clear()
            cache[key] = done
        return done


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_IPAD = bytes(b ^ 0x36 for b in range(256))  # XOR tables of RFC 2104 for bytes.translate
_OPAD = bytes(b ^ 0x5C for b in range(256))


def _hmac_sha256(key: bytes) -> Callable[[str], str]:
    """HMAC-SHA256 under ``key`` (RFC 2104) of a text's UTF-8, in hex, as a function.

    The same value as ``hmac.new(key, data, "sha256").hexdigest()``, with the two padded
    keys hashed once: each call only copies the two prepared SHA-256 states, where a
    one-shot ``hmac.digest`` sets the key up again for every mark.
    """
    if len(key) > 64:  # the block size of SHA-256
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(key.translate(_IPAD))
    outer = hashlib.sha256(key.translate(_OPAD))

    def digest(text: str) -> str:
        h = inner.copy()
        h.update(text.encode("utf-8"))
        o = outer.copy()
        o.update(h.digest())
        return o.hexdigest()

    return digest


_new_tuple = tuple.__new__  # builds a Segment without the Python-level __new__ of NamedTuple


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
    engine = _Engine(index=_known_index(matchers, policy), protected_values=protected,
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
            "by_category": {c: by_category[c] for c in CATEGORIES if c in by_category},
            "by_source": {s: by_source[s] for s in SOURCES if s in by_source},
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
