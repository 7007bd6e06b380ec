"""Benchmark: `verify_ledger()` over a large ledger, against raw `hashlib.sha256` of the bodies.

Builds a ledger of N entries (default 1,000,000) in a fresh temporary SANXIANG_HOME with the
bulk builder of `bench/_ledger_data.py` (its first 300 entries through the real
`ledger_append`, checked row for row against the builder), then times:

* build: seconds and entries/s of the bulk load (setup cost, reported for information);
* `verify_ledger()`: reads every entry and Merkle node, recomputes chain, tree and signed
  heads; it must report ok with N entries checked, otherwise the script exits with status 1.
  Intact ledgers are answered by the bulk fast path (`records.verify_fast`: chunks of 16,384
  entries, raw DB-API reads, the table definition checked once (the columns are generated from the body), the tree rebuilt level by
  level, a forked child taking chunks from the same work queue); the script prints wall and
  CPU time (this process and its children) and whether the fast path answered;
* baseline: `hashlib.sha256(body).digest()` over the same canonical body bytes, read once into
  memory beforehand (only the hashing loop is timed);
* references (not the baseline): the same rows fetched with a plain Django cursor, no checks
  (the floor of a verifier reading all eight columns); only the bodies as bytes through the
  raw DB-API connection in the fast path's chunks (the floor of any verifier that hashes
  them); with `--streaming`, the streaming verifier that reports problems
  (`verify_ledger_streaming`, the whole verification before the fast path existed).

Both are run `--repeat` times (3) and the best run counts, which damps the effect of other
processes on the machine. The ratio printed is baseline_time / verify_time (goal >= 0.3).

Full size (the numbers of the closing note), about 5-10 minutes on 2 cores:

    .venv/bin/python bench/ledger_verify.py                          # SQLite
    scripts/with-postgres.sh .venv/bin/python bench/ledger_verify.py # PostgreSQL

Smoke run (10,000 entries): `.venv/bin/python bench/ledger_verify.py --quick`.
`--entries N` sets the size; `--workers 1` keeps the fast path in one process; `--profile`
adds a cProfile of the fast path and the CPU and wall time of each of its steps;
`--streaming` also times the streaming verifier; `--json PATH` writes the numbers as JSON.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import io
import json
import os
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
                        help="also profile the fast path (cProfile) and time each of its steps")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes of the fast path (default: records.verify_fast.WORKERS, 2)")
    parser.add_argument("--streaming", action="store_true",
                        help="also time the streaming verifier (verify_ledger_streaming), once")
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


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its reaped children."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def fetch_bodies(n: int) -> float:
    """Seconds to read every body as bytes through the raw connection, chunk by chunk."""
    from django.db import connection

    from sanxiang.records import verify_fast

    connection.ensure_connection()
    raw = connection.connection
    cast = "convert_to(body, 'UTF8')" if connection.vendor == "postgresql" else "CAST(body AS BLOB)"
    sql = f"SELECT {cast} FROM records_ledgerentry WHERE seq >= %s AND seq < %s ORDER BY seq"  # noqa: S608
    if connection.vendor == "sqlite":
        sql = sql.replace("%s", "?")
    step = 1 << verify_fast.CHUNK_BITS
    collecting = gc.isenabled()
    gc.disable()
    try:
        t0 = time.perf_counter()
        for start in range(0, n, step):
            if connection.vendor == "postgresql":
                import psycopg

                with psycopg.Cursor(raw) as cursor:
                    cursor.execute(sql, (start, start + step), binary=True)
                    cursor.fetchall()
            else:
                raw.execute(sql, (start, start + step)).fetchall()
        return time.perf_counter() - t0
    finally:
        if collecting:
            gc.enable()


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
    from sanxiang.records import verify_fast

    if args.workers is not None:
        verify_fast.WORKERS = args.workers
    answered = []
    fast_path = verify_fast.verify_ledger_fast

    def counted_fast_path(*a, **kw):
        result = fast_path(*a, **kw)
        answered.append(result is not None)
        return result

    verify_fast.verify_ledger_fast = counted_fast_path
    runs, cpus = [], []
    try:
        for _ in range(max(1, args.repeat)):
            c0 = cpu_seconds()
            t0 = time.perf_counter()
            report = verify_ledger()
            runs.append(time.perf_counter() - t0)
            cpus.append(cpu_seconds() - c0)
            if not report.ok or report.checked != n:
                print(f"verify_ledger FAILED on the built ledger: checked {report.checked}, "
                      f"problems {report.problems[:5]}")
                return 1
    finally:
        verify_fast.verify_ledger_fast = fast_path
    t_verify = min(runs)
    print(f"verify_ledger: ok, {report.checked:,} entries in {t_verify:.2f} s "
          f"({n / t_verify:,.0f} entries/s; best of {len(runs)}: "
          f"{', '.join(f'{r:.2f}' for r in runs)} s; CPU of this process and its children "
          f"{', '.join(f'{c:.2f}' for c in cpus)} s; answered by the "
          f"{'fast path' if all(answered) else 'STREAMING verifier'}, "
          f"up to {verify_fast.WORKERS} processes)")

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

    # --- references: the same rows through a plain cursor; the bodies alone, raw, in chunks
    _, t_entries = fetch_raw("SELECT seq, at, actor, subject, action, prev, entry_hash, body "
                             "FROM records_ledgerentry ORDER BY seq")
    nodes, t_nodes = fetch_raw("SELECT level, \"index\", hash FROM records_merklenode "
                               "WHERE log = 'ledger' ORDER BY id")
    print(f"reference (not the baseline): plain-cursor fetch of the same {n:,} entries "
          f"{t_entries:.2f} s + {nodes:,} nodes {t_nodes:.2f} s = {t_entries + t_nodes:.2f} s")
    t_bodies = fetch_bodies(n)
    print(f"reference (not the baseline): the {n:,} bodies alone as bytes, raw DB-API cursor, "
          f"chunks of {1 << verify_fast.CHUNK_BITS:,}: {t_bodies:.2f} s (ceiling of a one-process verifier "
          f"that reads them: ratio {t_base / t_bodies:.2f})")
    t_streaming = None
    if args.streaming:
        from sanxiang.records.verify import verify_ledger_streaming

        t0 = time.perf_counter()
        streaming = verify_ledger_streaming()
        t_streaming = time.perf_counter() - t0
        print(f"reference (not the baseline): verify_ledger_streaming {t_streaming:.2f} s "
              f"(ok={streaming.ok}; ratio {t_base / t_streaming:.3f})")

    ratio = t_base / t_verify
    verdict = "meets" if ratio >= GOAL else "BELOW"
    print(f"ratio baseline/verify = {ratio:.3f}  ({verdict} the goal >= {GOAL}; "
          f"verify is {t_verify / t_base:.0f}x the raw hashing time)")

    result = {
        "benchmark": "ledger_verify", "entries": n, "database": data.describe_database(),
        "machine": data.machine(), "build": stats, "verify_seconds": t_verify,
        "verify_entries_per_second": n / t_verify, "verify_runs": runs, "baseline_seconds": t_base,
        "baseline_loops": loops, "body_bytes": total_bytes, "ratio": ratio, "goal": GOAL,
        "verify_cpu_seconds": cpus, "fast_path": all(answered), "workers": verify_fast.WORKERS,
        "reference_fetch_seconds": {"entries": t_entries, "nodes": t_nodes, "bodies_raw": t_bodies},
        "streaming_seconds": t_streaming,
    }
    if args.profile:
        result["profile"] = profile(n)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    return 0


def profile(n: int) -> dict:
    """cProfile of the fast path and the CPU and wall time of each of its steps."""
    from django.db import connection

    from sanxiang.records import verify_fast
    from sanxiang.records.models.ledger import LEDGER_LOG

    print("\n--- cProfile of the fast path in one process, verify_ledger_fast(workers=1) "
          "(top 25 by own time; profiling inflates Python calls)")
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.runcall(verify_fast.verify_ledger_fast, workers=1)
    print(f"profiled run (one process): {time.perf_counter() - t0:.2f} s")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(25)
    print(out.getvalue())

    print("--- time of each step of the fast path, one process (gc off, as in verify_fast): CPU of this "
          "process, and wall (the difference is time spent waiting, e.g. for a PostgreSQL server)")
    connection.ensure_connection()
    db = verify_fast._Database(connection.connection, connection.vendor)
    bits = verify_fast.CHUNK_BITS
    chunks = verify_fast._plan(db, n, bits, [])
    body = "body" if db.vendor == "postgresql" else "CAST(body AS BLOB)"
    bodies_only = db.sql(f"SELECT {body}, entry_hash, prev FROM records_ledgerentry "  # noqa: S608
                         "WHERE seq >= %s AND seq < %s ORDER BY seq")
    steps: dict[str, float] = {}
    walls: dict[str, float] = {}
    last_wall = [0.0]

    def clock(name: str, started: float) -> float:
        now, wall = time.process_time(), time.perf_counter()
        steps[name] = steps.get(name, 0.0) + now - started
        walls[name] = walls.get(name, 0.0) + wall - last_wall[0]
        last_wall[0] = wall
        return now

    collecting = gc.isenabled()
    gc.disable()
    try:
        for chunk in chunks:
            start, stop = chunk.start, chunk.stop
            t, last_wall[0] = time.process_time(), time.perf_counter()
            db.fetchall(bodies_only, (start, stop), text_as_bytes=True)
            t = clock("fetch body, entry_hash, prev (raw cursor)", t)
            rows = db.fetchall(db.entries_sql, (start, stop), text_as_bytes=True)
            t = clock("  the same + whether the body states its seq", t)
            digests = list(map(verify_fast._digest, map(verify_fast._sha256, map(verify_fast._body, rows))))
            t = clock("sha256 of the bodies (map)", t)
            joined = b"".join(digests)
            hexes = joined.hex(",", 32)
            _ = (",".join(map(verify_fast._entry_hash, rows)) == hexes
                 and ",".join(map(verify_fast._prev, rows[1:])) == hexes[:-65]
                 and list(map(verify_fast._seq_stated, rows)).count(1))
            t = clock("compare hashes, chain (one string each), seq flags", t)
            del rows
            t = clock("free the rows", t)
            levels = verify_fast._levels(digests)
            t = clock("rebuild the subtree level by level", t)
            count, blob, labels = db.fetchall(db.nodes_sql, (start, LEDGER_LOG, chunk.id_after, chunk.id_last))[0]
            t = clock("stored nodes: one aggregate (hashes + labels)", t)
            order, local = verify_fast._post_order(stop - start)
            _ = labels.startswith(verify_fast._labels(stop - start)) and bytes(blob)[:32 * local] == b"".join(
                order(list(verify_fast.chain.from_iterable(levels))))
            clock("compare nodes in append order", t)
    finally:
        if collecting:
            gc.enable()
    plain = "fetch body, entry_hash, prev (raw cursor)"
    total = sum(steps.values()) - steps[plain]
    total_wall = sum(walls.values()) - walls[plain]
    print("      CPU     wall")
    for name, seconds in steps.items():
        print(f"  {seconds:7.2f}  {walls[name]:7.2f} s  {name}")
    print(f"  {total:7.2f}  {total_wall:7.2f} s  sum of the steps of the fast path ({n / total:,.0f} entries "
          "per CPU second; the fetch without the check is shown for comparison, not added)")
    out.seek(0)
    return {"steps_cpu_seconds": steps, "steps_wall_seconds": walls, "cprofile_top": out.getvalue()}


if __name__ == "__main__":
    sys.exit(main())
