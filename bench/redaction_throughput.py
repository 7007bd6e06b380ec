"""Benchmark: `redact()` throughput on Chinese facts text holding 20 personal values.

Generates about 1 MB (``--mb``) of realistic Chinese enforcement text — inspection notes,
interview excerpts, witness statements — in which 20 personal values of the case are embedded
the way officers type them: names, resident ID numbers (plain, with spaces, full-width digits,
lower-case ``x``), mobile and landline numbers (``138-0013-8000``, ``+86 139…``), home
addresses (full and without the district prefix), two Luhn-valid bank cards (grouped by 4),
an e-mail and a property-title certificate number. The 20 values are handed to `redact()` as
the case's known values (as the publication service does), so (a) known-value matching,
(b) the pattern detectors and the merging of marks all run.

Timed (best of ``--repeat``, default 3):

* `redact()` of one record whose ``facts`` is the whole text (one big field), and of the same
  text cut into ~2 KB records (many ordinary fields, closer to real decisions);
* baseline: one compiled ``re`` alternation of the 20 literal values, ``sub`` over the same
  text — the floor of "find these strings and replace them", with none of redact's variant
  spellings, partial numbers, patterns or marks.

Goal: redact ≥ 5 MB/s (UTF-8 bytes of input per second). The ratio printed is
redact MB/s / baseline MB/s. The script checks that no value is left in the output
(exit 1 otherwise).

    .venv/bin/python bench/redaction_throughput.py            # ~1 MB
    .venv/bin/python bench/redaction_throughput.py --quick    # ~100 KB smoke run
    .venv/bin/python bench/redaction_throughput.py --profile  # + where the time goes
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

GOAL_MB_S = 5.0
TODAY = dt.date(2026, 11, 20)


def id_number(first17: str) -> str:
    from sanxiang.core.identifiers import id_check_char

    return first17 + id_check_char(first17)


def luhn(prefix: str) -> str:
    digits = [int(c) for c in prefix]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return prefix + str((10 - total % 10) % 10)


def personal_values() -> list[tuple[str, str]]:
    """The 20 (category, value) of the case."""
    return [
        ("party_name", "李建国"), ("other_person_name", "王小明"), ("other_person_name", "赵大勇"),
        ("other_person_name", "欧阳秀英"), ("other_person_name", "陈志强"),
        ("id_number", id_number("31011519800101123")), ("id_number", id_number("31010119900307456")),
        ("id_number", id_number("32058319751111002")),
        ("phone", "13800138000"), ("phone", "13912345678"), ("phone", "021-58880000"), ("phone", "18621880099"),
        ("address", "上海市黄浦区瑞金二路8弄3号501室"), ("address", "上海市浦东新区张杨路1200号12楼"),
        ("address", "上海市闵行区莘庄镇七莘路1888弄22号"),
        ("bank_account", luhn("622202100100123456")), ("bank_account", luhn("621483021100778")),
        ("email", "lijianguo1980@163.com"), ("property_certificate", "沪2019浦字第012345号"),
        ("other_person_name", "孙丽华"),
    ]


_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def variants(category: str, value: str) -> list[str]:
    """How the value shows up in typed text."""
    if category == "id_number":
        return [value, f"{value[:6]} {value[6:14]} {value[14:]}", value.translate(_FULL), value.lower()]
    if category == "phone" and value.startswith("1"):
        return [value, f"{value[:3]}-{value[3:7]}-{value[7:]}", f"+86 {value}", f"{value[:3]} {value[3:7]} {value[7:]}"]
    if category == "bank_account":
        return [value, " ".join(value[i:i + 4] for i in range(0, len(value), 4))]
    if category == "address":
        return [value, value.split("区", 1)[-1]]
    return [value]


SENTENCES = (
    "执法人员于{d}对该公司进行现场检查，发现废气排放口颗粒物浓度超过《大气污染物综合排放标准》限值。",
    "经询问，{name}（身份证号码{id}，联系电话{phone}）承认活性炭吸附装置自{d}起停运。",
    "现场负责人{name}陪同检查，住址{addr}，其在现场检查笔录上签字确认。",
    "证人{name}称当日夜间听到设备异响，并提供了手机{phone}拍摄的视频。",
    "当事人通过账户{bank}缴纳了部分罚款，执法人员核对了银行回单。",
    "{name}的电子邮箱{email}收到了陈述申辩告知书的电子送达回执。",
    "厂房所在地块不动产权证书号为{cert}，由{name}提供复印件。",
    "监测报告编号HJ-2026-0{n}显示二氧化硫排放浓度为{n}毫克每立方米，超标{k}倍。",
    "执法人员调取了中控系统运行记录、环评批复文件和排污许可证副本，共计{n}页。",
    "依据《中华人民共和国大气污染防治法》第九十九条第二项，拟处罚款人民币{k}万元整。",
    "当事人在规定期限内未提出听证申请，于{d}提交书面陈述材料。",
    "复查时发现整改已完成，在线监测数据自{d}起稳定达标。",
)


def generate(target_bytes: int, seed: int = 2026) -> str:
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    values = personal_values()
    by_cat: dict[str, list[str]] = {}
    for cat, value in values:
        by_cat.setdefault("name" if cat.endswith("name") else cat, []).append(value)
    forms = {cat: [v for value in vals for v in variants(cat, value)] for cat, vals in by_cat.items()}
    parts, size = [], 0
    while size < target_bytes:
        s = rng.choice(SENTENCES).format(
            d=f"2026年{rng.randint(1, 11)}月{rng.randint(1, 28)}日", name=rng.choice(forms["name"]),
            id=rng.choice(forms["id_number"]), phone=rng.choice(forms["phone"]), addr=rng.choice(forms["address"]),
            bank=rng.choice(forms["bank_account"]), email=rng.choice(forms["email"]),
            cert=rng.choice(forms["property_certificate"]), n=rng.randint(10, 999), k=rng.randint(2, 9))
        parts.append(s)
        size += len(s.encode("utf-8"))
    return "".join(parts)


def best(fn, repeat: int) -> tuple[float, list[float], object]:
    runs, out = [], None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t0)
    return min(runs), runs, out


def profile(label: str, fn) -> None:
    """Run ``fn`` once under cProfile and print the 15 functions with the most own time."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(fn)
    print(f"\n--- profile: {label} (times inflated by the profiler) ---")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1.0, help="size of the generated text in MB (default 1)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 0.1 MB")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best counts (3)")
    parser.add_argument("--chunk", type=int, default=2048, help="bytes per record of the many-records run")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON to PATH")
    parser.add_argument("--profile", action="store_true",
                        help="afterwards, one more run of each workload under cProfile: the "
                             "functions with the most own time")
    args = parser.parse_args()
    mb = 0.1 if args.quick else args.mb

    from sanxiang.disclosure.rules.policy import DEFAULT_POLICY
    from sanxiang.disclosure.rules.redaction import KnownValue, redact

    text = generate(int(mb * 1_000_000))
    nbytes = len(text.encode("utf-8"))
    values = personal_values()
    known = [KnownValue(cat, value, f"bench {i}") for i, (cat, value) in enumerate(values)]
    print(f"machine: Python {sys.version.split()[0]}, {sys.platform}")
    print(f"text: {len(text):,} characters, {nbytes / 1e6:.2f} MB UTF-8, {len(values)} personal values "
          f"(names, 3 ID numbers, 4 phones, 3 addresses, 2 bank cards, e-mail, property certificate)")

    def one_field():
        return redact({"party_type": "organization", "party_name": "上海某某化工有限公司", "facts": text},
                      known=known, policy=DEFAULT_POLICY, free_text_fields=("facts",), hash_key=b"k" * 32,
                      today=TODAY)

    chunks, buf, size = [], [], 0
    for sentence in re.split(r"(?<=。)", text):
        buf.append(sentence)
        size += len(sentence.encode("utf-8"))
        if size >= args.chunk:
            chunks.append("".join(buf))
            buf, size = [], 0
    if buf:
        chunks.append("".join(buf))

    def many_records():
        return [redact({"party_type": "organization", "party_name": "上海某某化工有限公司", "facts": c},
                       known=known, policy=DEFAULT_POLICY, free_text_fields=("facts",), hash_key=b"k" * 32,
                       today=TODAY) for c in chunks]

    t_one, runs_one, result = best(one_field, args.repeat)
    out = result.public_record["facts"]
    t_many, runs_many, results = best(many_records, args.repeat)
    leftovers = [v for _, v in values if v in out or any(v in r.public_record["facts"] for r in results)]
    print(f"redact(), one {nbytes / 1e6:.2f} MB field: {t_one:.3f} s = {nbytes / t_one / 1e6:.2f} MB/s, "
          f"{len(result.marks):,} marks (best of {len(runs_one)}: {', '.join(f'{r:.3f}' for r in runs_one)} s)")
    print(f"redact(), {len(chunks):,} records of ~{args.chunk} B: {t_many:.3f} s = {nbytes / t_many / 1e6:.2f} MB/s "
          f"(best of {len(runs_many)}: {', '.join(f'{r:.3f}' for r in runs_many)} s)")

    pattern = re.compile("|".join(re.escape(v) for v in sorted((v for _, v in values), key=len, reverse=True)))
    t_base, runs_base, _ = best(lambda: pattern.sub("＊", text), max(3, args.repeat))
    print(f"baseline re alternation of the 20 literal values, sub over the same text: {t_base:.4f} s = "
          f"{nbytes / t_base / 1e6:.1f} MB/s (best of {len(runs_base)})")

    rate = nbytes / max(t_one, t_many) / 1e6
    ratio = (nbytes / t_one) / (nbytes / t_base)
    verdict = "meets" if rate >= GOAL_MB_S else "BELOW"
    print(f"ratio redact/baseline (one field) = {ratio:.3f} (redact is {t_one / t_base:.0f}x the baseline time)")
    print(f"slower of the two redact runs: {rate:.2f} MB/s ({verdict} the goal >= {GOAL_MB_S} MB/s)")
    if args.profile:
        profile("one field", one_field)
        profile(f"{len(chunks):,} records", many_records)
    if leftovers:
        print(f"FAILED: {len(leftovers)} personal values left in the output")
        return 1
    if args.json:
        Path(args.json).write_text(json.dumps({
            "benchmark": "redaction_throughput", "bytes": nbytes, "values": len(values),
            "one_field_seconds": t_one, "many_records_seconds": t_many, "records": len(chunks),
            "baseline_seconds": t_base, "mb_per_s": rate, "ratio": ratio, "goal_mb_per_s": GOAL_MB_S,
        }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
