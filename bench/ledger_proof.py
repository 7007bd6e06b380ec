"""Benchmark: Merkle proofs from the database (`sanxiang.records.logs`) at 1,000,000 entries.

Builds a ledger of N entries (default 1,000,000) with the bulk builder shared with
`ledger_verify.py` (`bench/_ledger_data.py`), in a fresh temporary SANXIANG_HOME, then times
per call, in milliseconds (p50 / p95 / max over the sample, after 20 warm-up calls):

* `logs.inclusion_proof(log, index, N)` for 1,000 random indices;
* `logs.consistency_proof(log, m, n)` for 1,000 random pairs 1 <= m < n <= N;
* `logs.root_at(log, size)` for 1,000 random sizes (for information).

Goal: DB proofs under 5 ms (checked on p95). Each operation's DB calls stop early once
`--budget` seconds (90) are spent, after at least 50 calls, so that a slow query cannot make
the run last for hours; the output then says how many calls were measured. Baseline, same run: the pure in-memory
`merkle.inclusion_proof` / `consistency_proof` / `root` over a `merkle.MappingSubtreeSource`
holding a dict of the very same stored nodes (all `MerkleNode` rows of the ledger, loaded
once, not timed). Ratio = DB / in-memory (p50). Every DB proof is compared with the
in-memory one and checked with `merkle.verify_inclusion` / `verify_consistency` (untimed);
a mismatch exits with status 1.

Full size (the numbers of the closing note), a few minutes on 2 cores:

    .venv/bin/python bench/ledger_proof.py                          # SQLite
    scripts/with-postgres.sh .venv/bin/python bench/ledger_proof.py # PostgreSQL

Smoke run (10,000 entries): `.venv/bin/python bench/ledger_proof.py --quick`.
Options: `--entries N`, `--proofs K`, `--budget S`, `--explain` (query plan of one proof's node query),
`--json PATH`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _ledger_data as data  # noqa: E402

GOAL_MS = 5.0
WARMUP = 20
MIN_CALLS = 50


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000, help="ledger size (default 1,000,000)")
    parser.add_argument("--proofs", type=int, default=1_000, help="calls per operation (default 1,000)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10,000 entries")
    parser.add_argument("--budget", type=float, default=90.0,
                        help="seconds of DB calls per operation after which sampling stops early "
                             "(at least 50 calls; default 90, 0 = no limit)")
    parser.add_argument("--explain", action="store_true", help="print the query plan of a proof's node query")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON to PATH")
    data.add_environment_arguments(parser)
    args = parser.parse_args()
    n = 10_000 if args.quick else args.entries
    if n < 2:
        parser.error("--entries must be at least 2")

    with data.BenchEnvironment(home=args.home, keep=args.keep):
        status = run(n, args)
        print(f"at end: {data.load()}")
        return status


def timed(calls, budget: float | None = None) -> tuple[list[float], list]:
    """Milliseconds of each call (warm-up calls first, not recorded) and the results.

    With a budget (seconds), stops early once it is spent (at least MIN_CALLS recorded), so
    that a slow implementation cannot make the run last for hours."""
    clock = time.perf_counter_ns
    start = clock()
    for call in calls[:WARMUP]:
        call()
        if budget is not None and (clock() - start) / 1e9 > budget / 10:
            break  # slow: a shorter warm-up is enough
    times, results = [], []
    start = clock()
    for call in calls:
        t0 = clock()
        result = call()
        times.append((clock() - t0) / 1e6)
        results.append(result)
        if budget is not None and len(times) >= MIN_CALLS and (clock() - start) / 1e9 > budget:
            break
    return times, results


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"p50": data.percentile(ordered, 0.50), "p95": data.percentile(ordered, 0.95),
            "max": ordered[-1], "mean": sum(ordered) / len(ordered)}


def run(n: int, args) -> int:
    from django.db import connection

    from sanxiang.records import logs
    from sanxiang.records.ledger import merkle
    from sanxiang.records.models import SignedTreeHead
    from sanxiang.records.models.ledger import LEDGER_LOG

    print(f"machine: {data.machine()}")
    print(f"database: {data.describe_database()}")
    print(f"at start: {data.load()}")
    print(f"ledger_proof: {n:,} entries, {args.proofs:,} calls per operation")
    stats = data.ensure_ledger(n, seed=args.seed)
    data.print_build(stats)

    # The baseline's nodes: every stored node of the ledger, in a dict (untimed).
    t0 = time.perf_counter()
    nodes: dict[tuple[int, int], bytes] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT level, \"index\", hash FROM records_merklenode WHERE log = %s", [LEDGER_LOG])
        while chunk := cursor.fetchmany(10_000):
            for level, index, value in chunk:
                nodes[(level, index)] = bytes(value)
    memory = merkle.MappingSubtreeSource(nodes)
    print(f"baseline source: {len(nodes):,} stored nodes loaded into a dict in {time.perf_counter() - t0:.1f} s")
    hasher = logs.HASHER
    head_root = bytes.fromhex(SignedTreeHead.objects.filter(log=LEDGER_LOG, tree_size=n).latest("id").root_hash)
    if merkle.root(n, memory, hasher) != head_root:
        print("the in-memory root differs from the signed head")
        return 1

    rng = random.Random(args.seed)  # noqa: S311 - reproducible sampling
    k = args.proofs
    indices = [rng.randrange(n) for _ in range(k)]
    pairs = []
    for _ in range(k):
        m = rng.randrange(1, n)
        pairs.append((m, rng.randrange(m + 1, n + 1)))
    sizes = [rng.randrange(1, n + 1) for _ in range(k)]

    ops = {
        "inclusion_proof": (
            [lambda i=i: logs.inclusion_proof(LEDGER_LOG, i, n) for i in indices],
            [lambda i=i: merkle.inclusion_proof(i, n, memory, hasher) for i in indices]),
        "consistency_proof": (
            [lambda p=p: logs.consistency_proof(LEDGER_LOG, *p) for p in pairs],
            [lambda p=p: merkle.consistency_proof(*p, memory, hasher) for p in pairs]),
        "root_at": (
            [lambda s=s: logs.root_at(LEDGER_LOG, s) for s in sizes],
            [lambda s=s: merkle.root(s, memory, hasher) for s in sizes]),
    }
    out = {"benchmark": "ledger_proof", "entries": n, "calls": k, "database": data.describe_database(),
           "machine": data.machine(), "build": stats, "operations": {}}
    failures = 0
    for name, (db_calls, mem_calls) in ops.items():
        db_times, db_results = timed(db_calls, args.budget or None)
        mem_times, mem_results = timed(mem_calls[:len(db_times)])
        if db_results != mem_results:
            print(f"{name}: database and in-memory results differ")
            failures += 1
        db, mem = summary(db_times), summary(mem_times)
        ok = db["p95"] < GOAL_MS
        if len(db_times) < len(db_calls):
            print(f"{name:17s} (time budget of {args.budget:g} s spent: {len(db_times):,} of {len(db_calls):,} "
                  f"calls measured)")
        print(f"{name:17s} DB        p50 {db['p50']:7.3f} ms  p95 {db['p95']:7.3f} ms  max {db['max']:7.3f} ms"
              f"  ({'meets' if ok else 'MISSES'} the goal p95 < {GOAL_MS:g} ms)")
        print(f"{'':17s} in-memory p50 {mem['p50']:7.3f} ms  p95 {mem['p95']:7.3f} ms  max {mem['max']:7.3f} ms")
        print(f"{'':17s} ratio DB/in-memory: p50 {db['p50'] / mem['p50']:.1f}x, "
              f"p95 {db['p95'] / mem['p95']:.1f}x")
        out["operations"][name] = {"calls": len(db_times), "db_ms": db, "memory_ms": mem, "ratio_p50": db["p50"] / mem["p50"],
                                   "ratio_p95": db["p95"] / mem["p95"], "goal_ms": GOAL_MS, "meets_goal": ok}
        if name == "inclusion_proof":
            for index, proof in zip(indices, db_results, strict=False):
                merkle.verify_inclusion(nodes[(0, index)], index, n, proof, head_root, hasher)
        elif name == "consistency_proof":
            for (m, second), proof in zip(pairs, db_results, strict=False):
                merkle.verify_consistency(m, second, merkle.root(m, memory, hasher),
                                          merkle.root(second, memory, hasher), proof, hasher)
    if failures:
        return 1
    print("all DB proofs equal the in-memory ones and verify against the roots")

    if args.explain:
        explain(indices[0], n)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, default=str))
    return 0


def explain(index: int, n: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanxiang.records import logs
    from sanxiang.records.models.ledger import LEDGER_LOG

    with CaptureQueriesContext(connection) as queries:
        logs.inclusion_proof(LEDGER_LOG, index, n)
    sql = queries.captured_queries[-1]["sql"]
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    print(f"\n--- {len(queries.captured_queries)} query per inclusion proof; its plan:")
    print(f"  {sql[:300]}{' …' if len(sql) > 300 else ''}")
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        plan = cursor.fetchall()
    for row in plan[:12]:
        print("  ", " | ".join(str(c) for c in row))
    if len(plan) > 12:
        print(f"   … ({len(plan) - 12} more lines)")
        for row in plan[-2:]:
            print("  ", " | ".join(str(c) for c in row))


if __name__ == "__main__":
    sys.exit(main())
