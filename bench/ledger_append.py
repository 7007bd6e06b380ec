"""Benchmark: ledger appends per second (`ledger_append`) against plain inserts of the same rows.

On the configured database (SQLite by default; PostgreSQL when DATABASE_URL is set, e.g. by
`scripts/with-postgres.sh`), in a fresh temporary SANXIANG_HOME / database:

* single:  one transaction per append (`ledger_append` called outside any transaction),
  N = 2,000 by default;
* batched: K appends per transaction (`with transaction.atomic(): K × ledger_append`),
  K = 100, N = 20,000 by default.

Baseline, same run, same database, same transaction pattern: plain `INSERT`s of rows of the
same size (the same canonical bodies, hashes and columns, computed beforehand) into
`bench_plain_ledgerentry`, a regular table created with exactly the definition of
`records_ledgerentry` (same columns generated from the body, primary key, unique and
secondary indexes) but without
the chain, the Merkle tree and the head row. The two are timed in interleaved rounds
(A B B A ...) so that drift hits both. Printed: appends/s, inserts/s and the ratio
ledger/baseline (1.0 = the ledger costs nothing over a plain insert). After timing, the
ledger is checked with `verify_ledger()` (untimed).

Full size (default), well under 10 minutes on 2 cores:

    .venv/bin/python bench/ledger_append.py                          # SQLite
    scripts/with-postgres.sh .venv/bin/python bench/ledger_append.py # PostgreSQL

Smoke run: `.venv/bin/python bench/ledger_append.py --quick` (200 single, 2,000 batched).
Options: `--single N`, `--batched N`, `--batch-size K`, `--rounds R`, `--prefill N` (start from
a ledger of N entries built with the bulk builder; the baseline table gets a copy of them),
`--profile` (cProfile of single appends), `--json PATH`.
Durability: SQLite runs as configured (WAL, synchronous=NORMAL); the throwaway PostgreSQL of
`scripts/with-postgres.sh` runs with fsync=off and synchronous_commit=off, so commits are
cheaper there than on a production server (both sides of the ratio alike).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _ledger_data as data  # noqa: E402

PLAIN = "bench_plain_ledgerentry"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--single", type=int, default=2_000, help="appends, one transaction each (2,000)")
    parser.add_argument("--batched", type=int, default=20_000, help="appends in batched transactions (20,000)")
    parser.add_argument("--batch-size", type=int, default=100, help="appends per transaction when batched (100)")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds per mode (4)")
    parser.add_argument("--prefill", type=int, default=0, help="bulk-build a ledger of N entries first (0)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 200 single, 2,000 batched")
    parser.add_argument("--profile", action="store_true", help="also cProfile 500 single appends")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON to PATH")
    data.add_environment_arguments(parser)
    args = parser.parse_args()
    if args.quick:
        args.single, args.batched, args.rounds = 200, 2_000, 2
    if args.home:
        parser.error("--home is not supported here: appends need a fresh ledger")

    with data.BenchEnvironment(keep=args.keep):
        status = run(args)
        print(f"at end: {data.load()}")
        return status


def create_plain_table() -> None:
    """`bench_plain_ledgerentry`: the definition of records_ledgerentry under another name
    (generated columns, primary key, unique and secondary indexes; no triggers)."""
    from django.db import connection

    from sanxiang.records import ledger_columns

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {PLAIN} (LIKE records_ledgerentry INCLUDING ALL)")
            return
        cursor.execute(ledger_columns.sqlite_create_table(PLAIN))
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records_ledgerentry' "
                       "AND sql IS NOT NULL")
        for (sql,) in cursor.fetchall():
            cursor.execute(sql.replace("records_ledger", "bench_plain_ledger"))


def plain_rows(inputs: list, first_seq: int) -> list[tuple]:
    """Rows for the baseline table: same sequence numbers, bodies and hashes as the ledger's
    (the database computes the other columns from the body, as in the ledger)."""
    from sanxiang.records.services import GENESIS_PREV

    rows, prev = [], GENESIS_PREV
    for offset, (at, actor, subject, action, payload) in enumerate(inputs):
        seq = first_seq + offset
        body, entry_hash = data.make_entry(seq, at, actor, subject, action, payload, prev)
        rows.append((seq, entry_hash, body))
        prev = entry_hash
    return rows


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def ledger_round(batches: list[list], per_tx: int) -> float:
    """Seconds for `ledger_append` over `batches`: one transaction per batch (per append if 1)."""
    from django.db import transaction

    from sanxiang.records.services import ledger_append

    t0 = time.perf_counter()
    for batch in batches:
        if per_tx == 1:
            _at, actor, subject, action, payload = batch[0]
            ledger_append(subject=subject, action=action, actor=actor, payload=payload)
        else:
            with transaction.atomic():
                for _at, actor, subject, action, payload in batch:
                    ledger_append(subject=subject, action=action, actor=actor, payload=payload)
    return time.perf_counter() - t0


def plain_round(cursor, insert_sql: str, batches: list[list]) -> float:
    """Seconds for the baseline INSERTs over `batches`, one transaction per batch."""
    from django.db import transaction

    t0 = time.perf_counter()
    for batch in batches:
        with transaction.atomic():
            for row in batch:
                cursor.execute(insert_sql, row)
    return time.perf_counter() - t0


def run(args) -> int:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from sanxiang.records.models import LedgerEntry
    from sanxiang.records.services import ledger_append
    from sanxiang.records.verify import verify_ledger

    print(f"machine: {data.machine()}")
    print(f"database: {data.describe_database()}")
    print(f"at start: {data.load()}")
    create_plain_table()
    stream = data.EntryInputs(args.seed)
    if args.prefill:
        stats = data.build_ledger(args.prefill, seed=args.seed)
        data.print_build(stats)
        stream = data.EntryInputs(args.seed + 1)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {PLAIN} (seq, entry_hash, body) "  # noqa: S608
                           "SELECT seq, entry_hash, body FROM records_ledgerentry")
    first_seq = args.prefill

    insert_sql = f"INSERT INTO {PLAIN} (seq, entry_hash, body) VALUES (%s, %s, %s)"  # noqa: S608
    cursor = connection.cursor()

    # Statements per append, for the record (outside the timed rounds).
    probe = stream.take(2)
    base_rows = plain_rows(probe, first_seq)
    first_seq += len(probe)
    with CaptureQueriesContext(connection) as single_q:
        at, actor, subject, action, payload = probe[0]
        ledger_append(subject=subject, action=action, actor=actor, payload=payload)
    with transaction.atomic(), CaptureQueriesContext(connection) as batched_q:
        at, actor, subject, action, payload = probe[1]
        ledger_append(subject=subject, action=action, actor=actor, payload=payload)
    with transaction.atomic():
        for row in base_rows:
            cursor.execute(insert_sql, row)
    print(f"statements per append: {len(single_q.captured_queries)} alone, "
          f"{len(batched_q.captured_queries)} inside a caller's transaction "
          f"(counting BEGIN/COMMIT or SAVEPOINT/RELEASE; baseline: BEGIN, INSERT, COMMIT)")
    for label, captured in (("alone", single_q), ("inside a transaction", batched_q)):
        print(f"  {label}: " + " ; ".join(q["sql"].split(" (")[0].split(" SET ")[0].split(" FROM ")[0][:40]
                                         for q in captured.captured_queries))

    results = {}
    for mode, total, per_tx in (("single", args.single, 1), ("batched", args.batched, args.batch_size)):
        if total <= 0:
            continue
        inputs = stream.take(total)
        rows = plain_rows(inputs, first_seq)
        first_seq += total
        rounds = max(1, min(args.rounds, total // per_tx))
        in_chunks = chunks(chunks(inputs, per_tx), -(-len(chunks(inputs, per_tx)) // rounds))
        row_chunks = chunks(chunks(rows, per_tx), -(-len(chunks(rows, per_tx)) // rounds))
        t_ledger = t_plain = 0.0

        for r, (ins, rws) in enumerate(zip(in_chunks, row_chunks, strict=True)):
            if r % 2 == 0:
                t_plain += plain_round(cursor, insert_sql, rws)
                t_ledger += ledger_round(ins, per_tx)
            else:
                t_ledger += ledger_round(ins, per_tx)
                t_plain += plain_round(cursor, insert_sql, rws)
        ledger_rate, plain_rate = total / t_ledger, total / t_plain
        results[mode] = {"appends": total, "per_transaction": per_tx, "rounds": len(in_chunks),
                         "ledger_seconds": t_ledger, "baseline_seconds": t_plain,
                         "ledger_per_second": ledger_rate, "baseline_per_second": plain_rate,
                         "ratio": ledger_rate / plain_rate}
        label = "one transaction per append" if per_tx == 1 else f"{per_tx} appends per transaction"
        print(f"{mode:8s} ({label}, {total:,} appends, {len(in_chunks)} interleaved rounds): "
              f"ledger_append {ledger_rate:,.0f}/s ({t_ledger / total * 1e3:.3f} ms each) · "
              f"baseline INSERT {plain_rate:,.0f}/s ({t_plain / total * 1e3:.3f} ms each) · "
              f"ratio ledger/baseline {ledger_rate / plain_rate:.3f}")

    cursor.close()
    report = verify_ledger()
    expected = LedgerEntry.objects.count()
    print(f"verify_ledger after the run: {'ok' if report.ok else 'BROKEN'}, {report.checked:,} entries")
    if not report.ok or report.checked != expected:
        print(report.problems[:5])
        return 1

    out = {"benchmark": "ledger_append", "database": data.describe_database(), "machine": data.machine(),
           "prefill": args.prefill, "results": results,
           "statements_per_append": {"single": len(single_q.captured_queries),
                                     "batched": len(batched_q.captured_queries)}}
    if args.profile:
        inputs = stream.take(500)
        profiler = cProfile.Profile()
        profiler.enable()
        for at, actor, subject, action, payload in inputs:  # noqa: B007
            ledger_append(subject=subject, action=action, actor=actor, payload=payload)
        profiler.disable()
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats("tottime").print_stats(15)
        pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats("cumulative").print_stats(
            r"services|logs|canonical|merkle|query.py|base.py|transaction.py|json")
        print("\n--- cProfile of 500 single appends (top 15 by own time; then cumulative, selected)")
        print(buf.getvalue())
        out["cprofile_top"] = buf.getvalue()
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
