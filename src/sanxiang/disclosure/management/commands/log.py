"""`sanxiang log verify-remote URL`, `sanxiang log head`, `sanxiang log checkpoint` (公开透明日志).

`verify-remote` checks a site's public transparency log from the outside, as any member of
the public could, with nothing but its public API (standard-library HTTP):

1. fetch `log/head` and check its Ed25519 signature (against the served key, or the key
   pinned with `--public-key`);
2. fetch every leaf (`log/entries`, 1000 per call), check that each is canonical JSON of
   the documented shape, recompute the RFC 6962 root and compare it with the signed one;
3. with `--previous FILE`: check that the log only grew since the head saved there
   (consistency proof from `log/consistency`, and the recomputed root at that size), then
   save the newly verified head to FILE;
4. with `--decision PUBLIC_ID`: fetch the public record (`decisions/{id}`), compute its
   `record_sha256`, find the leaf at its `log_index`, and verify the inclusion proof
   (`decisions/{id}/proof`) against the signed root; a withdrawn or expired decision (410)
   must have its withdraw / expire leaf in the log.

Exit status 0 when everything verifies, 1 on any failure (each problem named on stdout).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management.base import BaseCommand, CommandError

from sanxiang.records.ledger import merkle
from sanxiang.records.ledger.canonical import canonical_json

API = "/api/public/v1"
BATCH = 1000
MAX_PROBLEMS = 100
RETRIES_429 = 5
MAX_WAIT_429 = 60
PUBLICATION_ACTIONS = ("publish", "correct", "withdraw", "expire")
PUBLICATION_KEYS = {"action", "at", "item", "record_sha256"}
CHECKPOINT_KEYS = {"action", "at", "ledger_root", "ledger_size"}
GONE_ACTION = {"withdrawn": "withdraw", "expired": "expire"}


class RemoteError(Exception):
    """The site could not be asked (network, HTTP status, not JSON)."""


class Client:
    """GET JSON from the site's public API with `urllib`; waits out 429 (`Retry-After`)."""

    def __init__(self, base: str, timeout: float = 30.0) -> None:
        base = base.strip().rstrip("/")
        if base.endswith(API):
            base = base[: -len(API)]
        scheme = urllib.parse.urlsplit(base).scheme
        if scheme not in ("http", "https"):
            raise CommandError(f"URL must start with http:// or https://, not {base!r}")
        self.base = base
        self.timeout = timeout

    def url(self, path: str, params: dict | None = None) -> str:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return f"{self.base}{API}{path}{query}"

    def get(self, path: str, params: dict | None = None, allow: tuple[int, ...] = (200,)) -> tuple[int, object]:
        url = self.url(path, params)
        request = urllib.request.Request(url, headers={  # noqa: S310 - scheme checked in __init__
            "Accept": "application/json", "User-Agent": "sanxiang-log-verify-remote/1"})
        for attempt in range(RETRIES_429 + 1):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as exc:
                status, body = exc.code, exc.read()
                if status == 429 and attempt < RETRIES_429:
                    time.sleep(min(MAX_WAIT_429, _retry_after(exc.headers.get("Retry-After"))))
                    continue
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                raise RemoteError(f"GET {url}: {reason}") from None
            break
        try:
            data = json.loads(body) if body else None
        except ValueError:
            data = None
            if status in allow:
                raise RemoteError(f"GET {url}: HTTP {status}, the answer is not JSON") from None
        if status not in allow:
            error = data.get("error") if isinstance(data, dict) else None
            detail = f" {error.get('code')}: {error.get('message')}" if isinstance(error, dict) else ""
            raise RemoteError(f"GET {url}: HTTP {status}{detail}")
        return status, data


def _retry_after(value: str | None) -> float:
    try:
        return max(1.0, float(value or 1))
    except ValueError:
        return 1.0


def load_public_key(value: str) -> bytes:
    """A raw 32-byte Ed25519 key from base64, a PEM text, or a file holding either."""
    text = value.strip()
    path = Path(text)
    if len(text) < 4096 and path.is_file():
        text = path.read_text(encoding="utf-8").strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise CommandError("--public-key: the PEM key is not an Ed25519 public key")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise CommandError("--public-key: neither base64 nor PEM nor a readable file") from None
    if len(raw) != 32:
        raise CommandError(f"--public-key: an Ed25519 public key has 32 bytes, this one {len(raw)}")
    return raw


def head_message(tree_size: int, root_hex: str, timestamp: int) -> bytes:
    """What the head's signature covers (API.md): UTF-8 of "{tree_size}\\n{root_hash}\\n{timestamp}\\n"."""
    return f"{tree_size}\n{root_hex}\n{timestamp}\n".encode()


@dataclass(frozen=True)
class Head:
    tree_size: int
    root_hash: str
    timestamp: int
    signature: str
    public_key: str

    @property
    def root(self) -> bytes:
        return bytes.fromhex(self.root_hash)

    def as_dict(self) -> dict:
        return {"tree_size": self.tree_size, "root_hash": self.root_hash, "timestamp": self.timestamp,
                "signature": self.signature, "public_key": self.public_key, "algorithm": "ed25519"}


def _is_hex64(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def parse_head(data: object, what: str = "head") -> Head:
    """Check the shape of a signed head; `ValueError` naming what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"{what}: not a JSON object")
    size, root, stamp = data.get("tree_size"), data.get("root_hash"), data.get("timestamp")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError(f"{what}: tree_size is not a non-negative integer")
    if not _is_hex64(root):
        raise ValueError(f"{what}: root_hash is not 64 lower-case hex digits")
    if not isinstance(stamp, int) or isinstance(stamp, bool) or stamp < 0:
        raise ValueError(f"{what}: timestamp is not an integer (ms since the epoch)")
    if data.get("algorithm", "ed25519") != "ed25519":
        raise ValueError(f"{what}: algorithm {data.get('algorithm')!r} is not ed25519")
    signature, key = data.get("signature"), data.get("public_key")
    if not isinstance(signature, str) or not isinstance(key, str):
        raise ValueError(f"{what}: signature and public_key must be base64 strings")
    return Head(size, root, stamp, signature, key)


def check_signature(head: Head, raw_key: bytes) -> str | None:
    """None when the head's signature verifies with `raw_key`, else why not."""
    try:
        signature = base64.b64decode(head.signature, validate=True)
        Ed25519PublicKey.from_public_bytes(raw_key).verify(
            signature, head_message(head.tree_size, head.root_hash, head.timestamp))
    except (binascii.Error, ValueError):
        return "the signature or the key is not valid base64 Ed25519 material"
    except InvalidSignature:
        return "the Ed25519 signature does not verify"
    return None


def served_key(head: Head) -> bytes:
    try:
        raw = base64.b64decode(head.public_key, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("public_key is not base64") from None
    if len(raw) != 32:
        raise ValueError(f"public_key has {len(raw)} bytes, an Ed25519 key has 32")
    return raw


def check_leaf(leaf: bytes) -> tuple[dict | None, str | None]:
    """Parse a leaf; (document, None) when canonical and of a documented shape, else (doc?, why)."""
    try:
        document = json.loads(leaf.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, "is not UTF-8 JSON"
    if not isinstance(document, dict):
        return None, "is not a JSON object"
    try:
        canonical = canonical_json(document)
    except (TypeError, ValueError) as exc:
        return document, f"is not canonical JSON ({exc})"
    if canonical != leaf:
        return document, "is not in canonical form (sorted keys, no whitespace, UTF-8)"
    action = document.get("action")
    if action in PUBLICATION_ACTIONS:
        sha = document.get("record_sha256")
        if set(document) != PUBLICATION_KEYS or not isinstance(document.get("item"), str) or not _is_hex64(sha):
            return document, f"is a {action} leaf without exactly action, at, item, record_sha256"
    elif action == "checkpoint":
        if set(document) != CHECKPOINT_KEYS or not isinstance(document.get("ledger_size"), int) or \
                not _is_hex64(document.get("ledger_root")):
            return document, "is a checkpoint leaf without exactly action, at, ledger_root, ledger_size"
    else:
        return document, f"has an unknown action {action!r}"
    return document, None


@dataclass
class Report:
    url: str
    ok: bool = True
    tree_size: int | None = None
    root_hash: str | None = None
    timestamp: int | None = None
    public_key: str | None = None
    signature_ok: bool = False
    entries: int = 0
    root_ok: bool = False
    previous: dict | None = None
    decisions: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _more: int = 0

    def fail(self, problem: str) -> None:
        self.ok = False
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self._more += 1

    def as_dict(self) -> dict:
        problems = self.problems + ([f"... and {self._more} more"] if self._more else [])
        return {"ok": self.ok, "url": self.url, "tree_size": self.tree_size, "root_hash": self.root_hash,
                "timestamp": self.timestamp, "public_key": self.public_key, "signature_ok": self.signature_ok,
                "entries": self.entries, "root_ok": self.root_ok, "previous": self.previous,
                "decisions": self.decisions, "problems": problems}


class RemoteVerifier:
    def __init__(self, client: Client, *, pinned_key: bytes | None = None, previous: Head | None = None,
                 decisions: tuple[str, ...] = (), progress=None) -> None:
        self.client = client
        self.pinned_key = pinned_key
        self.previous = previous
        self.decisions = decisions
        self.progress = progress or (lambda done, total: None)
        self.report = Report(url=client.base)
        self.head: Head | None = None
        self._item_leaves: dict[str, list[tuple[int, dict, bytes]]] = {d: [] for d in decisions}
        self._root_at_previous: bytes | None = None

    def run(self) -> Report:
        try:
            if self._head() and self._entries():
                self._previous()
                for public_id in self.decisions:
                    self._decision(public_id)
        except RemoteError as exc:
            self.report.fail(str(exc))
        return self.report

    # -- 1. the signed head
    def _head(self) -> bool:
        report = self.report
        _status, data = self.client.get("/log/head")
        try:
            head = parse_head(data)
            key = served_key(head)
        except ValueError as exc:
            report.fail(f"log head: {exc}")
            return False
        self.head = head
        report.tree_size, report.root_hash, report.timestamp = head.tree_size, head.root_hash, head.timestamp
        report.public_key = head.public_key
        if self.pinned_key is not None and key != self.pinned_key:
            report.fail("log head: signed with another key than the pinned --public-key "
                        f"(served {head.public_key}, pinned {base64.b64encode(self.pinned_key).decode()})")
            key = self.pinned_key
        why = check_signature(head, key)
        if why:
            report.fail(f"log head (size {head.tree_size}): {why}")
            return False
        report.signature_ok = True
        return True

    # -- 2. every leaf, the recomputed root
    def _entries(self) -> bool:
        report, head = self.report, self.head
        compact = merkle.CompactRange()
        previous_size = self.previous.tree_size if self.previous else None
        if previous_size == 0:
            self._root_at_previous = compact.root()
        for start in range(0, head.tree_size, BATCH):
            end = min(head.tree_size, start + BATCH) - 1
            _status, data = self.client.get("/log/entries", {"start": start, "end": end})
            entries = data.get("entries") if isinstance(data, dict) else None
            if not isinstance(entries, list) or len(entries) != end - start + 1:
                count = len(entries) if isinstance(entries, list) else "no"
                report.fail(f"log entries {start}-{end}: {count} entries returned, {end - start + 1} expected")
                return False
            for expected, entry in enumerate(entries, start):
                index = entry.get("index") if isinstance(entry, dict) else None
                if index != expected:
                    report.fail(f"log entries {start}-{end}: entry {index!r} where {expected} was expected")
                    return False
                try:
                    leaf = base64.b64decode(entry.get("leaf", ""), validate=True)
                except (binascii.Error, ValueError, TypeError):
                    report.fail(f"leaf {index}: not base64")
                    return False
                document, why = check_leaf(leaf)
                if why:
                    report.fail(f"leaf {index} {why}")
                item = document.get("item") if document else None
                if item in self._item_leaves:
                    self._item_leaves[item].append((index, document, leaf))
                compact.append_data(leaf)
                if compact.size == previous_size:
                    self._root_at_previous = compact.root()
            report.entries = compact.size
            self.progress(compact.size, head.tree_size)
        computed = compact.root()
        if computed != head.root:
            report.fail(f"recomputed root of {head.tree_size} leaves is {computed.hex()}, "
                        f"the signed head says {head.root_hash}: the leaves served are not the ones signed")
            return False
        report.root_ok = True
        return True

    # -- 3. the log only grew since the previously verified head
    def _previous(self) -> None:
        previous, head, report = self.previous, self.head, self.report
        if previous is None:
            return
        report.previous = {"tree_size": previous.tree_size, "root_hash": previous.root_hash, "consistent": False}
        try:
            why = check_signature(previous, served_key(previous))
        except ValueError as exc:
            why = str(exc)
        if why:
            report.fail(f"previous head (size {previous.tree_size}): {why}")
            return
        if previous.public_key != head.public_key:
            report.fail("the signing key changed since the previous head "
                        f"({previous.public_key} → {head.public_key})")
        if previous.tree_size > head.tree_size:
            report.fail(f"the log shrank: the previous head had {previous.tree_size} leaves, now {head.tree_size}")
            return
        if self._root_at_previous != previous.root:
            computed = self._root_at_previous.hex() if self._root_at_previous else "-"
            report.fail(f"the first {previous.tree_size} leaves now hash to {computed}, the previous head "
                        f"signed {previous.root_hash}: the log was rewritten")
            return
        _status, data = self.client.get("/log/consistency", {"first": previous.tree_size, "second": head.tree_size})
        try:
            proof = [bytes.fromhex(h) for h in data["proof"]]
            merkle.verify_consistency(previous.tree_size, head.tree_size, previous.root, head.root, proof)
        except (KeyError, TypeError, ValueError) as exc:  # ProofError is a ValueError
            report.fail(f"consistency proof {previous.tree_size} → {head.tree_size}: {exc}")
            return
        report.previous["consistent"] = True

    # -- 4. a decision's record is the one committed in the log
    def _decision(self, public_id: str) -> None:
        report, head = self.report, self.head
        result = {"public_id": public_id, "ok": False}
        report.decisions.append(result)
        path = f"/decisions/{urllib.parse.quote(public_id, safe='')}"
        status, data = self.client.get(path, allow=(200, 404, 410))
        leaves = self._item_leaves.get(public_id, [])
        if status == 404:
            report.fail(f"decision {public_id}: not found (never published)")
            return
        if status == 410:
            code = ((data or {}).get("error") or {}).get("code") if isinstance(data, dict) else None
            action = GONE_ACTION.get(code)
            result["status"] = code
            ends = [i for i, doc, _leaf in leaves if doc.get("action") == action]
            if action is None or not ends:
                report.fail(f"decision {public_id}: answers 410 {code!r} but the log has no "
                            f"{action or 'withdraw/expire'} leaf for it")
                return
            result.update(ok=True, leaf_index=ends[-1], action=action)
            return
        if not isinstance(data, dict) or not isinstance(data.get("record"), dict) or \
                not isinstance(data.get("log_index"), int):
            report.fail(f"decision {public_id}: the answer has no record object and integer log_index")
            return
        try:
            record_sha256 = hashlib.sha256(canonical_json(data["record"])).hexdigest()
        except (TypeError, ValueError) as exc:
            report.fail(f"decision {public_id}: the record cannot be canonicalised ({exc})")
            return
        index = data["log_index"]
        result.update(status="published", log_index=index, record_sha256=record_sha256)
        if not 0 <= index < head.tree_size:
            report.fail(f"decision {public_id}: log_index {index} is not in the verified head "
                        f"(size {head.tree_size}); run again")
            return
        found = [(doc, leaf) for i, doc, leaf in leaves if i == index]
        if not found:
            report.fail(f"decision {public_id}: leaf {index} is not about this decision")
            return
        document, leaf = found[0]
        if document.get("action") not in ("publish", "correct"):
            report.fail(f"decision {public_id}: leaf {index} is a {document.get('action')} leaf, "
                        "not publish or correct")
            return
        if document.get("record_sha256") != record_sha256:
            report.fail(f"decision {public_id}: the record served hashes to {record_sha256}, leaf {index} "
                        f"committed {document.get('record_sha256')}: it is not the published record")
            return
        later = [(i, doc.get("action")) for i, doc, _leaf in leaves if i > index]
        if later:
            report.fail(f"decision {public_id}: later leaves {later} supersede leaf {index}")
            return
        _status, proof = self.client.get(f"{path}/proof", {"tree_size": head.tree_size})
        try:
            if proof["leaf_index"] != index or proof["tree_size"] != head.tree_size:
                raise ValueError(f"proof is for leaf {proof['leaf_index']} in size {proof['tree_size']}, "
                                 f"not leaf {index} in size {head.tree_size}")
            path_hashes = [bytes.fromhex(h) for h in proof["audit_path"]]
            merkle.verify_inclusion(merkle.leaf_hash(leaf), index, head.tree_size, path_hashes, head.root)
        except (KeyError, TypeError, ValueError) as exc:
            report.fail(f"decision {public_id}: inclusion proof: {exc}")
            return
        result.update(ok=True, action=document["action"], at=document.get("at"))


def read_previous(path: Path) -> Head | None:
    if not path.exists():
        return None
    try:
        return parse_head(json.loads(path.read_text(encoding="utf-8")), f"previous head {path}")
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def save_head(path: Path, head: Head, url: str) -> None:
    """Write the verified head atomically (temporary file + rename)."""
    document = {**head.as_dict(), "url": url,
                "verified_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(document, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    os.replace(tmp, path)


class Command(BaseCommand):
    help = "Public transparency log: verify a site's log from outside, print the signed head, checkpoint."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remote = sub.add_parser("verify-remote", help="verify a site's public log through its public API")
        remote.add_argument("url", help="the site, e.g. https://zfgs.example.gov.cn")
        remote.add_argument("--json", action="store_true", help="print one JSON document")
        remote.add_argument("--public-key", help="pin the signing key: base64 raw Ed25519 key, PEM, or a file")
        remote.add_argument("--previous", type=Path, metavar="FILE",
                            help="check consistency with the head saved in FILE, then save the new head there")
        remote.add_argument("--decision", action="append", default=[], metavar="PUBLIC_ID",
                            help="verify that this decision's public record is the one in the log (repeatable)")
        remote.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP request (default 30)")
        sub.add_parser("head", help="print the signed head of this site's public log (signs on demand)")
        sub.add_parser("checkpoint", help="append the internal ledger's root to the public log (periodic)")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "head":
            from sanxiang.disclosure.publiclog import public_head

            self.stdout.write(json.dumps(public_head().as_dict()))
        elif action == "checkpoint":
            from sanxiang.disclosure.publiclog import public_log_checkpoint

            row = public_log_checkpoint(actor="system")
            self.stdout.write(json.dumps({"index": row.index, "leaf": json.loads(row.leaf)}, ensure_ascii=False))
        else:
            self._verify_remote(opts)

    def _verify_remote(self, opts) -> None:
        client = Client(opts["url"], timeout=opts["timeout"])
        pinned = load_public_key(opts["public_key"]) if opts["public_key"] else None
        previous_path: Path | None = opts["previous"]
        previous = read_previous(previous_path) if previous_path else None
        tty = sys.stderr.isatty() and not opts["json"]

        def progress(done: int, total: int) -> None:
            if tty:
                sys.stderr.write(f"\r公开日志校验 verifying public log: {done}/{total}")
                sys.stderr.flush()

        verifier = RemoteVerifier(client, pinned_key=pinned, previous=previous,
                                  decisions=tuple(opts["decision"]), progress=progress)
        report = verifier.run()
        if tty:
            sys.stderr.write("\n")
        if report.ok and previous_path is not None:
            save_head(previous_path, verifier.head, client.base)
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self._print(report)
        if not report.ok:
            sys.exit(1)

    def _print(self, report: Report) -> None:
        out = self.stdout
        if report.tree_size is not None:
            signed = dt.datetime.fromtimestamp(report.timestamp / 1000, dt.UTC).isoformat(timespec="seconds")
            out.write(f"head: {report.tree_size} leaves, root {report.root_hash}, signed {signed}, "
                      f"signature {'OK' if report.signature_ok else 'BAD'} (key {report.public_key})")
        if report.signature_ok:
            out.write(f"leaves: {report.entries} fetched, recomputed root {'matches' if report.root_ok else 'DIFFERS'}")
        if report.previous:
            prev = report.previous
            out.write(f"previous head: {prev['tree_size']} leaves, "
                      f"{'consistent' if prev['consistent'] else 'NOT consistent'}")
        for decision in report.decisions:
            if decision["ok"]:
                where = f"leaf {decision.get('leaf_index', decision.get('log_index'))}"
                out.write(f"decision {decision['public_id']}: {decision.get('status')}, {decision.get('action')} "
                          f"at {where}, verified")
            else:
                out.write(f"decision {decision['public_id']}: NOT verified")
        if report.ok:
            out.write(self.style.SUCCESS(f"public log intact: {report.url}"))
        else:
            out.write(self.style.ERROR(f"public log verification FAILED: {report.url}"))
            for problem in report.as_dict()["problems"]:
                out.write(f"  - {problem}")
