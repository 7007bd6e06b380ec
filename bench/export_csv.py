"""Benchmark: `sanxiang disclosure export --kind penalty --format csv` over 1,000,000 decisions.

Bulk-creates published penalty decisions (`PublicationItem` rows) in a fresh temporary
SANXIANG_HOME, then runs the real export command **in a child process** (the `sanxiang` CLI
entry point, writing to a file) at 10,000, 100,000 and 1,000,000 rows and reports, per size:

* rows/s of the export (wall time of the child, including Django start-up);
* peak RSS of the exporting process (`VmHWM` of the child itself, Linux) — the export streams
  (`QuerySet.iterator(chunk_size)`), so this must stay flat as the row count grows; an export
  of 0 rows (`--kind permit`) gives the start-up floor.

Baseline (same run): Python's `csv.writer` writing the same rows, read back from the export
and held in memory as lists, to a file (only the writing loop is timed; at most 100,000 rows
are held). The ratio printed is export rows/s / baseline rows/s.

Set-up (fast path, not the services: publishing 1,000,000 decisions through
`publication_publish` would take hours): 60 decision templates — organisations and natural
persons, several penalty types — are turned into public records by the real redaction engine
(`selectors`' `record_input` + `redact`) and display periods (`display_period_of`); each row
varies the decision number, dates and amounts and is inserted with `executemany`. 3% of the
rows are withdrawn, 2% ended, 5% corrected. A sample is then checked through the real
selectors (`public_decision`, `selectors_export.dsgs_row`) against the exported CSV; any
mismatch exits with status 1.

    .venv/bin/python bench/export_csv.py             # 10k, 100k, 1M rows
    .venv/bin/python bench/export_csv.py --quick     # 1k, 10k rows (smoke run)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _ledger_data as data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
BASELINE_MAX = 100_000
BATCH = 10_000

#: The child: the real CLI, then its peak RSS. VmHWM (not ru_maxrss: that one keeps the peak of
#: the forked copy of this parent across exec) is the high-water mark of the child's own memory.
CHILD = """
import runpy, sys, time
sys.argv = ["sanxiang", *sys.argv[1:]]
t0 = time.perf_counter()
try:
    runpy.run_module("sanxiang", run_name="__main__")
except SystemExit as exc:
    if exc.code not in (None, 0):
        raise
finally:
    hwm = [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")][0]
    sys.stderr.write(f"\\nBENCH {time.perf_counter() - t0:.6f} {hwm}\\n")
"""


# ---------------------------------------------------------------------------------- set-up


def templates(seed: int) -> list[dict]:
    """Decision data shaped like what the deciding service hands over (`source`)."""
    from sanxiang.disclosure.rules.tests.helpers import make_id, make_uscc

    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    out = []
    surnames, given = "张王李赵陈刘杨黄周吴", ("建国", "小明", "秀英", "志强", "丽华", "大勇")
    kinds = [("fine",), ("warning",), ("fine", "confiscation"), ("fine", "production_suspension"),
             ("revoke_license",), ("daily_continuous_fine",)]
    for i in range(60):
        person = i % 5 == 0
        name = rng.choice(surnames) + rng.choice(given)
        org = f"上海{rng.choice(('某某化工', '某某印染', '某某电镀', '某某物流'))}有限公司{i}"
        id_number = make_id(f"3101{rng.randint(10, 99)}19{rng.randint(60, 99)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
                            f"{rng.randint(100, 999)}")
        party = ({"type": "person", "name": name, "id_number": id_number, "address": "上海市黄浦区某路8弄3号501室",
                  "phone": f"139{rng.randint(10000000, 99999999)}"} if person else
                 {"type": "organization", "name": org, "uscc": make_uscc("91310115", f"{rng.randint(10**7, 10**8 - 1)}"),
                  "legal_representative": name, "address": "上海市浦东新区某路1号", "phone": "021-58880000"})
        types = kinds[i % len(kinds)]
        facts = (f"执法人员现场检查发现{'当事人' if person else org}废气排放口颗粒物浓度超过排放标准限值{rng.randint(2, 9)}倍，"
                 f"现场负责人{name}（电话{party['phone']}）在场并签字确认。" * 3)
        out.append({
            "kind": "penalty", "title": f"{'当事人' if person else org}超标排放大气污染物案",
            "legal_basis": "《中华人民共和国大气污染防治法》第九十九条", "facts": facts,
            "conclusion": "责令改正，并处罚款。", "penalty_types": list(types),
            "fine_amount": None if types == ("warning",) or types == ("revoke_license",) else "0",
            "confiscation_amount": "0" if "confiscation" in types else None,
            "unit": {"code": "pudong", "name": "上海市浦东新区生态环境局", "uscc": "11310115002500000X"},
            "parties": [party], "matter": {"name": "超标排放大气污染物"},
            "known": [{"category": "other_person_name", "value": name}, {"category": "phone", "value": party["phone"]}]
            + ([{"category": "id_number", "value": id_number}] if person else []),
        })
    return out


COLUMNS = None


def insert(start: int, count: int, temps: list[dict], seed: int) -> None:
    """Insert rows start .. start+count-1 (deterministic from `seed`)."""
    global COLUMNS
    from django.db import connection, transaction
    from django.utils import timezone

    from sanxiang.disclosure.models import PublicationItem
    from sanxiang.disclosure.rules.public_record import (
        FREE_TEXT_FIELDS,
        known_values,
        public_columns,
        record_input,
    )
    from sanxiang.disclosure.rules.redaction import redact
    from sanxiang.disclosure.selectors import display_period_of
    from sanxiang.records.ledger.canonical import canonical_json, sha256_hex

    fields = [f for f in PublicationItem._meta.concrete_fields if not f.primary_key]
    COLUMNS = [f.column for f in fields]
    names = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {PublicationItem._meta.db_table} ({names}) VALUES ({marks})"  # noqa: S608 - model metadata
    rng = random.Random(seed * 1_000_003 + start)  # noqa: S311 - reproducible data, not secrets
    now = timezone.now()
    cache: dict = {}
    rows = []
    for n in range(start, start + count):
        t = temps[n % len(temps)]
        decided = dt.date(2026, 4, 1) + dt.timedelta(days=n % 230)
        fine = f"{rng.randint(1, 500) * 1000}.00" if t["fine_amount"] is not None else None
        source = {**t, "decision_number": f"沪浦环罚〔2026〕{n + 1}号", "decided_on": decided.isoformat(),
                  "fine_amount": fine, "confiscation_amount": "8000.00" if t["confiscation_amount"] else None}
        key = (n % len(temps), decided)
        if key not in cache:  # the redaction of a template on a date: the real engine
            period = display_period_of(source, "penalty", decided)
            result = redact(record_input(source, display_until=period.expires_on), known=known_values(t["known"]),
                            free_text_fields=FREE_TEXT_FIELDS, today=decided)
            cache[key] = (period, result.public_record)
        period, record = cache[key]
        record = {**record, "decision_number": source["decision_number"]}
        if fine:
            record["fine_amount"] = fine
        text = canonical_json(record).decode("utf-8")
        roll = n % 100
        state = "withdrawn" if roll < 3 else "expired" if roll < 5 else "corrected" if roll < 10 else "published"
        at = now - dt.timedelta(seconds=(3_000_000 - n))
        values = {
            "subject": f"case:bench:{n}", "unit_code": "pudong", "decision_kind": "penalty",
            "title": t["title"], "decided_on": decided, "due_on": decided + dt.timedelta(days=9),
            "provisional": False, "time_limit": "{}", "state": state, "created_at": at,
            "source": json.dumps({k: v for k, v in source.items() if k != "known"}, ensure_ascii=False),
            "known_values": json.dumps(t["known"], ensure_ascii=False), "manual_redactions": "[]",
            "redaction_report": "{}", "public_id": f"b{n:09d}", "public_record": text,
            **public_columns(record), "record_sha256": sha256_hex(text.encode("utf-8")),
            "log_index": 2 * n, "version": 2 if state == "corrected" else 1, "published_at": at, "changed_at": at,
            "display_class": period.display_class, "display_period": json.dumps(period.as_dict(), ensure_ascii=False),
            "min_until": period.min_until, "expires_on": period.expires_on, "withdrawal_event": "",
            "withdrawal_event_on": None, "withdrawal_due_on": None, "withdrawal_due_provisional": False,
            "withdrawn_at": at if state == "withdrawn" else None,
            "withdrawal_reason": "行政复议决定撤销原处罚决定" if state == "withdrawn" else "",
            "ended_at": at if state == "expired" else None, "ended_early": False,
            "end_log_index": 2 * n + 1 if state in ("withdrawn", "expired") else None,
            "overdue_since": None, "withdrawal_overdue_since": None,
        }
        rows.append([connection.ops.adapt_datefield_value(values[c]) if isinstance(values[c], dt.date)
                     and not isinstance(values[c], dt.datetime) else
                     connection.ops.adapt_datetimefield_value(values[c]) if isinstance(values[c], dt.datetime)
                     else values[c] for c in COLUMNS])
        if len(rows) == BATCH:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            rows = []
    if rows:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)


# ---------------------------------------------------------------------------- measurement


def run_export(path: Path, kind: str = "penalty") -> tuple[float, int, float]:
    """(seconds in the child's CLI, peak RSS in MB, wall seconds) of one export into `path`."""
    t0 = time.perf_counter()
    command = [sys.executable, "-c", CHILD, "disclosure", "export", "--kind", kind, "--format", "csv",
               "--output", str(path)]
    proc = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(),  # noqa: S603 - fixed
                          cwd=ROOT)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"export failed: {proc.stderr[-2000:]}")
    line = [x for x in proc.stderr.splitlines() if x.startswith("BENCH ")][-1].split()
    return float(line[1]), int(line[2]) // 1024, wall


def baseline(path: Path, limit: int, out: Path) -> tuple[int, float]:
    """csv.writer writing the first `limit` exported rows, held in memory, to a file."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        rows = [row for _, row in zip(range(limit + 1), reader, strict=False)]
    loops = []
    for _ in range(3):
        t0 = time.perf_counter()
        with out.open("w", encoding="utf-8", newline="") as fh:
            fh.write("\ufeff")
            writer = csv.writer(fh, lineterminator="\r\n")
            for row in rows:
                writer.writerow(row)
        loops.append(time.perf_counter() - t0)
    return len(rows) - 1, min(loops)


def check_sample(path: Path, n: int, seed: int) -> list[str]:
    """A sample of the rows, through the real selectors, against the exported CSV."""
    from django.utils import timezone

    from sanxiang.core.errors import Gone
    from sanxiang.disclosure import selectors, selectors_export
    from sanxiang.disclosure.models import PublicationItem

    today = timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    wanted = {f"b{i:09d}" for i in rng.sample(range(n), min(200, n))}
    items = {i.record["decision_number"]: i for i in PublicationItem.objects.filter(public_id__in=wanted)}
    problems = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        found = {r["行政处罚决定书文号"]: r for r in csv.DictReader(fh) if r["行政处罚决定书文号"] in items}
    for number, item in items.items():
        if found.get(number) != selectors_export.dsgs_row("penalty", item):
            problems.append(f"{number}: exported row differs from selectors_export.dsgs_row")
        try:
            served = selectors.public_decision(item.public_id)
            if item.state not in ("published", "corrected") or served.record != item.record:
                problems.append(f"{number}: served while {item.state}")
        except Gone as exc:  # withdrawn or ended; or past its period before the sweep ran
            lapsed = item.expires_on is not None and item.expires_on <= today and exc.code == "expired"
            if not lapsed and (item.state not in ("withdrawn", "expired") or exc.code != item.state):
                problems.append(f"{number}: 410 {exc.code} while {item.state}")
        row = found.get(number) or {}
        person = (item.source.get("parties") or [{}])[0]
        if person.get("type") == "person" and person["id_number"] in "".join(row.values()):
            problems.append(f"{number}: a full ID number in the export")
    if len(items) != len(wanted):
        problems.append(f"sample: {len(items)} of {len(wanted)} items found")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 1,000 and 10,000 rows")
    parser.add_argument("--sizes", type=lambda s: tuple(int(x) for x in s.split(",")),
                        help="comma-separated row counts (default 10000,100000,1000000)")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON to PATH")
    data.add_environment_arguments(parser)
    args = parser.parse_args()
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)

    results = []
    with data.BenchEnvironment(home=args.home, keep=args.keep) as env:
        print(f"machine: {data.machine()}")
        print(f"database: {data.describe_database()}")
        print(f"at start: {data.load()}")
        temps = templates(args.seed)
        out_dir = Path(env.home) / "out"
        out_dir.mkdir(exist_ok=True)
        floor_s, floor_rss, _ = run_export(out_dir / "empty.csv", kind="permit")
        print(f"start-up floor (export of 0 rows): {floor_s:.2f} s, peak RSS {floor_rss} MB")
        have = 0
        for size in sorted(sizes):
            t0 = time.perf_counter()
            insert(have, size - have, temps, args.seed)
            t_build = time.perf_counter() - t0
            print(f"built {size - have:,} rows in {t_build:.1f} s ({(size - have) / t_build:,.0f} rows/s); "
                  f"total {size:,}")
            have = size
            path = out_dir / f"penalty-{size}.csv"
            seconds, rss, wall = run_export(path)
            mb = path.stat().st_size / 1e6
            problems = check_sample(path, size, args.seed)
            base_rows, base_s = baseline(path, min(size, BASELINE_MAX), out_dir / "baseline.csv")
            rate, base_rate = size / seconds, base_rows / base_s
            net = size / max(seconds - floor_s, 1e-9)
            print(f"export {size:>9,} rows: {seconds:7.2f} s = {rate:9,.0f} rows/s, {mb:7.1f} MB CSV, "
                  f"peak RSS {rss} MB (wall {wall:.2f} s; net of start-up {net:,.0f} rows/s); baseline csv.writer {base_rows:,} rows in memory "
                  f"{base_s:.3f} s = {base_rate:,.0f} rows/s; ratio export/baseline = {rate / base_rate:.3f}")
            if problems:
                print("FAILED sample check:\n  " + "\n  ".join(problems[:10]))
                return 1
            results.append({"rows": size, "seconds": seconds, "rows_per_second": rate, "net_rows_per_second": net,
                            "peak_rss_mb": rss,
                            "csv_mb": mb, "baseline_rows": base_rows, "baseline_seconds": base_s,
                            "ratio": rate / base_rate, "build_seconds": t_build})
            path.unlink()
        rss = [r["peak_rss_mb"] for r in results]
        sizes_text = ", ".join(f"{r['rows']:,}" for r in results)
        print(f"peak RSS over sizes {sizes_text}: {rss} MB "
              f"(start-up floor {floor_rss} MB; growth from smallest to largest {rss[-1] - rss[0]} MB)")
        print(f"at end: {data.load()}")
        if args.json:
            Path(args.json).write_text(json.dumps({"benchmark": "export_csv", "machine": data.machine(),
                                                   "database": data.describe_database(), "floor_rss_mb": floor_rss,
                                                   "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
