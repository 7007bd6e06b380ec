"""Archive packages (电子档案归档包): BagIt packages of a subject and their four-properties check.

`archive_build` writes one subject's records as a BagIt package (RFC 8493, version 1.0)::

    DIR/bagit.txt, bag-info.txt                     tag files (Source-Organization, Payload-Oxum, …)
    DIR/manifest-sha256.txt, manifest-sm3.txt       every payload file, SHA-256 and SM3 (国密)
    DIR/tagmanifest-sha256.txt, tagmanifest-sm3.txt the tag files above, both algorithms
    DIR/data/evidence/<number:04d>-<sha256[:12]>.<ext>   the evidence files, copied from the vault
    DIR/data/metadata.json     subject, summary, items (编号, content note, speakers, device,
                               time span, digests, size, content types, annotations), counts
    DIR/data/ledger.jsonl      the subject's ledger entries: seq, entry_hash, exact body, and the
                               inclusion proof against the signed head
    DIR/data/tree-head.json    the signed tree head of the ledger the proofs lead to
    DIR/data/public-key.pem    the Ed25519 key that signed it

The package is written here rather than by `bagit.make_bag`, which changes the process's
working directory (unsafe in a threaded server), reads every file a second time and writes
BagIt 0.97. `bagit` validates the structure in the check, and the tests validate fresh
packages with it in full. `bagit` only knows the algorithms of `hashlib.algorithms_guaranteed`,
so the SM3 manifests are verified here (both algorithms are, in one read of each file).

`archive_check` tests a package for the four properties of 档案法 第三十九条 / DA/T 70-2018
(RULES.md R8.7, R8.8): 真实性 authenticity, 完整性 integrity, 可用性 usability, 安全性 security.
It only reads the directory: nothing in it is executed, no link is followed, no database is
used. Virus scanning (R8.8 安全性) is left to the receiving system's scanner.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bagit
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxiang import __version__
from sanxiang.core.errors import Gone, GuardRefused, InvalidInput
from sanxiang.records import blobs, keys, logs
from sanxiang.records.ledger import merkle
from sanxiang.records.ledger.canonical import canonical_sha256
from sanxiang.records.models import Evidence, LedgerEntry
from sanxiang.records.models.ledger import LEDGER_LOG
from sanxiang.records.services import ledger_append
from sanxiang.records.sniff import HEAD_BYTES, sniff

__all__ = [
    "ALLOWED_FORMATS", "PROPERTIES", "ArchiveResult", "ArchiveSubcommand", "Check", "CheckReport",
    "archive_build", "archive_check", "archive_subcommand_register", "archive_subcommands",
]

PACKAGE_FORMAT = "sanxiang-archive/1"
ALGORITHMS = ("sha256", "sm3")
CHUNK = 1024 * 1024
MAX_JSON_BYTES = 256 * 1024 * 1024
MAX_PROBLEMS = 50
DEFAULT_ORGANIZATION = "上海市生态环境局"

# Formats for archiving (RULES.md R8.9: text OFD/PDF, images JPEG/TIFF, audio WAV/MP3, video
# MPEG/MP4/AVI; plus PNG, MOV and plain text/JSON): media type → file extension. DOCX (ISO/IEC
# 29500, an open standard, plain ZIP/Deflate, no encryption) is the form in which enforcement
# documents are issued: the package keeps the issued bytes, whose digests the ledger holds.
ALLOWED_FORMATS: dict[str, str] = {
    "application/pdf": "pdf",
    "application/ofd": "ofd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "image/jpeg": "jpg",
    "image/tiff": "tif",
    "image/png": "png",
    "audio/wav": "wav",
    "audio/mpeg": "mp3",
    "video/mp4": "mp4",
    "video/mpeg": "mpg",
    "video/x-msvideo": "avi",
    "video/quicktime": "mov",
    "text/plain": "txt",
    "application/json": "json",
}
_OTHER_EXTENSIONS = {
    "image/gif": "gif", "image/webp": "webp", "image/heic": "heic", "image/heif": "heif",
    "audio/mp4": "m4a", "video/3gpp": "3gp", "video/3gpp2": "3g2", "video/x-matroska": "mkv",
    "video/mp2t": "ts", "application/zip": "zip",
}
# A declared type and the types its content may sniff as (JSON has no magic bytes).
_SNIFFS_AS = {"application/json": {"application/json", "text/plain"}}

PAYLOAD_FILES = ("data/metadata.json", "data/ledger.jsonl", "data/tree-head.json", "data/public-key.pem")
TAG_FILES = ("bagit.txt", "bag-info.txt", *(f"manifest-{a}.txt" for a in ALGORITHMS))
TAG_MANIFESTS = tuple(f"tagmanifest-{a}.txt" for a in ALGORITHMS)

_ALG_NAMES = {"sha256": "SHA-256", "sm3": "SM3"}

PROPERTIES = (
    ("authenticity", "真实性", "Authenticity"),
    ("integrity", "完整性", "Integrity"),
    ("usability", "可用性", "Usability"),
    ("security", "安全性", "Security"),
)

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_EXECUTABLE_MAGIC = (
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows PE/DOS executable (MZ)"),
    (b"#!", "script with an interpreter line (#!)"),
    (b"\xfe\xed\xfa\xce", "Mach-O executable"), (b"\xfe\xed\xfa\xcf", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"), (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
)


def _digesters() -> dict[str, Any]:
    return {alg: hashlib.new(alg) for alg in ALGORITHMS}


# ============================================================================ build

@dataclass(frozen=True)
class ArchiveResult:
    """What `archive_build` wrote. `warnings` name items whose format is not on the archival
    list (the check fails on them: convert before archiving)."""

    directory: Path
    subject: str
    items: int
    ledger_entries: int
    files: int
    bytes: int
    tree_size: int
    root_hash: str
    tagmanifest_sha256: str
    exported_seq: int
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"directory": str(self.directory), "subject": self.subject, "items": self.items,
                "ledger_entries": self.ledger_entries, "files": self.files, "bytes": self.bytes,
                "tree_size": self.tree_size, "root_hash": self.root_hash,
                "tagmanifest_sha256": self.tagmanifest_sha256, "exported_seq": self.exported_seq,
                "warnings": list(self.warnings)}


class _Writer:
    """Writes payload files under `root`, remembering both digests and the size of each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.digests: dict[str, dict[str, str]] = {}
        self.sizes: dict[str, int] = {}

    def _open(self, rel: str):
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        return os.fdopen(fd, "wb")

    def write_bytes(self, rel: str, data: bytes) -> None:
        with self._open(rel) as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        self.digests[rel] = {alg: hashlib.new(alg, data).hexdigest() for alg in ALGORITHMS}
        self.sizes[rel] = len(data)

    def write_stream(self, rel: str, chunks: Iterator[bytes]) -> None:
        hashers = _digesters()
        size = 0
        with self._open(rel) as fh:
            for chunk in chunks:
                fh.write(chunk)
                size += len(chunk)
                for h in hashers.values():
                    h.update(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        self.digests[rel] = {alg: h.hexdigest() for alg, h in hashers.items()}
        self.sizes[rel] = size


def _read_chunks(fh) -> Iterator[bytes]:
    while chunk := fh.read(CHUNK):
        yield chunk


def _prepare_directory(directory: Path) -> bool:
    """Create `directory` (True) or accept an existing empty one (False); refuse anything else."""
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        raise InvalidInput("archive_directory_not_empty",
                           _("The archive directory must not exist or be empty: %(dir)s") % {"dir": directory},
                           field="directory")
    if directory.is_dir():
        if any(directory.iterdir()):
            raise InvalidInput("archive_directory_not_empty",
                               _("The archive directory must not exist or be empty: %(dir)s") % {"dir": directory},
                               field="directory")
        return False
    directory.mkdir(parents=True, mode=0o755)
    return True


def _remove_partial(directory: Path, created: bool) -> None:
    if created:
        shutil.rmtree(directory, ignore_errors=True)
        return
    with contextlib.suppress(FileNotFoundError):
        for child in directory.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _item(evidence: Evidence, path: str) -> dict:
    blob = evidence.blob
    return {
        "number": evidence.number,
        "kind": evidence.kind,
        "description": evidence.description,
        "speakers": evidence.speakers,
        "device": evidence.device,
        "recorded_at": _iso(evidence.recorded_at),
        "recorded_until": _iso(evidence.recorded_until),
        "activity": evidence.activity,
        "filename": evidence.filename,
        "path": path,
        "sha256": blob.sha256,
        "sm3": blob.sm3,
        "size": blob.size,
        "content_type": blob.content_type,
        "claimed_content_type": evidence.claimed_content_type,
        "uploaded_by": evidence.uploaded_by,
        "registered_at": _iso(evidence.created_at),
        "annotations": [{"text": a.text, "actor": a.actor, "at": _iso(a.at)}
                        for a in evidence.annotations.all()],
    }


def _evidence_path(evidence: Evidence) -> str:
    content_type = evidence.blob.content_type
    ext = ALLOWED_FORMATS.get(content_type) or _OTHER_EXTENSIONS.get(content_type, "bin")
    return f"data/evidence/{evidence.number:04d}-{evidence.blob.sha256[:12]}.{ext}"


def _copy_evidence(writer: _Writer, store: blobs.BlobStore, evidence: Evidence, rel: str) -> None:
    blob = evidence.blob
    try:
        fh = store.open(blob.sha256)
    except blobs.BlobMissing:
        raise Gone("evidence_file_missing",
                   _("The file of evidence %(number)d is missing from the vault; run `sanxiang evidence verify`.")
                   % {"number": evidence.number}, evidence_id=str(evidence.pk)) from None
    try:
        writer.write_stream(rel, _read_chunks(fh))
    finally:
        fh.close()
    got = writer.digests[rel]
    if got["sha256"] != blob.sha256 or got["sm3"] != blob.sm3 or writer.sizes[rel] != blob.size:
        raise GuardRefused("evidence_damaged",
                           _("The file of evidence %(number)d does not match its recorded hashes; "
                             "run `sanxiang evidence verify`.") % {"number": evidence.number},
                           evidence_id=str(evidence.pk))


def _manifest_text(entries: dict[str, dict[str, str]], alg: str) -> bytes:
    return "".join(f"{entries[p][alg]}  {_encode_path(p)}\n" for p in sorted(entries)).encode()


def _encode_path(path: str) -> str:
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _bag_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{n} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


def archive_build(*, subject: str, directory: Path, summary: dict, actor: str,
                  progress: Callable[[int, int], None] | None = None) -> ArchiveResult:
    """Build the archive package (归档包) of `subject` in `directory` (absent or empty).

    Signs a fresh head of the ledger, then — under the ledger head's lock, so that evidence,
    annotations and entries are those the head covers — reads the subject's evidence and
    ledger entries; after releasing it, streams each evidence file from the blob store
    (refusing one that no longer matches its recorded digests), writes the metadata, the
    ledger slice with an inclusion proof per entry, the signed head and the public key, then
    the manifests (SHA-256 and SM3) and tag manifests. Appends `archive.exported`, whose
    payload carries the SHA-256 of the tag manifest: the package's fingerprint. On failure
    everything written is removed and nothing is appended.

    `summary` is the caller's JSON description of the subject (case number, title, party…);
    `summary["organization"]`, when given, becomes the Source-Organization of bag-info.txt.
    `progress(done, total)` is called after each evidence file. Call it outside a transaction.
    """
    directory = Path(directory)
    if not subject or not actor:
        raise InvalidInput("field_required", _("An archive needs a subject and an actor."), field="subject")
    if not isinstance(summary, dict):
        raise InvalidInput("invalid_summary", _("The summary must be a JSON object."), field="summary")
    try:
        json.dumps(summary, allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidInput("invalid_summary", _("The summary must be a JSON object."), field="summary") from None
    created = _prepare_directory(directory)
    try:
        result = _build(subject=subject, root=directory, summary=summary, actor=actor, progress=progress)
    except BaseException:
        _remove_partial(directory, created)
        raise
    return result


def _build(*, subject: str, root: Path, summary: dict, actor: str,
           progress: Callable[[int, int], None] | None) -> ArchiveResult:
    with transaction.atomic():
        head = logs.sign_head(LEDGER_LOG)  # holds the ledger head's lock until this block ends
        evidence = list(Evidence.objects.filter(subject=subject).select_related("blob")
                        .prefetch_related("annotations").order_by("number"))
        entries = list(LedgerEntry.objects.filter(subject=subject, seq__lt=head.tree_size)
                       .order_by("seq").values_list("seq", "entry_hash", "body"))

    writer = _Writer(root)
    store = blobs.blob_store()
    items, warnings = [], []
    for done, item in enumerate(evidence, start=1):
        rel = _evidence_path(item)
        _copy_evidence(writer, store, item, rel)
        items.append(_item(item, rel))
        if item.blob.content_type not in ALLOWED_FORMATS:
            warnings.append(f"evidence {item.number}: format {item.blob.content_type} is not on the "
                            "archival format list (RULES.md R8.9)")
        if progress:
            progress(done, len(evidence))

    lines = []
    for seq, entry_hash, body in entries:
        proof = logs.inclusion_proof(LEDGER_LOG, seq, head.tree_size)
        lines.append(json.dumps({"seq": seq, "entry_hash": entry_hash, "body": body,
                                 "proof": [p.hex() for p in proof]}, ensure_ascii=False) + "\n")
    writer.write_bytes("data/ledger.jsonl", "".join(lines).encode())

    raw_key = base64.b64decode(head.public_key)
    tree_head = {"log": LEDGER_LOG, "tree_size": head.tree_size, "root_hash": head.root_hash,
                 "timestamp": head.timestamp, "signature": head.signature, "algorithm": "ed25519",
                 "public_key": head.public_key, "key_id": keys.key_id(raw_key),
                 "signed_message": "{tree_size}\\n{root_hash}\\n{timestamp}\\n"}
    writer.write_bytes("data/tree-head.json", json.dumps(tree_head, indent=2).encode() + b"\n")
    writer.write_bytes("data/public-key.pem", keys.public_key_pem().encode())

    now = timezone.now()
    metadata = {
        "format": PACKAGE_FORMAT,
        "subject": subject,
        "summary": summary,
        "created_at": now.isoformat(),
        "created_by": actor,
        "environment": {"software": f"sanxiang {__version__}", "bagit_version": "1.0",
                        "algorithms": list(ALGORITHMS), "signature": "ed25519",
                        "merkle_tree": "RFC 6962 (SHA-256)"},
        "ledger": {"file": "data/ledger.jsonl", "entries": len(entries), "tree_size": head.tree_size,
                   "root_hash": head.root_hash,
                   "first_seq": entries[0][0] if entries else None,
                   "last_seq": entries[-1][0] if entries else None},
        "items": items,
        "counts": {"items": len(items), "evidence_files": len(items), "ledger_entries": len(entries),
                   "annotations": sum(len(i["annotations"]) for i in items)},
    }
    writer.write_bytes("data/metadata.json",
                       json.dumps(metadata, ensure_ascii=False, indent=2).encode() + b"\n")

    total_bytes = sum(writer.sizes.values())
    tag = _Writer(root)
    tag.write_bytes("bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    title = summary.get("title") or summary.get("case_number") or subject
    info = [
        ("Source-Organization", summary.get("organization") or DEFAULT_ORGANIZATION),
        ("External-Identifier", subject),
        ("External-Description", f"执法全过程记录电子档案 Enforcement record archive: {title}"),
        ("Internal-Sender-Identifier", subject),
        ("Bagging-Date", timezone.localdate(now).isoformat()),
        ("Bag-Software-Agent", f"sanxiang {__version__} ({PACKAGE_FORMAT})"),
        ("Payload-Oxum", f"{total_bytes}.{len(writer.sizes)}"),
        ("Bag-Size", _bag_size(total_bytes)),
        ("Ledger-Tree-Size", str(head.tree_size)),
        ("Ledger-Root-Hash", head.root_hash),
        ("Ledger-Key-Id", tree_head["key_id"]),
    ]
    tag.write_bytes("bag-info.txt", "".join(f"{k}: {_one_line(v)}\n" for k, v in info).encode())
    for alg in ALGORITHMS:
        tag.write_bytes(f"manifest-{alg}.txt", _manifest_text(writer.digests, alg))
    tag_digests = dict(tag.digests)
    for alg in ALGORITHMS:
        tag.write_bytes(f"tagmanifest-{alg}.txt", _manifest_text(tag_digests, alg))
    fingerprint = tag.digests["tagmanifest-sha256.txt"]["sha256"]
    blobs.fsync_dir(root)

    with transaction.atomic():
        entry = ledger_append(subject=subject, action="archive.exported", actor=actor, payload={
            "directory": str(root.resolve()), "format": PACKAGE_FORMAT, "items": len(items),
            "ledger_entries": len(entries), "tree_size": head.tree_size, "root_hash": head.root_hash,
            "payload_oxum": f"{total_bytes}.{len(writer.sizes)}",
            "metadata_sha256": writer.digests["data/metadata.json"]["sha256"],
            "tagmanifest_sha256": fingerprint,
        })
    return ArchiveResult(directory=root, subject=subject, items=len(items), ledger_entries=len(entries),
                         files=len(writer.sizes), bytes=total_bytes, tree_size=head.tree_size,
                         root_hash=head.root_hash, tagmanifest_sha256=fingerprint,
                         exported_seq=entry.seq, warnings=tuple(warnings))


# ============================================================================ check

@dataclass
class Check:
    """One check of one property: `ok` unless a problem was found; `checked` counts what it saw."""

    code: str
    prop: str
    title: str
    ok: bool = True
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    omitted: int = 0

    def fail(self, problem: str) -> None:
        self.ok = False
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.omitted += 1

    def as_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "ok": self.ok, "checked": self.checked,
                "problems": self.problems, "omitted_problems": self.omitted}


@dataclass
class CheckReport:
    """The four-properties report (四性检测报告) of a package, grouped by property."""

    directory: str
    subject: str | None = None
    key_id: str | None = None
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def check(self, code: str) -> Check:
        return next(c for c in self.checks if c.code == code)

    def property_ok(self, prop: str) -> bool:
        return all(c.ok for c in self.checks if c.prop == prop)

    def by_property(self) -> dict[str, list[Check]]:
        return {key: [c for c in self.checks if c.prop == key] for key, _zh, _en in PROPERTIES}

    def as_dict(self) -> dict:
        return {
            "ok": self.ok, "directory": self.directory, "subject": self.subject, "key_id": self.key_id,
            "properties": {
                key: {"name": zh, "label": en, "ok": self.property_ok(key),
                      "checks": [c.as_dict() for c in self.checks if c.prop == key]}
                for key, zh, en in PROPERTIES
            },
        }


@dataclass
class _File:
    size: int
    mode: int
    digests: dict[str, str] = field(default_factory=dict)
    head: bytes = b""
    error: str | None = None


def _decode_path(text: str) -> str:
    return re.sub(r"%(0[AaDd]|25)", lambda m: {"0a": "\n", "0d": "\r", "25": "%"}[m.group(1).lower()], text)


def _unsafe_path(path: str) -> str | None:
    """Why a manifest path could point outside the package (None when safe)."""
    if not path:
        return "empty path"
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        return "absolute path"
    if "\\" in path:
        return "backslash in path"
    if path.startswith("~"):
        return "home-relative path"
    if any(ord(ch) < 32 for ch in path):
        return "control character in path"
    parts = path.split("/")
    if ".." in parts:
        return "'..' in path"
    if any(p in ("", ".") for p in parts):
        return "empty or '.' path component"
    return None


class _Checker:
    def __init__(self, root: Path, trusted_public_key: bytes | None,
                 progress: Callable[[int, int], None] | None) -> None:
        self.root = root
        self.trusted = trusted_public_key
        self.progress = progress
        self.report = CheckReport(directory=str(root))
        self.files: dict[str, _File] = {}
        self.links: list[str] = []
        self.specials: list[str] = []
        self.dirs: list[str] = []
        self.walk_errors: list[str] = []
        self.manifests: dict[str, dict[str, str] | None] = {}
        self.manifest_problems: dict[str, list[str]] = {}
        self.raw_manifest_paths: dict[str, list[str]] = {}
        self.metadata: dict | None = None
        self.metadata_error: str | None = None
        self.entries: list[dict] | None = None
        self.entry_problems: list[str] = []
        self.tree_head: dict | None = None
        self.tree_head_error: str | None = None
        self.public_raw: bytes | None = None
        self.public_key_error: str | None = None

    # --- helpers ----------------------------------------------------------------------------
    def new(self, prop: str, code: str, zh: str, en: str) -> Check:
        check = Check(code=code, prop=prop, title=f"{zh} {en}")
        self.report.checks.append(check)
        return check

    def _inventory(self) -> None:
        stack = [""]
        while stack:
            rel = stack.pop()
            try:
                with os.scandir(self.root / rel if rel else self.root) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                self.walk_errors.append(f"{rel or '.'}: cannot list ({exc.strerror or exc})")
                continue
            for entry in entries:
                path = f"{rel}/{entry.name}" if rel else entry.name
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:
                    self.walk_errors.append(f"{path}: {exc.strerror or exc}")
                    continue
                if stat.S_ISLNK(st.st_mode):
                    self.links.append(path)
                elif stat.S_ISDIR(st.st_mode):
                    self.dirs.append(path)
                    stack.append(path)
                elif stat.S_ISREG(st.st_mode):
                    self.files[path] = _File(size=st.st_size, mode=st.st_mode)
                else:
                    self.specials.append(path)

    def _open(self, rel: str):
        """A regular file of the package, opened without following links (None if it is not one)."""
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(self.root / rel, flags)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        return os.fdopen(fd, "rb")

    def _hash_all(self) -> None:
        total = len(self.files)
        for done, (rel, info) in enumerate(sorted(self.files.items()), start=1):
            self._hash(rel, info)
            if self.progress:
                self.progress(done, total)

    def _hash(self, rel: str, info: _File) -> None:
        """Both digests, the size and the first bytes of a file, in one read."""
        hashers = _digesters()
        head = bytearray()
        size = 0
        try:
            fh = self._open(rel)
            if fh is None:
                info.error = "not a regular file"
                return
            with fh:
                while chunk := fh.read(CHUNK):
                    size += len(chunk)
                    for h in hashers.values():
                        h.update(chunk)
                    if len(head) < HEAD_BYTES:
                        head += chunk[:HEAD_BYTES - len(head)]
        except OSError as exc:
            info.error = f"unreadable ({exc.strerror or exc})"
            return
        info.size = size
        info.head = bytes(head)
        info.digests = {alg: h.hexdigest() for alg, h in hashers.items()}

    def _read_text(self, rel: str) -> str:
        info = self.files.get(rel)
        if info is None:
            raise FileNotFoundError(rel)
        if info.size > MAX_JSON_BYTES:
            raise ValueError(f"larger than {MAX_JSON_BYTES} bytes")
        fh = self._open(rel)
        if fh is None:
            raise ValueError("not a regular file")
        with fh:
            return fh.read(MAX_JSON_BYTES + 1).decode("utf-8")

    def _load(self) -> None:
        for name in (*(f"manifest-{a}.txt" for a in ALGORITHMS), *TAG_MANIFESTS):
            self._load_manifest(name)
        try:
            data = json.loads(self._read_text("data/metadata.json"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            self.metadata = data
            subject = data.get("subject")
            self.report.subject = subject if isinstance(subject, str) else None
        except FileNotFoundError:
            self.metadata_error = "data/metadata.json is missing"
        except (ValueError, OSError) as exc:
            self.metadata_error = f"data/metadata.json is not readable JSON: {exc}"
        self._load_ledger()
        try:
            data = json.loads(self._read_text("data/tree-head.json"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            for name, kind in (("tree_size", int), ("root_hash", str), ("timestamp", int), ("signature", str)):
                if not isinstance(data.get(name), kind) or isinstance(data.get(name), bool):
                    raise ValueError(f"field {name} missing or of the wrong type")
            if not _HEX64.match(data["root_hash"]):
                raise ValueError("root_hash is not 64 hex digits")
            self.tree_head = data
        except FileNotFoundError:
            self.tree_head_error = "data/tree-head.json is missing"
        except (ValueError, OSError) as exc:
            self.tree_head_error = f"data/tree-head.json is not readable: {exc}"
        try:
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

            key = serialization.load_pem_public_key(self._read_text("data/public-key.pem").encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("not an Ed25519 public key")
            self.public_raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            self.report.key_id = keys.key_id(self.public_raw)
        except FileNotFoundError:
            self.public_key_error = "data/public-key.pem is missing"
        except (ValueError, TypeError, OSError) as exc:
            self.public_key_error = f"data/public-key.pem is not a readable Ed25519 key: {exc}"

    def _load_manifest(self, name: str) -> None:
        problems: list[str] = []
        self.manifest_problems[name] = problems
        self.raw_manifest_paths[name] = []
        try:
            text = self._read_text(name)
        except FileNotFoundError:
            self.manifests[name] = None
            return
        except (ValueError, OSError) as exc:
            self.manifests[name] = None
            problems.append(f"{name}: not readable ({exc})")
            return
        entries: dict[str, str] = {}
        if text and not text.endswith("\n"):
            problems.append(f"{name}: the last line does not end with a line feed")
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for number, line in enumerate(lines, start=1):
            line = line.removesuffix("\r")  # CRLF is allowed (RFC 8493 §2.1.3)
            match = re.match(r"^([0-9A-Fa-f]+)[ \t]+(.+)$", line)
            if match is None:
                problems.append(f"{name} line {number}: not 'digest path'")
                continue
            digest, path = match.group(1).lower(), _decode_path(match.group(2))
            self.raw_manifest_paths[name].append(path)
            if not _HEX64.match(digest):
                problems.append(f"{name} line {number}: digest is not 64 hex digits")
            if path in entries:
                problems.append(f"{name}: {path} listed twice")
            entries[path] = digest
        self.manifests[name] = entries

    def _load_ledger(self) -> None:
        try:
            text = self._read_text("data/ledger.jsonl")
        except FileNotFoundError:
            self.entry_problems.append("data/ledger.jsonl is missing")
            return
        except (ValueError, OSError) as exc:
            self.entry_problems.append(f"data/ledger.jsonl is not readable: {exc}")
            return
        entries = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                self.entry_problems.append(f"ledger.jsonl line {number}: not JSON ({exc})")
                continue
            if not (isinstance(row, dict) and isinstance(row.get("seq"), int) and not isinstance(row["seq"], bool)
                    and isinstance(row.get("body"), str) and isinstance(row.get("entry_hash"), str)
                    and _HEX64.match(row["entry_hash"]) and isinstance(row.get("proof"), list)
                    and all(isinstance(p, str) and _HEX64.match(p) for p in row["proof"])):
                self.entry_problems.append(
                    f"ledger.jsonl line {number}: needs seq, entry_hash (hex), body (text), proof (hex list)")
                continue
            try:
                row["fields"] = json.loads(row["body"])
            except ValueError:
                row["fields"] = None
            entries.append(row)
        self.entries = entries

    def payload_paths(self) -> set[str]:
        return {p for p in (*self.files, *self.links, *self.specials) if p.startswith("data/")}

    def items(self) -> list[dict]:
        items = (self.metadata or {}).get("items")
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []

    # --- run --------------------------------------------------------------------------------
    def run(self) -> CheckReport:
        root_stat = None
        with contextlib.suppress(OSError):
            root_stat = self.root.lstat()
        if root_stat is None or not stat.S_ISDIR(root_stat.st_mode):
            check = self.new("integrity", "package_directory", "归档包目录", "package directory")
            check.fail(f"{self.root}: not a directory" if root_stat else f"{self.root}: does not exist")
            return self.report
        self._inventory()
        self._hash_all()
        self._load()
        self.authenticity()
        self.integrity()
        self.usability()
        self.security()
        return self.report

    # --- 真实性 ---------------------------------------------------------------------------------
    def authenticity(self) -> None:
        for alg in ALGORITHMS:
            self._fixity(f"manifest-{alg}.txt", alg, "payload_fixity", "载荷文件哈希", "payload fixity")
        for alg in ALGORITHMS:
            self._fixity(f"tagmanifest-{alg}.txt", alg, "tag_fixity", "标签文件哈希", "tag file fixity")
        self._metadata_content()
        self._ledger_hashes()
        self._ledger_chain()
        self._inclusion()
        self._signature()
        self._evidence_ledger_link()

    def _fixity(self, manifest: str, alg: str, code: str, zh: str, en: str) -> None:
        label = _ALG_NAMES[alg]
        check = self.new("authenticity", f"{code}_{alg}", f"{zh} {label}", f"{en} ({label})")
        entries = self.manifests.get(manifest)
        if entries is None:
            check.fail(f"{manifest} is missing or unreadable")
            return
        for path, digest in sorted(entries.items()):
            info = self.files.get(path)
            if info is None or info.error or _unsafe_path(path):
                continue  # missing, unreadable or unsafe: reported under integrity / security
            check.checked += 1
            if info.digests.get(alg) != digest:
                check.fail(f"{path}: {label} {info.digests.get(alg)} ≠ listed {digest} (changed)")

    def _metadata_content(self) -> None:
        check = self.new("authenticity", "metadata_content", "元数据与内容一致",
                         "metadata matches content (digests, size)")
        if self.metadata is None:
            check.fail(self.metadata_error or "no metadata")
            return
        for item in self.items():
            path = item.get("path")
            info = self.files.get(path) if isinstance(path, str) else None
            if info is None or info.error:
                continue  # reported under integrity
            check.checked += 1
            label = f"evidence {item.get('number')} ({path})"
            for alg in ALGORITHMS:
                if item.get(alg) != info.digests.get(alg):
                    check.fail(f"{label}: {_ALG_NAMES[alg]} in metadata ≠ file content")
            if item.get("size") != info.size:
                check.fail(f"{label}: size {item.get('size')} in metadata ≠ file size {info.size}")

    def _ledger_hashes(self) -> None:
        check = self.new("authenticity", "ledger_entry_hashes", "台账条目哈希",
                         "ledger entries: hash = SHA-256(body)")
        if self.entries is None:
            for problem in self.entry_problems or ["data/ledger.jsonl unreadable"]:
                check.fail(problem)
            return
        subject = self.report.subject
        for row in self.entries:
            check.checked += 1
            seq = row["seq"]
            if hashlib.sha256(row["body"].encode()).hexdigest() != row["entry_hash"]:
                check.fail(f"entry {seq}: SHA-256 of the body ≠ entry_hash (body changed)")
            fields = row["fields"]
            if not isinstance(fields, dict):
                check.fail(f"entry {seq}: body is not a JSON object")
                continue
            if fields.get("seq") != seq:
                check.fail(f"entry {seq}: body says seq {fields.get('seq')}")
            if subject is not None and fields.get("subject") != subject:
                check.fail(f"entry {seq}: subject {fields.get('subject')!r} ≠ package subject {subject!r}")

    def _ledger_chain(self) -> None:
        check = self.new("authenticity", "ledger_chain", "台账链接", "ledger chain links (consecutive entries)")
        if self.entries is None:
            check.fail("data/ledger.jsonl unreadable")
            return
        previous = None
        for row in self.entries:
            if previous is not None:
                if row["seq"] <= previous["seq"]:
                    check.fail(f"entry {row['seq']} follows entry {previous['seq']}: out of order")
                elif row["seq"] == previous["seq"] + 1:
                    check.checked += 1
                    prev = row["fields"].get("prev") if isinstance(row["fields"], dict) else None
                    if prev != previous["entry_hash"]:
                        check.fail(f"entry {row['seq']}: prev ≠ hash of entry {previous['seq']}")
            previous = row

    def _inclusion(self) -> None:
        check = self.new("authenticity", "ledger_inclusion", "台账包含证明",
                         "inclusion proofs against the signed tree head (RFC 6962)")
        if self.entries is None or self.tree_head is None:
            check.fail(self.tree_head_error or "data/ledger.jsonl unreadable")
            return
        size, root = self.tree_head["tree_size"], bytes.fromhex(self.tree_head["root_hash"])
        for row in self.entries:
            check.checked += 1
            try:
                merkle.verify_inclusion(logs.HASHER.leaf(bytes.fromhex(row["entry_hash"])), row["seq"], size,
                                        [bytes.fromhex(p) for p in row["proof"]], root)
            except merkle.ProofError as exc:
                check.fail(f"entry {row['seq']}: {exc.code}: {exc.message}")

    def _signature(self) -> None:
        check = self.new("authenticity", "tree_head_signature", "树头签名",
                         "Ed25519 signature of the tree head (packaged public key)")
        if self.tree_head is None or self.public_raw is None:
            check.fail(self.tree_head_error or self.public_key_error or "no tree head")
            return
        head = self.tree_head
        check.checked = 1
        if head.get("algorithm", "ed25519") != "ed25519":
            check.fail(f"unsupported signature algorithm {head.get('algorithm')!r}")
        listed = head.get("public_key")
        if listed is not None:
            try:
                if base64.b64decode(listed, validate=True) != self.public_raw:
                    check.fail("tree-head.json names another public key than public-key.pem")
            except (binascii.Error, ValueError, TypeError):
                check.fail("tree-head.json public_key is not base64")
        if self.trusted is not None and self.trusted != self.public_raw:
            check.fail(f"public-key.pem (key id {keys.key_id(self.public_raw)}) is not the trusted key "
                       f"(key id {keys.key_id(self.trusted)})")
        message = keys.head_message(head["tree_size"], head["root_hash"], head["timestamp"])
        if not keys.verify(message, head["signature"], self.public_raw):
            check.fail("the signature does not verify with public-key.pem")

    def _evidence_ledger_link(self) -> None:
        check = self.new("authenticity", "evidence_ledger_link", "证据与台账一致",
                         "items and annotations match their ledger entries")
        if self.metadata is None or self.entries is None:
            check.fail(self.metadata_error or "data/ledger.jsonl unreadable")
            return
        registered: dict[object, dict] = {}
        annotated: dict[object, list[str]] = {}
        for row in self.entries:
            fields = row["fields"] if isinstance(row["fields"], dict) else {}
            payload = fields.get("payload") if isinstance(fields.get("payload"), dict) else {}
            if fields.get("action") == "evidence.registered":
                registered.setdefault(payload.get("number"), payload)
            elif fields.get("action") == "evidence.annotated":
                annotated.setdefault(payload.get("number"), []).append(payload.get("text_sha256"))
        for item in self.items():
            number = item.get("number")
            check.checked += 1
            payload = registered.get(number)
            if payload is None:
                check.fail(f"evidence {number}: no evidence.registered entry in the ledger slice")
                continue
            for name in ("sha256", "sm3", "size", "kind", "content_type"):
                if name in payload and payload[name] != item.get(name):
                    check.fail(f"evidence {number}: {name} {item.get(name)!r} ≠ registered {payload[name]!r}")
            if "metadata_sha256" in payload:
                try:
                    described = canonical_sha256({k: item.get(k) for k in ("description", "speakers", "device",
                                                                              "filename")})
                except (TypeError, ValueError):
                    described = None
                if described != payload["metadata_sha256"]:
                    check.fail(f"evidence {number}: description, speakers, device or file name differ from "
                               "those registered")
            for name in ("recorded_at", "recorded_until"):
                if name in payload and not _same_moment(payload[name], item.get(name)):
                    check.fail(f"evidence {number}: {name} {item.get(name)!r} ≠ registered {payload[name]!r}")
            notes = item.get("annotations") if isinstance(item.get("annotations"), list) else []
            texts = sorted(hashlib.sha256(str(n.get("text", "")).encode()).hexdigest()
                           for n in notes if isinstance(n, dict))
            if texts != sorted(str(t) for t in annotated.get(number, [])):
                check.fail(f"evidence {number}: annotations differ from the evidence.annotated entries")

    # --- 完整性 ---------------------------------------------------------------------------------
    def integrity(self) -> None:
        self._bagit_structure()
        self._required_files()
        self._payload_manifests()
        self._tag_manifests()
        self._required_metadata()
        self._counts()
        self._numbering()
        self._items_have_files()

    def _bagit_structure(self) -> None:
        check = self.new("integrity", "bagit_structure", "BagIt 结构", "BagIt structure (RFC 8493, bagit)")
        check.checked = 1
        quiet = logging.Filter("nothing")  # the report says it; no duplicate warnings on stderr
        bag_logger = logging.getLogger("bagit")
        bag_logger.addFilter(quiet)
        try:
            bag = bagit.Bag(str(self.root))
            if bag.version_info != (1, 0):
                check.fail(f"BagIt-Version {bag.tags.get('BagIt-Version')}, expected 1.0")
            bag.validate(completeness_only=True)
        except bagit.BagValidationError as exc:
            check.fail(f"bagit: {exc.message}")
            for detail in exc.details or []:
                check.fail(f"bagit: {detail}")
        except Exception as exc:  # bagit raises plain OSErrors on dangling links and the like
            check.fail(f"bagit: {exc}")
        finally:
            bag_logger.removeFilter(quiet)

    def _required_files(self) -> None:
        check = self.new("integrity", "required_files", "必备文件", "required files present")
        for rel in (*TAG_FILES, *TAG_MANIFESTS, *PAYLOAD_FILES):
            check.checked += 1
            if rel not in self.files:
                check.fail(f"{rel} is missing")
        for problem in self.walk_errors:
            check.fail(problem)

    def _payload_manifests(self) -> None:
        check = self.new("integrity", "payload_manifests_complete", "载荷清单完整",
                         "every payload file in both manifests, no extra or missing file")
        present = self.payload_paths()
        for alg in ALGORITHMS:
            name = f"manifest-{alg}.txt"
            for problem in self.manifest_problems.get(name, []):
                check.fail(problem)
            entries = self.manifests.get(name)
            if entries is None:
                check.fail(f"{name} is missing")
                continue
            listed = {p for p in entries if p.startswith("data/")}
            for path in sorted(set(entries) - listed):
                check.fail(f"{name}: {path} is not under data/")
            for path in sorted(present - listed):
                check.fail(f"{path}: not listed in {name} (added)")
            for path in sorted(listed - present):
                check.fail(f"{path}: listed in {name} but missing (removed)")
        check.checked = len(present)

    def _tag_manifests(self) -> None:
        check = self.new("integrity", "tag_manifests_complete", "标签清单完整",
                         "every tag file in both tag manifests, nothing else beside data/")
        top_files = {p for p in (*self.files, *self.links, *self.specials) if not p.startswith("data/")}
        for path in sorted(d for d in self.dirs if "/" not in d and d != "data"):
            check.fail(f"{path}/: unexpected directory beside data/")
        expected = {p for p in top_files if not p.startswith("tagmanifest-")}
        for path in sorted(p for p in top_files if "/" in p):
            check.fail(f"{path}: unexpected file outside data/")
        for path in sorted(p for p in top_files if p.startswith("tagmanifest-") and p not in TAG_MANIFESTS):
            check.fail(f"{path}: unexpected tag manifest")
        for name in TAG_MANIFESTS:
            for problem in self.manifest_problems.get(name, []):
                check.fail(problem)
            entries = self.manifests.get(name)
            if entries is None:
                check.fail(f"{name} is missing")
                continue
            for path in sorted(expected - set(entries)):
                check.fail(f"{path}: not listed in {name} (added)")
            for path in sorted(set(entries) - top_files):
                check.fail(f"{path}: listed in {name} but missing")
        check.checked = len(top_files)

    def _required_metadata(self) -> None:
        check = self.new("integrity", "required_metadata", "必备元数据", "required metadata present")
        if self.metadata is None:
            check.fail(self.metadata_error or "no metadata")
            return
        for name, kind in (("format", str), ("subject", str), ("summary", dict), ("created_at", str),
                           ("items", list), ("counts", dict), ("environment", dict), ("ledger", dict)):
            check.checked += 1
            if not isinstance(self.metadata.get(name), kind):
                check.fail(f"metadata.{name} missing or not a {kind.__name__}")
        if isinstance(self.metadata.get("format"), str) and self.metadata["format"] != PACKAGE_FORMAT:
            check.fail(f"metadata.format {self.metadata['format']!r}, expected {PACKAGE_FORMAT!r}")
        item_fields = (("number", int), ("kind", str), ("description", str), ("speakers", list), ("device", str),
                       ("recorded_at", str), ("path", str), ("sha256", str), ("sm3", str), ("size", int),
                       ("content_type", str), ("annotations", list))
        raw_items = self.metadata.get("items") if isinstance(self.metadata.get("items"), list) else []
        for index, item in enumerate(raw_items):
            if not isinstance(item, dict):
                check.fail(f"items[{index}] is not an object")
                continue
            for name, kind in item_fields:
                check.checked += 1
                value = item.get(name)
                if not isinstance(value, kind) or isinstance(value, bool):
                    check.fail(f"items[{index}] (evidence {item.get('number')}): {name} missing or not "
                               f"a {kind.__name__}")
            if item.get("recorded_until") is not None and not isinstance(item.get("recorded_until"), str):
                check.fail(f"items[{index}]: recorded_until is not a date and time")
            if isinstance(item.get("description"), str) and not item["description"].strip():
                check.fail(f"items[{index}] (evidence {item.get('number')}): empty content note (摄录内容)")

    def _counts(self) -> None:
        check = self.new("integrity", "counts_match", "数量一致", "counts in metadata match files and entries")
        counts = (self.metadata or {}).get("counts")
        if not isinstance(counts, dict):
            check.fail(self.metadata_error or "metadata.counts missing")
            return
        items = self.items()
        evidence_files = [p for p in self.payload_paths() if p.startswith("data/evidence/")]
        actual = {"items": len(items), "evidence_files": len(evidence_files),
                  "ledger_entries": len(self.entries) if self.entries is not None else None,
                  "annotations": sum(len(i["annotations"]) for i in items if isinstance(i.get("annotations"), list))}
        for name, value in actual.items():
            check.checked += 1
            if counts.get(name) != value:
                check.fail(f"counts.{name} = {counts.get(name)!r}, found {value!r}")
        if len(items) != len(evidence_files):
            check.fail(f"{len(items)} items but {len(evidence_files)} files under data/evidence/")
        ledger = (self.metadata or {}).get("ledger")
        if isinstance(ledger, dict) and self.tree_head is not None:
            for name in ("tree_size", "root_hash"):
                if ledger.get(name) != self.tree_head.get(name):
                    check.fail(f"metadata.ledger.{name} ≠ tree-head.json {name}")

    def _numbering(self) -> None:
        check = self.new("integrity", "numbering", "编号连续", "evidence numbers 1…n without gaps")
        if self.metadata is None:
            check.fail(self.metadata_error or "no metadata")
            return
        numbers = [i.get("number") for i in self.items()]
        check.checked = len(numbers)
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
            check.fail("an item has no integer number")
            return
        seen = set()
        for n in numbers:
            if n in seen:
                check.fail(f"number {n} is used twice")
            seen.add(n)
        missing = sorted(set(range(1, len(numbers) + 1)) - seen)
        if missing:
            check.fail(f"numbers missing from 1…{len(numbers)}: {', '.join(map(str, missing[:20]))}")
        beyond = sorted(n for n in seen if not 1 <= n <= len(numbers))
        if beyond:
            check.fail(f"numbers out of 1…{len(numbers)}: {', '.join(map(str, beyond[:20]))}")

    def _items_have_files(self) -> None:
        check = self.new("integrity", "items_have_files", "每件有内容文件", "each item has its content file")
        if self.metadata is None:
            check.fail(self.metadata_error or "no metadata")
            return
        claimed: dict[str, object] = {}
        for item in self.items():
            check.checked += 1
            path = item.get("path")
            if not isinstance(path, str) or not path.startswith("data/evidence/") or _unsafe_path(path):
                check.fail(f"evidence {item.get('number')}: path {path!r} is not under data/evidence/")
                continue
            if path in claimed:
                check.fail(f"evidence {item.get('number')}: file {path} also belongs to evidence {claimed[path]}")
            claimed[path] = item.get("number")
            if path not in self.files:
                check.fail(f"evidence {item.get('number')}: file {path} is missing")
        for path in sorted(p for p in self.payload_paths() if p.startswith("data/evidence/")):
            if path not in claimed:
                check.fail(f"{path}: belongs to no item in metadata.json")

    # --- 可用性 ---------------------------------------------------------------------------------
    def usability(self) -> None:
        check = self.new("usability", "tag_files_readable", "标签文件可读", "bagit.txt and bag-info.txt readable")
        for rel, required in (("bagit.txt", ("BagIt-Version", "Tag-File-Character-Encoding")),
                              ("bag-info.txt", ("Source-Organization", "External-Identifier", "Payload-Oxum"))):
            check.checked += 1
            try:
                labels = _tag_labels(self._read_text(rel))
            except FileNotFoundError:
                check.fail(f"{rel} is missing")
                continue
            except (ValueError, OSError) as exc:
                check.fail(f"{rel}: not readable UTF-8 ({exc})")
                continue
            for label in required:
                if label.lower() not in labels:
                    check.fail(f"{rel}: {label} missing")
            if rel == "bag-info.txt" and self.report.subject is not None and \
                    labels.get("external-identifier") != self.report.subject:
                check.fail(f"bag-info.txt External-Identifier ≠ metadata subject {self.report.subject!r}")

        check = self.new("usability", "metadata_readable", "元数据可读", "metadata.json readable")
        check.checked = 1
        if self.metadata is None:
            check.fail(self.metadata_error or "no metadata")

        check = self.new("usability", "ledger_readable", "台账可读", "ledger.jsonl readable")
        check.checked = len(self.entries or [])
        for problem in self.entry_problems:
            check.fail(problem)
        for row in self.entries or []:
            if not isinstance(row["fields"], dict):
                check.fail(f"entry {row['seq']}: body is not a JSON object")

        check = self.new("usability", "signature_files_readable", "签名文件可读",
                         "tree-head.json and public-key.pem readable")
        check.checked = 2
        for error in (self.tree_head_error, self.public_key_error):
            if error:
                check.fail(error)

        self._formats()

    def _formats(self) -> None:
        match = self.new("usability", "formats_match", "格式与声明一致",
                         "each evidence file opens as its declared format (magic bytes)")
        allowed = self.new("usability", "formats_allowed", "格式在归档格式清单内",
                           "formats on the archival list (RULES.md R8.9)")
        if self.metadata is None:
            match.fail(self.metadata_error or "no metadata")
            allowed.fail(self.metadata_error or "no metadata")
            return
        for item in self.items():
            declared, path = item.get("content_type"), item.get("path")
            label = f"evidence {item.get('number')} ({path})"
            allowed.checked += 1
            if declared not in ALLOWED_FORMATS:
                allowed.fail(f"{label}: {declared!r} is not an archival format; convert before archiving")
            info = self.files.get(path) if isinstance(path, str) else None
            if info is None:
                continue  # reported under integrity
            match.checked += 1
            if info.error:
                match.fail(f"{label}: {info.error}")
                continue
            found = sniff(info.head, self.root / path)
            if found not in _SNIFFS_AS.get(declared, {declared}):
                match.fail(f"{label}: declared {declared}, content is {found}")
            elif found == "text/plain" and declared == "application/json" and info.size <= MAX_JSON_BYTES:
                try:
                    json.loads(self._read_text(path))
                except (ValueError, OSError) as exc:
                    match.fail(f"{label}: declared JSON, does not parse ({exc})")

    # --- 安全性 ---------------------------------------------------------------------------------
    def security(self) -> None:
        check = self.new("security", "no_links", "无链接和特殊文件", "no symbolic links or special files")
        check.checked = len(self.files) + len(self.links) + len(self.specials) + len(self.dirs)
        for path in self.links:
            try:
                target = os.readlink(self.root / path)
            except OSError:
                target = "?"
            check.fail(f"{path}: symbolic link (→ {target})")
        for path in self.specials:
            check.fail(f"{path}: special file (device, pipe or socket)")

        check = self.new("security", "manifest_paths_safe", "清单路径安全",
                         "no absolute or '..' paths in the manifests")
        for name, paths in sorted(self.raw_manifest_paths.items()):
            for path in paths:
                check.checked += 1
                why = _unsafe_path(path)
                if why:
                    check.fail(f"{name}: {path!r}: {why}")

        check = self.new("security", "inside_package", "无包外文件", "every listed file resolves inside the package")
        root = os.path.realpath(self.root)
        for name, paths in sorted(self.raw_manifest_paths.items()):
            for path in paths:
                check.checked += 1
                real = os.path.realpath(os.path.join(root, path))
                if os.path.commonpath([root, real]) != root:
                    check.fail(f"{name}: {path!r} resolves outside the package ({real})")

        check = self.new("security", "no_executable_bits", "无可执行权限", "no file with executable permission")
        for path, info in sorted(self.files.items()):
            check.checked += 1
            if info.mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH):
                check.fail(f"{path}: executable permission ({stat.filemode(info.mode)})")
            if info.mode & (stat.S_ISUID | stat.S_ISGID):
                check.fail(f"{path}: set-user/group-id bit ({stat.filemode(info.mode)})")

        check = self.new("security", "no_executable_content", "无可执行内容",
                         "no executable content (ELF, PE, Mach-O, #! scripts)")
        for path, info in sorted(self.files.items()):
            check.checked += 1
            for magic, what in _EXECUTABLE_MAGIC:
                if info.head.startswith(magic):
                    check.fail(f"{path}: {what}")
                    break


def _tag_labels(text: str) -> dict[str, str]:
    """Labels of a BagIt tag file (lower-cased) → first value; continuation lines folded."""
    labels: dict[str, str] = {}
    last = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line[0] in " \t" and last is not None:
            labels[last] = f"{labels[last]} {line.strip()}"
            continue
        label, sep, value = line.partition(":")
        if not sep or not label.strip():
            raise ValueError(f"line {number} is not 'Label: value'")
        last = label.strip().lower()
        labels.setdefault(last, value.strip())
    return labels


def _same_moment(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return dt.datetime.fromisoformat(str(a)) == dt.datetime.fromisoformat(str(b))
    except ValueError:
        return a == b


def archive_check(directory: Path | str, *, trusted_public_key: bytes | None = None,
                  progress: Callable[[int, int], None] | None = None) -> CheckReport:
    """The four-properties check (四性检测, DA/T 70-2018) of the package in `directory`.

    Pure over the directory: reads each file once, executes nothing, follows no link, uses
    no database. `trusted_public_key` (raw 32 bytes), when given, must be the packaged key;
    otherwise the report shows the packaged key's id for comparison with the published one.
    `progress(done, total)` is called after each file is hashed.
    """
    return _Checker(Path(directory), trusted_public_key, progress).run()


# ============================================================================ command hook

@dataclass(frozen=True)
class ArchiveSubcommand:
    """A further action of `sanxiang archive`, added by a higher app (the cases app adds
    `export CASE_NUMBER DIR`): `add_arguments(parser)` declares its arguments, `handle(command,
    options)` runs it and returns the exit code (0 or None for success)."""

    name: str
    help: str
    add_arguments: Callable[[Any], None]
    handle: Callable[[Any, dict], int | None]


_SUBCOMMANDS: dict[str, ArchiveSubcommand] = {}


def archive_subcommand_register(subcommand: ArchiveSubcommand) -> None:
    """Register an action of `sanxiang archive` (call it from the app's `AppConfig.ready`).

    `records` knows nothing about cases, so the case export lives in the cases app and plugs
    in here; `check` is built in and cannot be replaced."""
    if subcommand.name == "check":
        raise ValueError("`archive check` is built in")
    _SUBCOMMANDS[subcommand.name] = subcommand


def archive_subcommands() -> list[ArchiveSubcommand]:
    return [_SUBCOMMANDS[name] for name in sorted(_SUBCOMMANDS)]
