"""Portal reads of published decisions (公示平台查询): search hits, the decision page, its
verification against the public transparency log (核验), an organisation's history.

Everything here reads only what the public may see: the stored public record (the exact
bytes committed in the log), the public columns beside it, the public log and its signed
head, and the public withdrawal notice. The filters and the 404 / 410 answers are those of
`selectors.public_decisions` and `selectors.public_decision`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanxiang.accounts.models import Unit
from sanxiang.catalog.constants import DecisionKind, PartyType, PenaltyType
from sanxiang.core.errors import InvalidInput, NotFound
from sanxiang.core.identifiers import IdentifierError, validate_uscc
from sanxiang.core.paging import DEFAULT_PAGE_SIZE, PageOf, paginate
from sanxiang.disclosure import publiclog, selectors, selectors_search
from sanxiang.disclosure.models import PublicationItem, PublicLogLeaf
from sanxiang.disclosure.rules.public_record import PENALTY_TYPE_ZH
from sanxiang.records import keys
from sanxiang.records.ledger import merkle

__all__ = [
    "PAGE_SIZE",
    "DecisionHit",
    "DecisionPage",
    "EntityHistory",
    "RecordField",
    "TreeHeadView",
    "Verification",
    "decision_kind_choices",
    "decision_page",
    "entity_history",
    "format_yuan",
    "penalty_type_choices",
    "search_decisions",
    "unit_choices",
    "verify_record",
]

#: Hits per page of the portal search (公示查询每页条数).
PAGE_SIZE = DEFAULT_PAGE_SIZE

#: Labels of the public record's fields (公开记录字段), in the order the decision page shows them.
#: `title` is the page heading; `penalty_types` repeats `penalty_type` as codes.
FIELD_LABELS: dict[str, Any] = {
    "decision_number": gettext_lazy("Decision number"),
    "decision_kind": gettext_lazy("Decision kind"),
    "party_name": gettext_lazy("Party"),
    "party_type": gettext_lazy("Party type"),
    "uscc": gettext_lazy("Unified social credit code"),
    "legal_representative": gettext_lazy("Legal representative"),
    "address": gettext_lazy("Registered address"),
    "co_parties": gettext_lazy("Other parties"),
    "legal_basis": gettext_lazy("Legal basis"),
    "facts": gettext_lazy("Facts found"),
    "conclusion": gettext_lazy("Decision"),
    "penalty_type": gettext_lazy("Penalty type"),
    "fine_amount": gettext_lazy("Fine (yuan)"),
    "confiscation_amount": gettext_lazy("Amount confiscated (yuan)"),
    "agency": gettext_lazy("Deciding agency"),
    "agency_uscc": gettext_lazy("Credit code of the deciding agency"),
    "decided_on": gettext_lazy("Decided on"),
    "display_until": gettext_lazy("Displayed until"),
}
#: Fields not listed one by one on the decision page.
UNLISTED_FIELDS = ("title", "penalty_types", "corrections")
#: Fields shown as running text (line breaks kept).
LONG_FIELDS = ("legal_basis", "facts", "conclusion")
#: Amount fields (decimal strings in yuan).
MONEY_FIELDS = ("fine_amount", "confiscation_amount")

#: Reasons an ended display period gives (`selectors.public_decision`, 410 `expired`).
END_REASONS = {
    "period_ended": gettext_lazy("The display period has ended."),
    "ended_early": gettext_lazy("The display period was ended early after the credit repair of the party."),
}


# ------------------------------------------------------------------------------ choices


def unit_choices() -> list[tuple[str, str]]:
    """Units for the search filter, in tree order, indented by depth (a unit includes those below)."""
    rows = Unit.objects.filter(active=True).order_by("path").values_list("code", "name", "path")
    return [(code, "\u3000" * max(path.strip("/").count("/"), 0) + name) for code, name, path in rows]


def decision_kind_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in DecisionKind.choices]


def penalty_type_choices() -> list[tuple[str, str]]:
    """Penalty type codes of the public record (`PENALTY_TYPE_ZH`) with labels in the UI language."""
    labels = dict(PenaltyType.choices)
    return [(code, str(labels.get(code, text))) for code, text in PENALTY_TYPE_ZH.items()]


def format_yuan(value: Any) -> str:
    """A decimal string in yuan as "20,000.00" (empty when there is none)."""
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def _label(choices, value: Any) -> str:
    return str(dict(choices).get(value, value or ""))


# ------------------------------------------------------------------------------- search


@dataclass(frozen=True)
class DecisionHit:
    """One search hit (检索结果): what the result list shows of a published decision."""

    public_id: str
    title: str
    party_name: str
    party_code: str
    decision_number: str
    agency: str
    decided_on: str
    decision_kind: str
    penalty_type: str
    fine: str

    @classmethod
    def of(cls, item: PublicationItem) -> DecisionHit:
        record = item.record or {}
        return cls(
            public_id=item.public_id, title=record.get("title") or item.title,
            party_name=record.get("party_name", ""), party_code=item.party_code,
            decision_number=record.get("decision_number", ""), agency=record.get("agency", ""),
            decided_on=record.get("decided_on") or item.decided_on.isoformat(),
            decision_kind=_label(DecisionKind.choices, item.decision_kind),
            penalty_type=record.get("penalty_type", ""), fine=format_yuan(record.get("fine_amount")),
        )


def _page(qs, page: int, page_size: int | None = None, count_cap: int | None = None, count_qs=None) -> PageOf:
    """Page `page` of `qs` (`PAGE_SIZE` hits); a page past the last one gives the last page.
    With `count_cap`, counting stops there (`core.paging.paginate`)."""
    page_size = page_size or PAGE_SIZE
    result = paginate(qs, page, page_size, count_cap=count_cap, count_qs=count_qs)
    last = max(1, -(-result.total // page_size))
    if page > last:
        result = paginate(qs, last, page_size, count_cap=count_cap, count_qs=count_qs)
    return PageOf(items=[DecisionHit.of(item) for item in result.items], total=result.total, page=result.page,
                  page_size=page_size, total_capped=result.total_capped)


def search_decisions(*, page: int = 1, q: str | None = None, unit: str | None = None, kind: str | None = None,
                     penalty_type: str | None = None, amount_min: Decimal | None = None,
                     amount_max: Decimal | None = None, date_from: dt.date | None = None,
                     date_to: dt.date | None = None, sort: str | None = None) -> PageOf:
    """One page of the portal search (公示查询): `selectors.public_decisions` as `DecisionHit`s.

    Raises `InvalidInput` (400) for a bad sort, an inverted range or a page below 1.
    """
    def page_of(number: int) -> PageOf:  # the rows of `selectors.public_search`, one page (`selectors_search`)
        return selectors_search.search_page(
            q=q, unit=unit, kind=kind, penalty_type=penalty_type, amount_min=amount_min, amount_max=amount_max,
            date_from=date_from, date_to=date_to, sort=sort, page=number, page_size=PAGE_SIZE,
            count_cap=selectors.PUBLIC_COUNT_CAP)

    result = page_of(page)
    last = max(1, -(-result.total // PAGE_SIZE))
    if page > last:  # a page past the last one gives the last page (as `_page`)
        result = page_of(last)
    return PageOf(items=[DecisionHit.of(item) for item in result.items], total=result.total, page=result.page,
                  page_size=PAGE_SIZE, total_capped=result.total_capped)


# ---------------------------------------------------------------------------- the record


@dataclass(frozen=True)
class RecordField:
    """One labelled field of the public record as the decision page shows it."""

    key: str
    label: str
    value: Any
    long: bool = False


def _display_value(key: str, value: Any) -> Any:
    if key == "decision_kind":
        return _label(DecisionKind.choices, value)
    if key == "party_type":
        return _label(PartyType.choices, value)
    if key in MONEY_FIELDS:
        return format_yuan(value)
    if key == "co_parties" and isinstance(value, list):
        return [", ".join(str(v) for k, v in sorted(p.items()) if k != "party_type")
                + (f" ({_label(PartyType.choices, p.get('party_type'))})" if p.get("party_type") else "")
                for p in value if isinstance(p, dict)]
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def record_fields(record: dict) -> list[RecordField]:
    """Every field of the public record with its label, known fields first in `FIELD_LABELS` order."""
    keys_ = [k for k in FIELD_LABELS if k in record] + sorted(
        k for k in record if k not in FIELD_LABELS and k not in UNLISTED_FIELDS)
    return [RecordField(key=k, label=str(FIELD_LABELS.get(k, k)), value=_display_value(k, record[k]),
                        long=k in LONG_FIELDS) for k in keys_]


# -------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class TreeHeadView:
    """The signed tree head (签名树头) as shown."""

    tree_size: int
    root_hash: str
    timestamp: int
    signed_at: dt.datetime
    key_id: str
    public_key: str
    signature: str


@dataclass(frozen=True)
class Verification:
    """The server-side check of a served record against the public log (核验结果).

    `record_hash_ok`: SHA-256 of the served record bytes equals the leaf's `record_sha256`
    (and the leaf names this decision); `inclusion_ok`: the leaf hash and the inclusion proof
    reproduce the signed head's root (RFC 6962 §2.1.3); `signature_ok`: the head's Ed25519
    signature verifies. `verified` only when all three hold.
    """

    log_index: int | None
    record_sha256: str
    leaf_record_sha256: str
    leaf_hash: str
    head: TreeHeadView | None
    audit_path: list[str] = field(default_factory=list)
    record_hash_ok: bool = False
    inclusion_ok: bool = False
    signature_ok: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return self.record_hash_ok and self.inclusion_ok and self.signature_ok and not self.problems


def _head_view(head) -> TreeHeadView:
    raw = base64.b64decode(head.public_key)
    return TreeHeadView(tree_size=head.tree_size, root_hash=head.root_hash, timestamp=head.timestamp,
                        signed_at=dt.datetime.fromtimestamp(head.timestamp / 1000, tz=dt.UTC),
                        key_id=keys.key_id(raw), public_key=head.public_key, signature=head.signature)


def verify_record(item: PublicationItem) -> Verification:
    """Check the record served for `item` against the public log, with the project's Merkle code.

    Never raises for a failed check: each failure is named in `problems`.
    """
    served = item.public_record.encode("utf-8")
    computed = hashlib.sha256(served).hexdigest()
    problems: list[str] = []
    leaf_row = PublicLogLeaf.objects.filter(index=item.log_index).first() if item.log_index is not None else None
    leaf_sha = leaf_hash = ""
    record_hash_ok = inclusion_ok = signature_ok = False
    head_view = None
    path: list[str] = []
    if leaf_row is None:
        problems.append(_("The log holds no leaf for this record."))
    else:
        leaf_bytes = leaf_row.leaf_bytes
        leaf_hash = merkle.leaf_hash(leaf_bytes).hex()
        try:
            leaf = json.loads(leaf_bytes)
        except ValueError:
            leaf = {}
        leaf_sha = str(leaf.get("record_sha256", ""))
        record_hash_ok = leaf_sha == computed and leaf.get("item") == item.public_id
        if not record_hash_ok:
            problems.append(_("The SHA-256 of the served record differs from the one committed in the log."))
    try:
        head = publiclog.public_head()
        head_view = _head_view(head)
    except Exception:  # noqa: BLE001 (a broken key or head is a failed check, shown as such)
        head = None
        problems.append(_("The signed tree head could not be read."))
    if head is not None:
        signature_ok = keys.verify(keys.head_message(head.tree_size, head.root_hash, head.timestamp),
                                   head.signature, base64.b64decode(head.public_key))
        if not signature_ok:
            problems.append(_("The signature of the tree head does not verify."))
        if leaf_row is not None:
            try:
                proof = publiclog.public_proof(leaf_row.index, head.tree_size)
                path = proof["audit_path"]
                merkle.verify_inclusion(bytes.fromhex(leaf_hash), leaf_row.index, head.tree_size,
                                        [bytes.fromhex(h) for h in path], bytes.fromhex(head.root_hash))
                inclusion_ok = True
            except (merkle.ProofError, InvalidInput, LookupError, ValueError):
                problems.append(_("The inclusion proof does not lead to the signed root."))
    return Verification(log_index=item.log_index, record_sha256=computed, leaf_record_sha256=leaf_sha,
                        leaf_hash=leaf_hash, head=head_view, audit_path=path, record_hash_ok=record_hash_ok,
                        inclusion_ok=inclusion_ok, signature_ok=signature_ok, problems=problems)


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class DecisionPage:
    """Everything the decision page (决定公示详情) shows."""

    item: PublicationItem
    record: dict
    title: str
    fields: list[RecordField]
    corrections: list[dict]
    version: int
    published_at: dt.datetime | None
    changed_at: dt.datetime | None
    entity_code: str
    verification: Verification


def decision_page(public_id: str) -> DecisionPage:
    """The decision page of `public_id`: 404 (`NotFound`) when never published, 410 (`Gone`,
    details `at`, `reason`) when withdrawn or ended — as `selectors.public_decision`."""
    item = selectors.public_decision(public_id)
    record = item.record or {}
    corrections = [c for c in record.get("corrections") or [] if isinstance(c, dict)]
    return DecisionPage(
        item=item, record=record, title=record.get("title") or item.title, fields=record_fields(record),
        corrections=corrections, version=item.version, published_at=item.published_at,
        changed_at=item.changed_at if item.version > 1 else None, entity_code=item.party_code,
        verification=verify_record(item))


def gone_notice(details: dict) -> dict:
    """The public notice of a withdrawn or ended decision (撤回 / 公示期满): when and why."""
    at = details.get("at") or ""
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        when = None
    if isinstance(when, dt.datetime) and len(at) > 10:
        when = timezone.localtime(when) if timezone.is_aware(when) else when
    elif when is not None:
        when = when.date()
    reason = details.get("reason") or ""
    return {"at": when, "at_text": at, "reason": str(END_REASONS.get(reason, reason)),
            "log_index": details.get("log_index")}


# ------------------------------------------------------------------------------ entities


@dataclass(frozen=True)
class EntityHistory:
    """An organisation's decisions on the portal (主体公示记录), by unified social credit code."""

    credit_code: str
    name: str
    page: PageOf


def entity_history(credit_code: str, *, page: int = 1) -> EntityHistory:
    """Decisions now on the portal whose party is the organisation with `credit_code`, newest first.

    400 (`InvalidInput`, field `credit_code`) when the code fails GB 32100; 404 (`NotFound`)
    when no decision of that organisation is on the portal.
    """
    try:
        code = validate_uscc(credit_code or "")
    except IdentifierError as exc:
        raise InvalidInput(exc.code, _(exc.message), field="credit_code") from None
    qs = selectors.public_decisions(party_code=code)
    result = _page(qs, page)
    if not result.total:
        raise NotFound("entity_not_found",
                       _("No decision against this organisation is published at present."), credit_code=code)
    return EntityHistory(credit_code=code, name=result.items[0].party_name, page=result)
