"""Benchmark: `verify_ledger()` over a large ledger, against raw `hashlib.sha256` of the bodies.

Builds a ledger of N entries (default 1,000,000) in a fresh temporary SANXIANG_HOME with the
bulk builder of `bench/_ledger_data.py` (its first 300 entries through the real
`ledger_append`, checked row for row against the builder), then times:

* build: seconds and entries/s of the bulk load (setup cost, reported for information);
* `verify_ledger()`: streams every entry and Merkle node, recomputes chain, tree and signed
  heads; it must report ok with N entries checked, otherwise the script exits with status 1;
* baseline: `hashlib.sha256(body).digest()` over the same canonical body bytes, read once into
  memory beforehand (only the hashing loop is timed);
* reference (not the baseline): the same rows fetched with a plain DB-API cursor, no checks —
  the floor any database-reading verifier pays.

Both are run `--repeat` times (3) and the best run counts, which damps the effect of other
processes on the machine. The ratio printed is baseline_time / verify_time (goal >= 0.3).

Full size (the numbers of the closing note), about 5-10 minutes on 2 cores:

    .venv/bin/python bench/ledger_verify.py                          # SQLite
    scripts/with-postgres.sh .venv/bin/python bench/ledger_verify.py # PostgreSQL

Smoke run (10,000 entries): `.venv/bin/python bench/ledger_verify.py --quick`.
`--entries N` sets the size; `--profile` adds a cProfile of `verify_ledger()` and a per-step
breakdown of its loop; `--json PATH` writes the numbers as JSON.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _ledger_data as data  # noqa: E402

GOAL = 0.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000, help="ledger size (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10,000 entries")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of verify_ledger() and of the baseline loop; the best counts (3)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile verify_ledger() (cProfile) and time each step of its loop")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON to PATH")
    data.add_environment_arguments(parser)
    args = parser.parse_args()
    n = 10_000 if args.quick else args.entries

    with data.BenchEnvironment(home=args.home, keep=args.keep):
        status = run(n, args)
        print(f"at end: {data.load()}")
        return status


def fetch_raw(sql: str) -> tuple[int, float]:
    from django.db import connection

    t0 = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while True:
            chunk = cursor.fetchmany(5000)
            if not chunk:
                break
            rows += len(chunk)
    return rows, time.perf_counter() - t0


def run(n: int, args) -> int:
    from sanxiang.records.models import LedgerEntry
    from sanxiang.records.verify import verify_ledger

    print(f"machine: {data.machine()}")
    print(f"database: {data.describe_database()}")
    print(f"at start: {data.load()}")
    print(f"ledger_verify: {n:,} entries")
    stats = data.ensure_ledger(n, seed=args.seed)
    data.print_build(stats)

    # --- the measurement
    runs = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        report = verify_ledger()
        runs.append(time.perf_counter() - t0)
        if not report.ok or report.checked != n:
            print(f"verify_ledger FAILED on the built ledger: checked {report.checked}, "
                  f"problems {report.problems[:5]}")
            return 1
    t_verify = min(runs)
    print(f"verify_ledger: ok, {report.checked:,} entries in {t_verify:.2f} s "
          f"({n / t_verify:,.0f} entries/s; best of {len(runs)}: "
          f"{', '.join(f'{r:.2f}' for r in runs)} s)")

    # --- baseline: raw sha256 over the same body bytes, held in memory
    bodies = [b.encode() for b in LedgerEntry.objects.order_by("seq").values_list("body", flat=True)
              .iterator(chunk_size=5000)]
    total_bytes = sum(map(len, bodies))
    loops = []
    sha256 = hashlib.sha256
    for _ in range(max(3, args.repeat)):
        t0 = time.perf_counter()
        for body in bodies:
            sha256(body).digest()
        loops.append(time.perf_counter() - t0)
    t_base = min(loops)
    print(f"baseline hashlib.sha256 over the {n:,} canonical bodies in memory "
          f"({total_bytes / n:.0f} B avg, {total_bytes / 1e6:.0f} MB): {t_base:.3f} s "
          f"({n / t_base:,.0f} entries/s, {total_bytes / t_base / 1e6:,.0f} MB/s; best of {len(loops)})")
    del bodies

    # --- reference: the same rows through a plain cursor
    _, t_entries = fetch_raw("SELECT seq, at, actor, subject, action, prev, entry_hash, body "
                             "FROM records_ledgerentry ORDER BY seq")
    nodes, t_nodes = fetch_raw("SELECT level, \"index\", hash FROM records_merklenode "
                               "WHERE log = 'ledger' ORDER BY id")
    print(f"reference (not the baseline): plain-cursor fetch of the same {n:,} entries "
          f"{t_entries:.2f} s + {nodes:,} nodes {t_nodes:.2f} s = {t_entries + t_nodes:.2f} s")

    ratio = t_base / t_verify
    verdict = "meets" if ratio >= GOAL else "BELOW"
    print(f"ratio baseline/verify = {ratio:.3f}  ({verdict} the goal >= {GOAL}; "
          f"verify is {t_verify / t_base:.0f}x the raw hashing time)")

    result = {
        "benchmark": "ledger_verify", "entries": n, "database": data.describe_database(),
        "machine": data.machine(), "build": stats, "verify_seconds": t_verify,
        "verify_entries_per_second": n / t_verify, "verify_runs": runs, "baseline_seconds": t_base,
        "baseline_loops": loops, "body_bytes": total_bytes, "ratio": ratio, "goal": GOAL,
        "reference_fetch_seconds": {"entries": t_entries, "nodes": t_nodes},
    }
    if args.profile:
        result["profile"] = profile(n)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    return 0


def profile(n: int) -> dict:
    """cProfile of verify_ledger() and the cost of each step of its per-entry loop."""
    import datetime as dt

    from sanxiang.records import verify as verify_module
    from sanxiang.records.logs import HASHER
    from sanxiang.records.models import LedgerEntry, MerkleNode
    from sanxiang.records.models.ledger import LEDGER_LOG

    print("\n--- cProfile of verify_ledger() (top 25 by own time; profiling inflates Python calls)")
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.runcall(verify_module.verify_ledger)
    print(f"profiled run: {time.perf_counter() - t0:.2f} s")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(25)
    print(out.getvalue())

    print("--- per-step breakdown of verify_ledger's loop (each step alone over all entries)")
    steps = {}

    entries_qs = (LedgerEntry.objects.order_by("seq")
                  .values_list("seq", "at", "actor", "subject", "action", "prev", "entry_hash", "body"))
    nodes_qs = (MerkleNode.objects.filter(log=LEDGER_LOG).order_by("id")
                .values_list("level", "index", "hash"))
    t0 = time.perf_counter()
    for _row in entries_qs.iterator(chunk_size=verify_module.CHUNK):
        pass
    steps["ORM: iterate entries (values_list, 8 columns)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _row in nodes_qs.iterator(chunk_size=verify_module.CHUNK):
        pass
    steps["ORM: iterate Merkle nodes (values_list, 3 columns)"] = time.perf_counter() - t0

    # The CPU steps run over rows held in memory, frozen out of the cyclic GC's sight so that
    # holding them does not slow the steps down (verify_ledger itself streams).
    rows = list(entries_qs.iterator(chunk_size=verify_module.CHUNK))
    nodes = list(nodes_qs.iterator(chunk_size=verify_module.CHUNK))
    gc.collect()
    gc.freeze()

    t0 = time.perf_counter()
    for row in rows:
        hashlib.sha256(row[7].encode()).hexdigest()
    steps["sha256(body.encode()).hexdigest()"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    for row in rows:
        json.loads(row[7])
    parts = {"  of which json.loads(body)": time.perf_counter() - t0}

    parsed = [json.loads(row[7]) for row in rows]
    t0 = time.perf_counter()
    for (seq, at, actor, subject, action, prev, _h, _b), fields in zip(rows, parsed, strict=True):
        expected = {"seq": seq, "actor": actor, "subject": subject, "action": action, "prev": prev}
        for name, value in expected.items():
            if fields.get(name) != value:
                pass
        dt.datetime.fromisoformat(fields.get("at", "")) != at  # noqa: B015
    parts["  of which column comparisons + datetime.fromisoformat"] = time.perf_counter() - t0
    del parsed

    t0 = time.perf_counter()
    for row in rows:
        verify_module._check_body(verify_module.LedgerReport(), *row[:6], row[7])
    steps["_check_body(...) whole call"] = time.perf_counter() - t0
    steps.update(parts)  # shown under _check_body, not added to the sum

    t0 = time.perf_counter()
    frontier: list = []
    for row in rows:
        seq, entry_hash = row[0], row[6]
        level, position = 0, seq
        current = HASHER.leaf(bytes.fromhex(entry_hash))
        produced = [(0, position, current)]
        while position & 1 and level < len(frontier) and frontier[level] is not None:
            current = HASHER.node(frontier[level], current)
            frontier[level] = None
            level += 1
            position >>= 1
            produced.append((level, position, current))
        if len(frontier) <= level:
            frontier.extend([None] * (level + 1 - len(frontier)))
        frontier[level] = current
    steps["Merkle recompute (fromhex + HASHER.leaf/node + tuples)"] = time.perf_counter() - t0

    it = iter(nodes)
    t0 = time.perf_counter()
    for got in it:
        (got[0], got[1], bytes(got[2]))
    steps["compare stored nodes (bytes(...) + tuple per node)"] = time.perf_counter() - t0

    del rows, nodes
    gc.unfreeze()
    total = sum(seconds for name, seconds in steps.items() if name not in parts)
    order = [k for k in steps if k not in parts]
    at = order.index("_check_body(...) whole call") + 1
    for name in order[:at] + list(parts) + order[at:]:
        seconds = steps[name]
        print(f"  {seconds:7.2f} s  {seconds / total:5.1%}  {name}")
    print(f"  {total:7.2f} s  sum of steps ({n / total:,.0f} entries/s; the 'of which' lines excluded)")
    out.seek(0)
    return {"steps_seconds": steps, "cprofile_top": out.getvalue()}


if __name__ == "__main__":
    sys.exit(main())
