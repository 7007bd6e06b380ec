"""Benchmark: evidence ingest (`blob_ingest`) of a large file against `sha256sum` of the same file.

Creates one file of random bytes (default 1 GiB, `os.urandom` in 8 MiB blocks) in a fresh
temporary directory, reads it once so that it sits in the page cache (caches cannot be dropped
without root; every run, the baseline's included, reads the file from the warm cache), then
times, in interleaved rounds (default 3), each run in its own child process:

* baseline: `sha256sum FILE` (GNU coreutils) as a subprocess, whole-process wall time;
* ingest (the product path): `sanxiang.records.services_evidence.blob_ingest(open(FILE, "rb"),
  max_bytes=size)` — chunks read from the file object, SHA-256 and SM3 updated in one pass,
  written to a temporary file under `SANXIANG_HOME/blobs/tmp/`, fsynced, sniffed, linked into
  the blob store under its SHA-256 name (directory fsynced), `Blob` row inserted;
* sha256+write: the same loop minus SM3, written here because `blob_ingest` has no switch for
  it — the same `_chunks` reader and chunk size, `sha256.update`, write to a store temporary
  file, head kept for sniffing, flush + fsync, `sniff`, `store.put` (link + directory fsync);
  only the one-row `Blob` insert is left out (it needs an SM3 value). Ingest minus this = the
  cost of SM3;
* sha256 (reference): raw `hashlib.sha256` over the file in 1 MiB chunks, nothing written;
* sm3, sha256+sm3 (references): raw `hashlib` SM3 alone, and both hashes in one pass, over the
  file in 1 MiB chunks, nothing written — the hashing ceiling of ingest with a free disk;
* write (reference): the ingest loop with no hashing at all (read, write, fsync, link) — the
  I/O floor of ingest on this file system.

Writing runs (ingest, sha256+write, write) get a fresh SANXIANG_HOME each — a copy, with an
empty blob store, of one home migrated with `python -m sanxiang migrate` at the start — so the
blob is never deduplicated; it is deleted after the run. The database is SQLite (DATABASE_URL
is ignored: the database sees one INSERT). Times of the Python runs are taken inside the child
around the call only (interpreter start-up and Django set-up excluded); `sha256sum`'s is its
process wall time (its start-up is about a millisecond).

Peak RSS of each run: the child's own VmHWM, read by the child at its end (exec resets it),
and its `ru_maxrss` from `os.wait4` (the rusage of that one child; `RUSAGE_CHILDREN` would be
the maximum over every child so far, `migrate` included). Linux floors a child's ru_maxrss at
the peak RSS of the process that spawned it, so the spawning process allocates nothing big
(the test file is written by a child) and prints its own peak.

Printed: MB/s (MB = 10^6 bytes), the ratio to `sha256sum` (throughput ratio = sha256sum time /
run time; best of the rounds, and median), peak RSS in MB, and the goals: ingest >= 0.5x
sha256sum with both hashes, peak RSS <= 100 MB. Every SHA-256 is checked against `sha256sum`'s,
SM3 between ingest and the references, and each stored blob's size; a mismatch exits with
status 1.

Full size, a few minutes on 2 cores (needs about 2 x size free in the temporary directory):

    .venv/bin/python bench/evidence_ingest.py

Smoke run (64 MiB): `.venv/bin/python bench/evidence_ingest.py --quick`.
Options: `--size 256MiB`, `--rounds R`, `--dir DIR` (where the file and the homes go; the
file system matters for the writing runs), `--profile` (one more ingest run under cProfile,
hash constructors wrapped so that SHA-256 and SM3 show apart, with a breakdown by line of
`blob_ingest`), `--json PATH`, `--keep` (keep the file and the work directory).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _ledger_data as data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 0.5
GOAL_RSS_MB = 100.0
GEN_BLOCK = 8 * 1024 * 1024
REF_CHUNK = 1024 * 1024  # the raw hashing references read 1 MiB at a time
MB = 1e6

# (name, needs a fresh SANXIANG_HOME + Django, description)
VARIANTS = [
    ("ingest", True, "blob_ingest: SHA-256 + SM3 + temp write + fsync + link + Blob row (product path)"),
    ("sha256+write", True, "blob_ingest's loop minus SM3: SHA-256 + temp write + fsync + link"),
    ("sha256", False, "reference: hashlib.sha256, 1 MiB chunks, no write"),
    ("sm3", False, "reference: hashlib SM3, 1 MiB chunks, no write"),
    ("sha256+sm3", False, "reference: SHA-256 and SM3 in one pass, 1 MiB chunks, no write"),
    ("write", True, "reference: blob_ingest's loop with no hashing: read + write + fsync + link"),
]
NEEDS_HOME = {name: home for name, home, _ in VARIANTS}


# --------------------------------------------------------------------------- helpers

def parse_size(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(i?B?)\s*", text, re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 1GiB, 64MiB, 1000000)")
    number, unit, suffix = match.groups()
    binary = suffix.lower().startswith("i") or not suffix  # "1G" = 1 GiB, "1GB" = 10^9
    base = 1024 if binary else 1000
    value = int(number) * base ** " KMGT".index(unit.upper() or " ")
    if value <= 0:
        raise argparse.ArgumentTypeError("the size must be positive")
    return value


def human(n: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= factor and n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n:,} bytes"


def cpu_model() -> str:
    model, sha_ni = platform.processor() or "?", False
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return model
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    if found:
        model = found.group(1).strip()
    flags = re.search(r"^(flags|Features)\s*:\s*(.+)$", text, re.MULTILINE)
    if flags:
        words = flags.group(2).split()
        sha_ni = "sha_ni" in words or "sha2" in words
    return f"{model} (SHA extensions: {'yes' if sha_ni else 'no'})"


def file_system(path: Path) -> str:
    """Mount point, type and device of the file system holding `path` (from /proc/mounts)."""
    best = ("?", "?", "?")
    try:
        lines = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "?"
    target = str(path.resolve())
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        device, mount, fstype = parts[0], parts[1].replace("\\040", " "), parts[2]
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best[0] if best[0] != "?" else ""):
            best = (mount, fstype, device)
    return f"{best[1]} on {best[2]} mounted at {best[0]}"


def run_child(cmd: list[str], env: dict, *, capture: bool = False) -> tuple[int, float, dict, str]:
    """Run `cmd`; return (exit code, wall seconds, its own rusage as a dict, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT,  # noqa: S603 - our own argv
                            stdout=subprocess.PIPE if capture else None)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = ""
    if capture:
        out = proc.stdout.read().decode()
        proc.stdout.close()
    rusage = {"maxrss_kib": usage.ru_maxrss, "user": usage.ru_utime, "sys": usage.ru_stime}
    return proc.returncode, wall, rusage, out


def child_env(home: Path | None) -> dict:
    env = os.environ.copy()
    env.pop("DATABASE_URL", None)
    env["SANXIANG_DEBUG"] = "0"
    env["DJANGO_SETTINGS_MODULE"] = "sanxiang.conf.base"
    if home is not None:
        env["SANXIANG_HOME"] = str(home)
    return env


# --------------------------------------------------------------------------- parent

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=parse_size, default=1024**3,
                        help="size of the test file: 1GiB (default), 64MiB, 1000000 ...")
    parser.add_argument("--quick", action="store_true", help="smoke run: 64 MiB")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds; every variant and the baseline run once per round (3)")
    parser.add_argument("--dir", metavar="DIR", help="parent of the work directory (default: the system temp dir)")
    parser.add_argument("--profile", action="store_true",
                        help="also run blob_ingest once under cProfile and break its time down by line")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON to PATH")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (the test file) and print where")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    size = 64 * 1024**2 if args.quick else args.size
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    sha256sum = shutil.which("sha256sum")
    if not sha256sum:
        raise SystemExit("sha256sum (GNU coreutils) not found: it is the baseline")

    parent = Path(args.dir).expanduser().resolve() if args.dir else Path(tempfile.gettempdir())
    free = shutil.disk_usage(parent).free
    need = 2 * size + 256 * 1024**2  # the test file + one blob at a time + margin
    if free < need:
        raise SystemExit(f"not enough space in {parent}: {free / 1024**3:.1f} GiB free, "
                         f"need about {need / 1024**3:.1f} GiB")
    work = Path(tempfile.mkdtemp(prefix="sanxiang-bench-ingest-", dir=parent))
    try:
        return run(args, size, work, sha256sum)
    finally:
        if args.keep:
            print(f"kept work directory: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args, size: int, work: Path, sha256sum: str) -> int:
    print(f"machine: {data.machine()}")
    print(f"cpu: {cpu_model()}")
    print(f"hashing: {ssl.OPENSSL_VERSION} (hashlib); sha256sum: {coreutils_version(sha256sum)}")
    print(f"work directory: {work} ({file_system(work)})")
    print(f"at start: {data.load()}")
    print(f"evidence_ingest: file of {human(size)} ({size / MB:,.1f} MB), {args.rounds} interleaved rounds")

    # The file is written by a child process: this process spawns every measured run, and a
    # child's ru_maxrss starts from its spawner's peak RSS, so this one stays small.
    source = work / "input.bin"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", "generate",  # noqa: S603
                    "--file", str(source), "--size", str(size)], check=True, cwd=ROOT)
    t_gen = time.perf_counter() - t0
    # Warm the page cache: caches cannot be dropped here, so every run reads a cached file.
    t0 = time.perf_counter()
    with open(source, "rb", buffering=0) as fh:
        buf = bytearray(REF_CHUNK)
        while fh.readinto(buf):
            pass
    del buf
    t_warm = time.perf_counter() - t0
    print(f"test file: os.urandom in {human(GEN_BLOCK)} blocks, written in {t_gen:.1f} s; "
          f"read once to warm the page cache ({size / t_warm / MB:,.0f} MB/s) — all runs below read "
          f"it from the page cache (dropping caches needs root)")
    template = work / "home-template"
    template.mkdir()
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sanxiang", "migrate", "--verbosity", "0"],
                   check=True, env=child_env(template), cwd=ROOT)
    print(f"SANXIANG_HOME template migrated in {time.perf_counter() - t0:.1f} s; every writing run "
          "gets its own fresh copy (empty blob store), deleted after the run")

    runs: dict[str, list[dict]] = {"sha256sum": []}
    for name, _home, _ in VARIANTS:
        runs[name] = []
    expected: str | None = None
    chunk_size = None
    failures: list[str] = []
    for rnd in range(1, args.rounds + 1):
        code, wall, usage, out = run_child([sha256sum, str(source)], child_env(None), capture=True)
        if code != 0:
            raise SystemExit(f"sha256sum failed with status {code}")
        digest = out.split()[0]
        if expected is None:
            expected = digest
        elif digest != expected:
            failures.append(f"round {rnd}: sha256sum gave {digest}, earlier {expected}")
        runs["sha256sum"].append({"seconds": wall, **usage})
        line = [f"round {rnd}: sha256sum {wall:.3f} s"]
        for name, needs_home, _ in VARIANTS:
            result = measure(name, needs_home, source, size, work, f"{name}-{rnd}", template)
            runs[name].append(result)
            chunk_size = result.get("chunk", chunk_size)
            if result.get("problem"):
                failures.append(f"round {rnd} {name}: {result['problem']}")
            line.append(f"{name} {result['seconds']:.3f} s")
        print(", ".join(line), flush=True)
    sm3_values = {r["sm3"] for name in runs for r in runs[name] if "sm3" in r}
    if len(sm3_values) != 1:
        failures.append(f"SM3 digests differ between runs: {sorted(sm3_values)}")
    for name in runs:
        for rnd, r in enumerate(runs[name], 1):
            if "sha256" in r and r["sha256"] != expected:
                failures.append(f"round {rnd} {name}: sha256 {r['sha256']} != sha256sum's {expected}")
            if "stored" in r and not r["stored"]:
                failures.append(f"round {rnd} {name}: the blob was deduplicated, not stored")
            if "size" in r and r["size"] != size:
                failures.append(f"round {rnd} {name}: size {r['size']} != {size}")

    base = [r["seconds"] for r in runs["sha256sum"]]
    t_base = min(base)
    print()
    print(f"blob_ingest reads and writes in chunks of {chunk_size:,} bytes "
          f"({human(chunk_size)}; services_evidence.CHUNK)" if chunk_size else
          "blob_ingest chunk size: not reported")
    print(f"{'run':<14} {'best s':>7} {'median s':>8} {'MB/s':>6} {'ratio':>7} {'paired':>7} "
          f"{'cpu s':>6} {'MB/cpu-s':>8} {'cpu ratio':>9} {'peak RSS MB':>11} {'ru_maxrss':>9}  what")
    base_cpu = [r["user"] + r["sys"] for r in runs["sha256sum"]]
    rows = {}
    for name in ["sha256sum"] + [v[0] for v in VARIANTS]:
        secs = [r["seconds"] for r in runs[name]]
        best, median = min(secs), statistics.median(secs)
        ru_maxrss = max(r["maxrss_kib"] for r in runs[name]) * 1024 / MB
        own = [r["peak_rss_mb"] for r in runs[name] if "peak_rss_mb" in r]
        rss = max(own) if own else None
        ratio = t_base / best
        # paired: each round's sha256sum time / that round's run time (neighbours in time, so
        # drifting load hits both), median over the rounds; cpu ratio the same with CPU time.
        paired = statistics.median(b / r for b, r in zip(base, secs, strict=True))
        cpus = [r["user"] + r["sys"] if name == "sha256sum" else r["cpu"] for r in runs[name]]
        cpu = statistics.median(cpus)
        cratio = statistics.median(b / max(c, 1e-9) for b, c in zip(base_cpu, cpus, strict=True))
        what = "baseline: sha256sum FILE, process wall time" if name == "sha256sum" else \
            next(d for n, _h, d in VARIANTS if n == name)
        print(f"{name:<14} {best:7.3f} {median:8.3f} {size / best / MB:6.0f} {ratio:6.3f}x "
              f"{paired:6.3f}x {cpu:6.2f} {size / max(cpu, 1e-9) / MB:8.0f} {cratio:8.3f}x "
              f"{'-' if rss is None else f'{rss:.1f}':>11} {ru_maxrss:9.1f}  {what}")
        rows[name] = {"best_seconds": best, "median_seconds": median, "runs_seconds": secs,
                      "mb_per_s": size / best / MB, "ratio": ratio, "paired_ratio": paired,
                      "cpu_seconds": cpus, "median_cpu_seconds": cpu, "cpu_ratio": cratio,
                      "mb_per_cpu_s": size / max(cpu, 1e-9) / MB,
                      "peak_rss_mb": rss, "ru_maxrss_mb": ru_maxrss,
                      "rss_before_call_mb": max(r.get("rss_before_mb", 0.0) for r in runs[name])}
    spawner = _rss_mb()[1]
    print("(ratio = sha256sum best time / run best time, i.e. throughput relative to sha256sum; "
          "paired = median over the rounds of that round's sha256sum time / run time.\n"
          " cpu s = median user+sys CPU time of the call (sha256sum: of the process); below the wall "
          "time when the run waits for the disk or for a CPU taken by other processes; MB/cpu-s = "
          "throughput per CPU second; cpu ratio = paired ratio of CPU times: insensitive to other "
          "load, blind to I/O waits.\n"
          " peak RSS = the child's VmHWM read by itself at its end (exec resets it), largest over "
          "the rounds; ru_maxrss = the child's rusage from os.wait4, which Linux floors at the "
          f"spawning process's peak RSS ({spawner:.1f} MB here): exact only above that, "
          "sha256sum's real peak is a few MB.)")

    ing, sw = rows["ingest"], rows["sha256+write"]
    ing_rss = max(ing["peak_rss_mb"], ing["ru_maxrss_mb"])
    sm3_wall = statistics.median(a - b for a, b in zip(ing["runs_seconds"], sw["runs_seconds"], strict=True))
    sm3_cpu = statistics.median(a - b for a, b in zip(ing["cpu_seconds"], sw["cpu_seconds"], strict=True))
    print()
    print(f"cost of SM3 inside ingest (ingest - sha256+write, median over rounds): {sm3_wall:.3f} s of "
          f"{ing['median_seconds']:.3f} s wall ({sm3_wall / ing['median_seconds']:.0%}), {sm3_cpu:.2f} s "
          f"of {ing['median_cpu_seconds']:.2f} s CPU ({sm3_cpu / ing['median_cpu_seconds']:.0%})")
    print(f"per CPU second: raw SM3 {rows['sm3']['mb_per_cpu_s']:,.0f} MB, raw SHA-256 (OpenSSL) "
          f"{rows['sha256']['mb_per_cpu_s']:,.0f} MB, sha256sum {rows['sha256sum']['mb_per_cpu_s']:,.0f} MB "
          f"— SM3 is {rows['sha256']['mb_per_cpu_s'] / rows['sm3']['mb_per_cpu_s']:.1f}x the CPU of "
          f"hashlib's SHA-256 and {rows['sha256sum']['mb_per_cpu_s'] / rows['sm3']['mb_per_cpu_s']:.2f}x "
          "that of sha256sum")
    print(f"ceiling with a free disk (both hashes, nothing written): {rows['sha256+sm3']['paired_ratio']:.3f}x "
          f"sha256sum (paired; CPU {rows['sha256+sm3']['cpu_ratio']:.3f}x); I/O floor (no hashing): "
          f"write {rows['write']['paired_ratio']:.3f}x sha256sum (paired; best {rows['write']['mb_per_s']:,.0f} MB/s)")
    print(f"memory: the ingest child holds {ing['rss_before_call_mb']:.1f} MB RSS before the call "
          f"(Python + Django + sanxiang imported, settings loaded); blob_ingest of {human(size)} adds "
          f"{ing['peak_rss_mb'] - ing['rss_before_call_mb']:.1f} MB on top")
    verdict_ratio = "meets" if ing["ratio"] >= GOAL_RATIO else "BELOW"
    verdict_rss = "meets" if ing_rss <= GOAL_RSS_MB else "ABOVE"
    print(f"goal throughput: ingest (SHA-256 + SM3) = {ing['ratio']:.3f}x sha256sum, best of "
          f"{args.rounds} (paired {ing['paired_ratio']:.3f}x, CPU time {ing['cpu_ratio']:.3f}x) — "
          f"{verdict_ratio} the goal >= {GOAL_RATIO}x; SHA-256 only (sha256+write) = "
          f"{sw['ratio']:.3f}x (paired {sw['paired_ratio']:.3f}x, CPU time {sw['cpu_ratio']:.3f}x)")
    print(f"goal memory: ingest peak RSS {ing_rss:.1f} MB for {human(size)} (whole process) — "
          f"{verdict_rss} the goal <= {GOAL_RSS_MB:.0f} MB")

    result = {"benchmark": "evidence_ingest", "size": size, "rounds": args.rounds,
              "machine": data.machine(), "cpu": cpu_model(), "openssl": ssl.OPENSSL_VERSION,
              "file_system": file_system(work), "chunk": chunk_size, "sha256": expected,
              "spawner_peak_rss_mb": spawner,
              "results": rows, "runs": runs, "goal_ratio": GOAL_RATIO, "goal_rss_mb": GOAL_RSS_MB}
    if args.profile:
        print("\n--- cProfile of one blob_ingest run (fresh SANXIANG_HOME; SHA-256 and SM3 "
              "constructors wrapped so they show apart; profiling adds a little per call)")
        prof = measure("ingest", True, source, size, work, "profile", template, profile=True)
        print(prof.get("profile", prof.get("problem", "no profile")), end="")
        result["profile"] = prof.get("profile")
    print(f"\nat end: {data.load()}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    if failures:
        print("CHECKS FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(f"checks: every SHA-256 equals sha256sum's ({expected[:16]}...), SM3 of ingest equals "
          "the reference's, blobs stored at their full size")
    return 0


def coreutils_version(path: str) -> str:
    """First line of `--version`, and whether the binary links OpenSSL's libcrypto (which
    would give it SHA-NI); GNU coreutils built without it uses its own portable C SHA-256."""
    try:
        out = subprocess.run([path, "--version"],  # noqa: S603 - found with shutil.which
                             capture_output=True, text=True, check=True).stdout
        links = b"libcrypto" in Path(path).read_bytes()
    except (OSError, subprocess.CalledProcessError):
        return path
    first = out.splitlines()[0] if out else path
    return f"{first}, {'linked to libcrypto' if links else 'own C SHA-256, not linked to OpenSSL'}"


def measure(name: str, needs_home: bool, source: Path, size: int, work: Path, tag: str,
            template: Path, *, profile: bool = False) -> dict:
    """One run of `name` in a fresh child process (and a fresh copy of the migrated home)."""
    home = work / f"home-{tag}" if needs_home else None
    result_path = work / f"result-{tag}.json"
    try:
        if home is not None:
            shutil.copytree(template, home)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--file", str(source),
               "--result", str(result_path)]
        if profile:
            cmd.append("--profile")
        code, wall, usage, _ = run_child(cmd, child_env(home))
        if code != 0:
            raise SystemExit(f"the {name} run failed with status {code}")
        result = json.loads(result_path.read_text())
        result.update(usage)
        result["process_wall_seconds"] = wall
        if "blob" in result:
            blob = home / "blobs" / result["blob"]
            if not blob.is_file() or blob.stat().st_size != size:
                result["problem"] = f"blob {blob} missing or of the wrong size"
        return result
    finally:
        result_path.unlink(missing_ok=True)
        if home is not None:
            shutil.rmtree(home, ignore_errors=True)


# --------------------------------------------------------------------------- child

def _rss_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, number = line.split()[:2]
            values[key] = int(number) * 1024 / MB
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0)


def child(args) -> int:
    name, path = args.child, args.file
    if name == "generate":
        with open(path, "wb") as fh:
            left = args.size
            while left:
                block = os.urandom(min(GEN_BLOCK, left))
                fh.write(block)
                left -= len(block)
        return 0
    size = os.path.getsize(path)
    result: dict = {"variant": name}
    if NEEDS_HOME[name]:
        import django

        django.setup()
        from sanxiang.records import services_evidence

        result["chunk"] = services_evidence.CHUNK
    rss_before = _rss_mb()[0]
    result["rss_before_mb"] = rss_before
    cpu0 = os.times()
    if args.profile:
        result["profile"] = _profile_ingest(path, size)
        result["seconds"] = 0.0
    else:
        t0 = time.perf_counter()
        result.update(VARIANT_FUNCS[name](path, size))
        result["seconds"] = time.perf_counter() - t0
    cpu1 = os.times()
    result["cpu"] = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    result["peak_rss_mb"] = _rss_mb()[1]  # VmHWM: this process's own peak, reset by exec
    Path(args.result).write_text(json.dumps(result))
    return 0


def _ingest(path: str, size: int) -> dict:
    from sanxiang.records.services_evidence import blob_ingest

    with open(path, "rb") as fh:
        info = blob_ingest(fh, max_bytes=size)
    return {"sha256": info.sha256, "sm3": info.sm3, "size": info.size, "stored": info.stored,
            "content_type": info.content_type, "blob": info.sha256}


def _ingest_loop(path: str, size: int, *, sha256: bool) -> dict:
    """`blob_ingest` minus SM3 (and minus hashing altogether with sha256=False), no Blob row."""
    from sanxiang.records import blobs
    from sanxiang.records.services_evidence import _chunks
    from sanxiang.records.sniff import HEAD_BYTES, sniff

    sha = hashlib.sha256() if sha256 else None
    count = 0
    head = bytearray()
    store = blobs.blob_store()
    with open(path, "rb") as src, blobs.temp_file() as (fh, tmp):
        for chunk in _chunks(src):
            count += len(chunk)
            if count > size:
                raise RuntimeError("over the limit")
            if sha is not None:
                sha.update(chunk)
            fh.write(chunk)
            if len(head) < HEAD_BYTES:
                head += chunk[:HEAD_BYTES - len(head)]
        fh.flush()
        os.fsync(fh.fileno())
        # Without a hash the blob still needs a name: a fixed one (the home is fresh).
        digest = sha.hexdigest() if sha is not None else "0" * 64
        content_type = sniff(bytes(head), tmp)
        stored = store.put(digest, tmp)
    out = {"size": count, "stored": stored, "content_type": content_type, "blob": digest}
    if sha is not None:
        out["sha256"] = digest
    return out


def _hash_only(path: str, names: tuple[str, ...]) -> dict:
    hashers = [hashlib.sha256() if n == "sha256" else hashlib.new(n) for n in names]
    updates = [h.update for h in hashers]
    with open(path, "rb") as fh:
        read = fh.read
        while chunk := read(REF_CHUNK):
            for update in updates:
                update(chunk)
    return {n: h.hexdigest() for n, h in zip(names, hashers, strict=True)}


VARIANT_FUNCS = {
    "ingest": _ingest,
    "sha256+write": lambda p, s: _ingest_loop(p, s, sha256=True),
    "sha256": lambda p, s: _hash_only(p, ("sha256",)),
    "sm3": lambda p, s: _hash_only(p, ("sm3",)),
    "sha256+sm3": lambda p, s: _hash_only(p, ("sha256", "sm3")),
    "write": lambda p, s: _ingest_loop(p, s, sha256=False),
}


def _profile_ingest(path: str, size: int) -> str:
    """cProfile of blob_ingest with SHA-256 and SM3 told apart; a breakdown by source line."""
    import cProfile
    import inspect
    import io
    import pstats

    from sanxiang.records import blobs, services_evidence

    real_sha256, real_new = hashlib.sha256, hashlib.new

    class SHA256:
        def __init__(self, *a, **k):
            self._h = real_sha256(*a, **k)

        def update(self, data):
            self._h.update(data)

        def hexdigest(self):
            return self._h.hexdigest()

        def digest(self):
            return self._h.digest()

    class SM3:
        def __init__(self):
            self._h = real_new("sm3")

        def update(self, data):
            self._h.update(data)

        def hexdigest(self):
            return self._h.hexdigest()

    def new(name, *a, **k):
        return SM3() if str(name).lower() == "sm3" else real_new(name, *a, **k)

    profiler = cProfile.Profile()
    hashlib.sha256, hashlib.new = SHA256, new
    try:
        with open(path, "rb") as fh:
            t0 = time.perf_counter()
            profiler.enable()
            services_evidence.blob_ingest(fh, max_bytes=size)
            profiler.disable()
            total = time.perf_counter() - t0
    finally:
        hashlib.sha256, hashlib.new = real_sha256, real_new

    stats = pstats.Stats(profiler)
    ingest_code = services_evidence.blob_ingest.__code__
    ingest_key = (ingest_code.co_filename, ingest_code.co_firstlineno, ingest_code.co_name)
    lines, first = inspect.getsourcelines(services_evidence.blob_ingest)

    def line_of(text: str) -> str:
        for offset, source_line in enumerate(lines):
            if text in source_line:
                return f"services_evidence.py:{first + offset}  {source_line.strip()}"
        return text

    def key_of(func) -> tuple:
        code = func.__code__
        return (code.co_filename, code.co_firstlineno, code.co_name)

    # What blob_ingest calls directly, with the time spent under each call site.
    labels = {
        key_of(SHA256.update): line_of("sha.update(chunk)"),
        key_of(SM3.update): line_of("sm3.update(chunk)"),
        key_of(services_evidence._chunks): line_of("_chunks(stream)") + "  (file reads)",
        ("~", 0, "<method 'write' of '_io.BufferedRandom' objects>"): line_of("fh.write(chunk)"),
        ("~", 0, "<built-in method posix.fsync>"): line_of("os.fsync(fh.fileno())"),
        key_of(blobs.LocalBlobStore.put): line_of("store.put(digest, path)") + "  (link + dir fsync)",
        key_of(services_evidence._blob_row): "services_evidence.py  _blob_row(info)  (Blob row INSERT)",
    }
    rows = []
    accounted = 0.0
    for key, (_cc, _nc, _tt, _ct, callers) in stats.stats.items():
        if ingest_key in callers or key in (key_of(SHA256.update), key_of(SM3.update)):
            ct = sum(c[3] for c in callers.values()) if key in (key_of(SHA256.update),
                                                                  key_of(SM3.update)) else callers[ingest_key][3]
            label = labels.get(key, pstats.func_std_string(key))
            rows.append((ct, label))
            accounted += ct
    rows.sort(reverse=True)
    out = io.StringIO()
    out.write(f"profiled blob_ingest: {total:.3f} s wall ({size / total / MB:,.0f} MB/s)\n")
    out.write("time under each call site of blob_ingest (cumulative, seconds, share of the wall time):\n")
    for ct, label in rows:
        if ct >= 0.001 * total:
            out.write(f"  {ct:8.3f} s  {ct / total:6.1%}  {label}\n")
    out.write(f"  {total - accounted:8.3f} s  {(total - accounted) / total:6.1%}  "
              "blob_ingest's own lines (loop, size check, head slicing) and profiler overhead\n")
    out.write("\ntop functions by own time (pstats, tottime):\n")
    buf = io.StringIO()
    pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats("tottime").print_stats(12)
    text = buf.getvalue()
    start = text.find("   ncalls")
    out.write(text[start:] if start >= 0 else text)
    return out.getvalue().rstrip() + "\n"


if __name__ == "__main__":
    sys.exit(main())
