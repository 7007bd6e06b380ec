"""Shared set-up of the ledger benchmarks (not a benchmark itself).

* `BenchEnvironment`: a fresh temporary SANXIANG_HOME per run (`python -m sanxiang migrate`
  run in it first) and, when DATABASE_URL is set (e.g. by `scripts/with-postgres.sh`), a
  fresh PostgreSQL database created next to the one the URL names and dropped afterwards.
  Django is set up in-process with the production settings module `sanxiang.conf.base`
  (SANXIANG_DEBUG forced to 0, so no query logging).
* `EntryInputs`: a deterministic stream of realistic ledger inputs (subject, action, actor,
  payload shaped like the evidence-vault and case services' payloads, Chinese text included)
  with synthetic, increasing timestamps.
* `build_ledger`: a fast bulk path that writes exactly what `ledger_append` writes — the
  same canonical bodies (`canonical_json` of the same dict), the same hash chain, the same
  `MerkleNode` rows in the same id order (via `merkle.CompactRange`, the same append
  algorithm as `logs.append_leaf`), the same `LogHead` size/last_hash/frontier — with
  `executemany` (SQLite) or `COPY` (PostgreSQL) in batches (`seq`, `entry_hash`, `body`: the
  database computes the other columns from the body). The first `service_prefix`
  entries go through the real `ledger_append` with its clock pinned to the stream's
  timestamps, and the rows it wrote are compared with what the builder computes for the same
  inputs (entries, nodes with their ids, head frontier): a mismatch stops the run. Signed
  tree heads are issued every `sth_every` entries (builder's root, `keys.sign`) and at the
  end through the real `logs.sign_head`, which reads the builder's frontier, so a wrong
  frontier would make `verify_ledger()` fail.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------- environment


def add_environment_arguments(parser) -> None:
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary data directory (and PostgreSQL database) and print where")
    parser.add_argument("--home", metavar="DIR",
                        help="use DIR as SANXIANG_HOME instead of a fresh temporary one and keep it; an "
                             "existing ledger of the requested size there is reused (SQLite only; "
                             "not the default: the default is a fresh directory per run)")
    parser.add_argument("--seed", type=int, default=20240601, help="seed of the input stream and of sampling")


class BenchEnvironment:
    """Fresh SANXIANG_HOME (+ PostgreSQL database), migrated, Django set up."""

    def __init__(self, *, home: str | None = None, keep: bool = False) -> None:
        self.explicit_home = home
        self.keep = keep or home is not None
        self.home: Path | None = None
        self.pg_admin_url: str | None = None
        self.pg_dbname: str | None = None

    def __enter__(self) -> BenchEnvironment:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        if self.explicit_home:
            self.home = Path(self.explicit_home).expanduser().resolve()
            self.home.mkdir(parents=True, exist_ok=True)
        else:
            self.home = Path(tempfile.mkdtemp(prefix="sanxiang-bench-"))
        os.environ["SANXIANG_HOME"] = str(self.home)
        os.environ["SANXIANG_DEBUG"] = "0"
        os.environ["DJANGO_SETTINGS_MODULE"] = "sanxiang.conf.base"
        url = os.environ.get("DATABASE_URL", "")
        if url:
            if self.explicit_home:
                raise SystemExit("--home reuses SQLite data only; with DATABASE_URL every run gets a fresh database")
            self._create_pg_database(url)
        subprocess.run([sys.executable, "-m", "sanxiang", "migrate", "--verbosity", "0"],
                       check=True, env=os.environ.copy(), cwd=ROOT)
        import django

        django.setup()

    def _create_pg_database(self, url: str) -> None:
        import psycopg

        self.pg_admin_url = url
        self.pg_dbname = f"sanxiang_bench_{secrets.token_hex(4)}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.pg_dbname}"')
        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + self.pg_dbname))

    def close(self) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up after an early failure
            pass
        if self.keep:
            where = f"kept data directory: {self.home}"
            if self.pg_dbname:
                where += f"; kept PostgreSQL database: {os.environ['DATABASE_URL']}"
            print(where, file=sys.stderr)
            return
        if self.pg_dbname:
            import psycopg

            with psycopg.connect(self.pg_admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_dbname}" WITH (FORCE)')
        if self.home and not self.explicit_home:
            shutil.rmtree(self.home, ignore_errors=True)


def describe_database() -> str:
    """One line naming the database and the durability settings the numbers depend on."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(cursor.fetchone()[0], "?")
            import sqlite3

            return (f"SQLite {sqlite3.sqlite_version} file {connection.settings_dict['NAME']} "
                    f"(journal_mode={journal}, synchronous={sync})")
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting('server_version'), current_setting('fsync'), "
                           "current_setting('synchronous_commit'), current_setting('shared_buffers')")
            version, fsync, sync, buffers = cursor.fetchone()
            return (f"PostgreSQL {version} database {connection.settings_dict['NAME']} "
                    f"(fsync={fsync}, synchronous_commit={sync}, shared_buffers={buffers})")
    return connection.vendor


def machine() -> str:
    import platform

    return (f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
            f"{platform.machine()}")


def load() -> str:
    """The load average: other processes on the machine skew the numbers (the ratios less)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min) on {os.cpu_count()} CPUs"


# --------------------------------------------------------------------------- inputs

BASE_AT = dt.datetime(2025, 1, 6, 0, 30, tzinfo=dt.UTC)

_COMPANIES = ["某某环保科技有限公司", "浦东新区某化工厂", "某某印染有限公司", "某某汽车维修服务部",
              "某某电镀加工厂", "某某餐饮管理有限公司", "某某建材有限公司"]
_PURPOSES = ["法制审核调阅", "案件复核", "监督考核抽查", "行政复议答复", "承办人查阅"]
_FIELDS = ["当事人名称", "违法事实", "处罚依据", "自由裁量基准", "罚款金额", "承办人员"]
_KINDS = ["video", "audio", "photo", "document", "electronic_data"]
_TYPES = {"video": "video/mp4", "audio": "audio/mpeg", "photo": "image/jpeg",
          "document": "application/pdf", "electronic_data": "application/zip"}


class EntryInputs:
    """Deterministic stream of `(at, actor, subject, action, payload)` ledger inputs.

    Bodies come out at roughly 300-600 bytes of canonical JSON, like the services' entries.
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
        self.seq = 0

    def _hex(self) -> str:
        return "%064x" % self.rng.getrandbits(256)

    def next(self) -> tuple[dt.datetime, str, str, str, dict]:
        rng, seq = self.rng, self.seq
        self.seq += 1
        at = BASE_AT + dt.timedelta(seconds=seq * 37, microseconds=(seq * 7919) % 1_000_000)
        case = rng.randrange(1, 40_000)
        subject = f"case:{case}"
        actor = f"user:{rng.randrange(1, 600)}"
        pick = rng.random()
        number = rng.randrange(1, 60)
        if pick < 0.35:
            kind = rng.choice(_KINDS)
            recorded = at - dt.timedelta(minutes=rng.randrange(5, 600))
            action, payload = "evidence.registered", {
                "evidence_id": str(rng.randrange(1, 10**7)), "number": number, "kind": kind,
                "sha256": self._hex(), "sm3": self._hex(), "size": rng.randrange(10_000, 4 * 1024**3),
                "content_type": _TYPES[kind], "claimed_content_type": _TYPES[kind],
                "recorded_at": recorded.isoformat(),
                "recorded_until": (recorded + dt.timedelta(minutes=rng.randrange(1, 90))).isoformat()
                if kind in ("video", "audio") else None,
                "activity": f"activity:{rng.randrange(1, 90_000)}" if rng.random() < 0.7 else None,
                "metadata_sha256": self._hex(),
            }
        elif pick < 0.65:
            action, payload = "evidence.accessed", {
                "evidence_id": str(rng.randrange(1, 10**7)), "number": number, "sha256": self._hex(),
                "access_id": str(rng.randrange(1, 10**7)), "purpose": rng.choice(_PURPOSES),
            }
        elif pick < 0.8:
            action, payload = "evidence.annotated", {
                "evidence_id": str(rng.randrange(1, 10**7)), "number": number,
                "annotation_id": str(rng.randrange(1, 10**7)), "text_sha256": self._hex(),
            }
        else:
            action, payload = "case.updated", {
                "case": subject, "field": rng.choice(_FIELDS),
                "from": rng.choice(_COMPANIES), "to": rng.choice(_COMPANIES),
                "reason": "承办人更正笔误，经承办机构负责人同意", "version": rng.randrange(1, 30),
            }
        return at, actor, subject, action, payload

    def take(self, n: int) -> list[tuple[dt.datetime, str, str, str, dict]]:
        return [self.next() for _ in range(n)]


def make_entry(seq: int, at: dt.datetime, actor: str, subject: str, action: str, payload: dict,
               prev: str) -> tuple[str, str]:
    """`(body, entry_hash)` exactly as `ledger_append` computes them."""
    from sanxiang.records.ledger.canonical import canonical_json, sha256_hex

    body = canonical_json({
        "seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor,
        "subject": subject, "action": action, "payload": payload or {}, "prev": prev,
    })
    return body.decode(), sha256_hex(body)


# --------------------------------------------------------------------------- builder


class LedgerBuilder:
    """Computes the rows `ledger_append` would write, entry after entry (no database)."""

    def __init__(self, inputs: EntryInputs, *, first_node_id: int = 1) -> None:
        from sanxiang.records.ledger import merkle
        from sanxiang.records.logs import HASHER
        from sanxiang.records.services import GENESIS_PREV

        self.inputs = inputs
        self.compact = merkle.CompactRange(HASHER)
        self.prev = GENESIS_PREV
        self.seq = 0
        self.next_node_id = first_node_id

    def rows(self, inputs: list) -> tuple[list[tuple], list[tuple]]:
        """Entry rows `(seq, at, actor, subject, action, prev, entry_hash, body)` and node rows
        `(id, level, index, hash)` for the given inputs, in append order."""
        entries, nodes = [], []
        compact, node_id, prev, seq = self.compact, self.next_node_id, self.prev, self.seq
        for at, actor, subject, action, payload in inputs:
            body, entry_hash = make_entry(seq, at, actor, subject, action, payload, prev)
            entries.append((seq, at, actor, subject, action, prev, entry_hash, body))
            for node in compact.append_data(bytes.fromhex(entry_hash)):
                nodes.append((node_id, node.level, node.index, node.hash))
                node_id += 1
            prev = entry_hash
            seq += 1
        self.next_node_id, self.prev, self.seq = node_id, prev, seq
        return entries, nodes

    def frontier(self) -> list[str]:
        """`LogHead.frontier` after `seq` appends (hex per level, lowest first, "" for none)."""
        n = self.seq
        levels = [level for level in reversed(range(n.bit_length())) if n >> level & 1]
        out = [""] * n.bit_length()
        for level, value in zip(levels, self.compact.hashes, strict=True):
            out[level] = value.hex()
        return out

    def root_hex(self) -> str:
        return self.compact.root().hex()


def _check_service_prefix(builder: LedgerBuilder, count: int) -> None:
    """Append `count` entries through `ledger_append` (clock pinned) and compare with the builder."""
    from django.db.models import Max

    from sanxiang.records import services
    from sanxiang.records.models import LedgerEntry, LogHead, MerkleNode
    from sanxiang.records.models.ledger import LEDGER_LOG

    first_id = (MerkleNode.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    builder.next_node_id = first_id
    inputs = builder.inputs.take(count)
    times = iter([at for at, *_ in inputs])
    real = services.timezone
    services.timezone = SimpleNamespace(now=lambda: next(times))
    try:
        for _at, actor, subject, action, payload in inputs:
            services.ledger_append(subject=subject, action=action, actor=actor, payload=payload)
    finally:
        services.timezone = real
    want_entries, want_nodes = builder.rows(inputs)
    got_entries = list(LedgerEntry.objects.order_by("seq").values_list(
        "seq", "at", "actor", "subject", "action", "prev", "entry_hash", "body"))
    got_nodes = [(i, lv, ix, bytes(h)) for i, lv, ix, h in MerkleNode.objects.filter(log=LEDGER_LOG)
                 .order_by("id").values_list("id", "level", "index", "hash")]
    head = LogHead.objects.get(log=LEDGER_LOG)
    problems = []
    if got_entries != want_entries:
        problems.append("entries differ")
    if got_nodes != want_nodes:
        problems.append("Merkle nodes differ")
    if (head.size, head.last_hash, head.frontier) != (builder.seq, builder.prev, builder.frontier()):
        problems.append("log head differs")
    if problems:
        raise SystemExit(f"bulk builder does not reproduce ledger_append: {', '.join(problems)}")


def _insert_batch(entries: list[tuple], nodes: list[tuple]) -> None:
    from django.db import connection, transaction

    from sanxiang.records.models.ledger import LEDGER_LOG

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy("COPY records_ledgerentry (seq, entry_hash, body) FROM STDIN") as copy:
                for row in entries:
                    copy.write_row((row[0], row[6], row[7]))
            with raw.copy('COPY records_merklenode (id, log, level, "index", hash) FROM STDIN') as copy:
                for node_id, level, index, value in nodes:
                    copy.write_row((node_id, LEDGER_LOG, level, index, value))
        else:
            cursor.executemany("INSERT INTO records_ledgerentry (seq, entry_hash, body) VALUES (%s, %s, %s)",
                               [(row[0], row[6], row[7]) for row in entries])
            cursor.executemany(
                'INSERT INTO records_merklenode (id, log, level, "index", hash) VALUES (%s, %s, %s, %s, %s)',
                [(node_id, LEDGER_LOG, level, index, value) for node_id, level, index, value in nodes])


def existing_size() -> int:
    from sanxiang.records.models import LedgerEntry, LogHead
    from sanxiang.records.models.ledger import LEDGER_LOG

    head = LogHead.objects.filter(log=LEDGER_LOG).first()
    size = head.size if head else 0
    return size if size == LedgerEntry.objects.count() else -1


def build_ledger(n: int, *, seed: int, service_prefix: int = 300, batch: int = 20_000,
                 sth_every: int = 100_000, log=None) -> dict:
    """Fill the (empty) ledger with `n` entries; return timings and counts."""
    from django.core.management.color import no_style
    from django.db import connection

    from sanxiang.records import keys, logs
    from sanxiang.records.models import LedgerEntry, LogHead, MerkleNode, SignedTreeHead
    from sanxiang.records.models.ledger import LEDGER_LOG

    say = log or (lambda text: print(text, file=sys.stderr, flush=True))
    if LedgerEntry.objects.exists():
        raise SystemExit("build_ledger needs an empty ledger")
    started = time.perf_counter()
    builder = LedgerBuilder(EntryInputs(seed))
    prefix = min(service_prefix, n)
    _check_service_prefix(builder, prefix)
    t_service = time.perf_counter() - started
    say(f"  build: {prefix:,} entries through ledger_append match the bulk builder ({t_service:.1f} s)")

    t_generate = t_insert = 0.0
    next_report = 100_000
    sths = 0
    while builder.seq < n:
        count = min(batch, n - builder.seq)
        if sth_every:  # stop a batch at each periodic signed-head size
            count = min(count, sth_every - builder.seq % sth_every)
        t0 = time.perf_counter()
        entries, nodes = builder.rows(builder.inputs.take(count))
        t1 = time.perf_counter()
        _insert_batch(entries, nodes)
        t2 = time.perf_counter()
        t_generate += t1 - t0
        t_insert += t2 - t1
        if sth_every and builder.seq % sth_every == 0 and builder.seq < n:
            timestamp = int(entries[-1][1].timestamp() * 1000) + 1000
            root_hex = builder.root_hex()
            SignedTreeHead.objects.create(
                log=LEDGER_LOG, tree_size=builder.seq, root_hash=root_hex, timestamp=timestamp,
                signature=keys.sign(keys.head_message(builder.seq, root_hex, timestamp)),
                key_id=keys.key_id())
            sths += 1
        if builder.seq >= next_report:
            say(f"  build: {builder.seq:,}/{n:,} entries ({time.perf_counter() - started:.0f} s)")
            next_report = (builder.seq // 100_000 + 1) * 100_000

    t3 = time.perf_counter()
    LogHead.objects.filter(log=LEDGER_LOG).update(size=builder.seq, last_hash=builder.prev,
                                                   frontier=builder.frontier())
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [MerkleNode]):
            cursor.execute(sql)
    final = logs.sign_head(LEDGER_LOG)  # the real signing path, over the builder's frontier
    sths += 1
    if final.root_hash != builder.root_hex():
        raise SystemExit("signed head over the stored frontier differs from the builder's root")
    if connection.vendor == "postgresql":  # what autovacuum would soon do after such a load
        with connection.cursor() as cursor:
            for table in ("records_ledgerentry", "records_merklenode", "records_signedtreehead"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    t_finish = time.perf_counter() - t3
    total = time.perf_counter() - started
    node_count = builder.next_node_id - 1
    return {"entries": builder.seq, "nodes": node_count, "signed_heads": sths,
            "service_prefix": prefix, "seconds": total, "generate_seconds": t_generate,
            "insert_seconds": t_insert, "finish_seconds": t_finish, "service_seconds": t_service}


def ensure_ledger(n: int, *, seed: int, **kwargs) -> dict | None:
    """Build `n` entries, or reuse an existing ledger of exactly `n` (with --home). None = reused."""
    size = existing_size()
    if size == n:
        print(f"  build: reusing the existing ledger of {n:,} entries", file=sys.stderr)
        return None
    if size != 0:
        raise SystemExit(f"the data directory holds a ledger of {size} entries, not {n}; use a fresh one")
    return build_ledger(n, seed=seed, **kwargs)


def print_build(stats: dict | None) -> None:
    if stats is None:
        print("build: reused an existing ledger (--home); not timed")
        return
    n = stats["entries"]
    print(f"build: {n:,} entries, {stats['nodes']:,} Merkle nodes, {stats['signed_heads']} signed heads "
          f"in {stats['seconds']:.1f} s ({n / stats['seconds']:,.0f} entries/s; first "
          f"{stats['service_prefix']} through ledger_append {stats['service_seconds']:.1f} s, "
          f"generate {stats['generate_seconds']:.1f} s, insert {stats['insert_seconds']:.1f} s, "
          f"head+sign{'+vacuum' if 'PostgreSQL' in describe_database() else ''} "
          f"{stats['finish_seconds']:.1f} s)")


# --------------------------------------------------------------------------- statistics


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (q in [0, 1])."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]
