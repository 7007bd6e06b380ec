"""Benchmark: the public decision search at 1,000,000 published decisions (公示检索).

Generates N (default 1,000,000) synthetic published decisions in a fresh temporary
SANXIANG_HOME (and, with DATABASE_URL, a fresh PostgreSQL database), with the search index of
the database in use (SQLite FTS5 trigram / PostgreSQL pg_trgm GIN), then measures:

1. **Latency** of `GET /api/public/v1/decisions?q=…` (the real view, in-process through
   Django's test client: routing, validation, the selector, the count, the page, JSON), p50 /
   p95 / max over `--requests` requests per query class:
   * selective — a different company-name fragment per request (4–6 characters from the
     middle of the name), each found in a handful of decisions;
   * broad — common phrases of the fact texts (3+ characters), each in 10–60% of decisions;
   * short — two-character words (no trigram: answered without the index), for information;
   * filtered — a broad phrase with a district, a penalty type and a date range.
2. **Throughput** under concurrent load over real HTTP: gunicorn (`--workers`, default 2 =
   cores) serving the project; `--clients` client threads (keep-alive off, as browsers
   opening the portal) run for `--seconds` against (a) the search endpoint with selective
   queries, (b) the search endpoint with broad queries, and (c) a trivial Django view on the
   same server (`/healthz`, plain text "ok"): the baseline. The ratio printed is search
   requests/s ÷ trivial requests/s, measured in the same run.
3. **Cold queries.** The search keeps exact caches (the capped count of a search, what the
   index holds for a text: `disclosure.selectors_search`), so the query sets above, which
   repeat (10 broad phrases; 200 selective fragments cycled under load), measure *repeated*
   queries. Every request of the *cold* classes asks something not asked before in the run,
   so no cache entry can exist for it: **selective cold** — a company-name fragment never used
   before; **broad cold** — a broad phrase with a decision-date range never used before (both
   bounds move by a day at a time; every range keeps 60–100 % of the decisions). Both are
   measured for latency and for requests/s (fresh queries in every round), and both ratios
   are printed, labelled "repeated" and "cold". For information (latency only): **…
   published** — the selective and broad sets again with a publication's leaf appended to the
   public log before each request (every cache entry keyed by the log's state is then of an
   older state); **… uncached** — each of the four classes again with the whole cache emptied
   before each request (what a query costs when nothing about it, not even its text, was seen
   before).

The server runs with the settings of `sanxiang.conf.base` except the public API's rate limit,
which is switched off (`bench/_bench_settings.py`): the load comes from one address.

Goals (issue "Public portal"): p95 < 100 ms for the selective and the broad query; ratio ≥ 0.3.

Set-up (fast path: publishing 1,000,000 decisions through the services would take hours):
records are generated directly in their public form (organisations by name and credit code,
natural persons already masked as the redaction policy shows them) with realistic variety —
6 districts, 12 kinds of violation with their legal bases, 150,000 company names, numbers,
dates over three years — and inserted with `executemany` (SQLite; the trigram index is
filled by its triggers) or `COPY` (PostgreSQL; the GIN index is built after the load), then
`sanxiang db optimize` runs, as cron runs it nightly on a live site (planner statistics, the
search's trigram statistics).
Every row is a live decision (published or corrected, in its display period). A sample of the
answers is checked against a plain substring scan of the same rows (exit 1 on a difference).

    .venv/bin/python bench/portal_search.py                          # SQLite, 1,000,000
    scripts/with-postgres.sh .venv/bin/python bench/portal_search.py # PostgreSQL
    .venv/bin/python bench/portal_search.py --quick                  # 20,000 rows, smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _ledger_data as data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BATCH = 10_000
P95_GOAL_MS = 100.0
RATIO_GOAL = 0.3

# ------------------------------------------------------------------------------ generation

DISTRICTS = [("pudong", "上海市浦东新区生态环境局"), ("huangpu", "上海市黄浦区生态环境局"),
             ("xuhui", "上海市徐汇区生态环境局"), ("minhang", "上海市闵行区生态环境局"),
             ("jiading", "上海市嘉定区生态环境局"), ("city-corps", "上海市生态环境局执法总队")]
FIRST = "华恒金瑞信德泰鑫宏丰源通达盛嘉禾祥顺安凯东方新远博润永隆昌兴海天明辉正中"
SECOND = "科工实业贸易环保新材电子精密化学机械纺织包装印刷食品医药建材物流能源汽配模具五金涂装"
INDUSTRY = ["化工", "印染", "电镀", "涂装", "制药", "食品", "纸业", "金属制品", "塑料制品", "橡胶",
            "家具", "汽车零部件", "电子", "建材", "物流", "餐饮管理", "混凝土", "再生资源", "洗涤", "印刷"]
STREETS = ["张江路", "川沙路", "曹路", "金桥路", "康桥路", "周浦镇", "航头镇", "新场镇", "惠南镇", "老港镇",
           "漕河泾", "华泾镇", "龙华街道", "莘庄镇", "七宝镇", "梅陇镇", "江桥镇", "南翔镇", "安亭镇", "马陆镇"]
VIOLATIONS = [
    ("超标排放大气污染物", "《中华人民共和国大气污染防治法》第九十九条第二项",
     "废气排放口{p}浓度为{v}mg/m³，超过《大气污染物综合排放标准》限值{x}倍", ("fine",)),
    ("超标排放水污染物", "《中华人民共和国水污染防治法》第八十三条第二项",
     "废水总排口{p}浓度为{v}mg/L，超过《污水综合排放标准》三级标准限值{x}倍", ("fine",)),
    ("未按规定运行水污染防治设施", "《中华人民共和国水污染防治法》第八十三条第三项",
     "污水处理设施未正常运行，将未经处理的生产废水经雨水管网排入外环境，现场采样{p}浓度{v}mg/L", ("fine",)),
    ("危险废物贮存不规范", "《中华人民共和国固体废物污染环境防治法》第一百一十二条第一款第十二项",
     "危险废物贮存场所未设置识别标志，废矿物油与一般工业固体废物混合堆放约{v}吨", ("fine", "warning")),
    ("未批先建", "《中华人民共和国环境影响评价法》第三十一条第一款",
     "建设项目环境影响报告表未经批准即开工建设，已建成生产线{x}条并投入试生产", ("fine",)),
    ("未验先投", "《建设项目环境保护管理条例》第二十三条第一款",
     "配套建设的环境保护设施未经验收，主体工程已投入生产，生产规模约{v}吨/年", ("fine",)),
    ("无证排污", "《排污许可管理条例》第三十三条第一项",
     "未取得排污许可证排放{p}等污染物，现场检查时{x}台生产设备正在运行", ("fine", "production_suspension")),
    ("噪声超标", "《中华人民共和国噪声污染防治法》第七十五条",
     "厂界夜间噪声监测值为{v}分贝，超过《工业企业厂界环境噪声排放标准》{x}类标准", ("fine",)),
    ("逃避监管排放污染物", "《中华人民共和国水污染防治法》第八十三条第三项",
     "通过私设暗管方式排放含{p}废水，暗管长约{v}米", ("fine", "detention_transfer")),
    ("未落实扬尘污染防治措施", "《中华人民共和国大气污染防治法》第一百一十五条第一款第一项",
     "施工工地裸露土方约{v}平方米未覆盖，车辆出入口未设置冲洗设施", ("fine", "warning")),
    ("自动监测数据弄虚作假", "《中华人民共和国大气污染防治法》第一百条第三项",
     "篡改{p}自动监测设备参数，监测数据较实际排放偏低{x}倍", ("fine", "production_suspension")),
    ("露天焚烧", "《中华人民共和国大气污染防治法》第一百一十九条第二款",
     "在{s}附近露天焚烧生活垃圾及废塑料约{v}公斤", ("warning",)),
]
POLLUTANTS = ["颗粒物", "二氧化硫", "氮氧化物", "挥发性有机物", "化学需氧量", "氨氮", "总磷", "总镍", "六价铬",
              "苯系物", "石油类", "悬浮物"]
SURNAMES = "张王李赵陈刘杨黄周吴徐孙马朱胡郭何高林罗"


def company(k: int) -> str:
    a, b = FIRST[k % len(FIRST)], FIRST[(k // len(FIRST)) % len(FIRST)]
    c = SECOND[(k // 35 // 35) % len(SECOND)] + SECOND[(k // 35 // 35 // len(SECOND) + k) % len(SECOND)]
    return f"上海{a}{b}{c}{INDUSTRY[k % len(INDUSTRY)]}有限公司"


def make_record(n: int, rng: random.Random, companies: int) -> tuple[dict, str, dt.date]:
    """The public record of decision `n` (already in its public form) and its unit and date."""
    code, agency = DISTRICTS[n % len(DISTRICTS)]
    title, basis, fact, types = VIOLATIONS[rng.randrange(len(VIOLATIONS))]
    decided = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(1060))
    person = rng.random() < 0.15
    values = {"p": rng.choice(POLLUTANTS), "v": f"{rng.uniform(1, 900):.1f}", "x": str(rng.randint(2, 9)),
              "s": rng.choice(STREETS)}
    if person:
        name = rng.choice(SURNAMES) + "某"
        party = {"party_type": "person", "party_name": name}
        subject = "当事人"
    else:
        name = company(rng.randrange(companies))
        party = {"party_type": "organization", "party_name": name,
                 "uscc": f"91310{n % 100000:05d}{rng.randrange(10**7, 10**8)}", "legal_representative":
                 rng.choice(SURNAMES) + rng.choice("建国小明秀英志强丽华大勇")}
        subject = name
    fine = None if types == ("warning",) else f"{rng.randint(1, 200) * 5000}.00"
    facts = (f"{decided.year}年{decided.month}月{decided.day}日，执法人员对位于{rng.choice(STREETS)}"
             f"{rng.randint(1, 2000)}号的{subject}进行现场检查，发现{fact.format(**values)}。"
             f"上述行为有现场检查笔录、调查询问笔录、监测报告及现场照片等证据证实。")
    record = {
        **party, "decision_number": f"沪{code}环罚〔{decided.year}〕{n + 1}号", "decision_kind": "penalty",
        "title": f"{subject}{title}案", "legal_basis": basis, "facts": facts,
        "conclusion": "责令改正违法行为" + (f"，并处罚款人民币{int(float(fine))}元" if fine else "，给予警告") + "。",
        "penalty_types": list(types), "decided_on": decided.isoformat(),
        "display_until": (decided + dt.timedelta(days=3 * 366)).isoformat(), "agency": agency,
        "agency_uscc": "11310115002500000X",
    }
    if fine:
        record["fine_amount"] = fine
    return record, code, decided


def build(n: int, seed: int) -> float:
    """Insert `n` live decisions; return seconds."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from sanxiang.disclosure import search
    from sanxiang.disclosure.models import PublicationItem
    from sanxiang.disclosure.rules.public_record import penalty_type_text, public_columns
    from sanxiang.records.ledger.canonical import canonical_json, sha256_hex

    t0 = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    fields = [f for f in PublicationItem._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    now = timezone.now()
    companies = max(1000, n * 3 // 20)
    pg = connection.vendor == "postgresql"
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS disclosure_item_text_trgm")
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO disclosure_publicationitem ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    rows = []

    def flush() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if pg:
                with cursor.cursor.copy(f"COPY disclosure_publicationitem ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, rows)
        rows.clear()

    for i in range(n):
        record, code, decided = make_record(i, rng, companies)
        record["penalty_type"] = penalty_type_text(record["penalty_types"])
        text = canonical_json(record).decode("utf-8")
        at = now - dt.timedelta(seconds=n - i)
        state = "corrected" if i % 20 == 0 else "published"
        values = {
            "subject": f"case:bench:{i}", "unit_code": code, "decision_kind": "penalty", "title": record["title"],
            "decided_on": decided, "due_on": decided + dt.timedelta(days=9), "provisional": False,
            "time_limit": "{}", "state": state, "created_at": at, "source": "{}", "known_values": "[]",
            "manual_redactions": "[]", "redaction_report": "{}", "public_id": f"s{i:09d}", "public_record": text,
            **public_columns(record), "record_sha256": sha256_hex(text.encode("utf-8")), "log_index": i,
            "version": 2 if state == "corrected" else 1, "published_at": at, "changed_at": at,
            "display_class": "general", "display_period": "{}", "min_until": decided + dt.timedelta(days=365),
            "expires_on": decided + dt.timedelta(days=3 * 366), "withdrawal_event": "", "withdrawal_event_on": None,
            "withdrawal_due_on": None, "withdrawal_due_provisional": False, "withdrawn_at": None,
            "withdrawal_reason": "", "ended_at": None, "ended_early": False, "end_log_index": None,
            "overdue_since": None, "withdrawal_overdue_since": None,
        }
        if pg:
            rows.append([values[c] for c in columns])
        else:
            rows.append([connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime)
                         else connection.ops.adapt_datefield_value(v) if isinstance(v, dt.date)
                         else v for v in (values[c] for c in columns)])
        if len(rows) == BATCH:
            flush()
            if (i + 1) % 100_000 == 0:
                print(f"  {i + 1:,} rows ({time.perf_counter() - t0:.0f} s)", flush=True)
    if rows:
        flush()
    if pg:
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("CREATE INDEX disclosure_item_text_trgm ON disclosure_publicationitem "
                           "USING gin (UPPER(public_text) gin_trgm_ops)")
        print(f"  GIN trigram index built in {time.perf_counter() - t1:.0f} s", flush=True)
    del search  # the SQLite index was filled by its triggers
    t1 = time.perf_counter()
    out = io.StringIO()
    call_command("db", "optimize", stdout=out)  # what cron runs nightly on a live site
    print(f"  sanxiang db optimize ({time.perf_counter() - t1:.0f} s): {out.getvalue().strip()}", flush=True)
    return time.perf_counter() - t0


# ------------------------------------------------------------------------------- queries


BROAD_TERMS = ["现场检查", "有限公司", "监测报告", "责令改正违法行为", "挥发性有机物", "大气污染防治法",
               "并处罚款人民币", "雨水管网", "危险废物", "排放标准"]


def query_sets(n: int, seed: int, count: int) -> dict[str, list[dict]]:
    rng = random.Random(seed + 1)  # noqa: S311 - reproducible data, not secrets
    companies = max(1000, n * 3 // 20)
    selective = []
    for _ in range(count):
        name = company(rng.randrange(companies))  # "上海" + 2 + 2 + industry + "有限公司"
        start = rng.randint(2, 3)
        selective.append({"q": name[start:start + rng.randint(4, 6)]})
    broad_terms = BROAD_TERMS
    short_terms = ["废水", "噪声", "暗管", "焚烧", "扬尘", "验收"]
    broad = [{"q": broad_terms[i % len(broad_terms)]} for i in range(count)]
    short = [{"q": short_terms[i % len(short_terms)]} for i in range(count)]
    filtered = [{"q": broad_terms[i % len(broad_terms)], "unit": DISTRICTS[i % 5][0], "penalty_type": "fine",
                 "from": "2025-01-01", "to": "2025-12-31"} for i in range(count)]
    return {"selective": selective, "broad": broad, "short": short, "filtered": filtered}


class ColdQueries:
    """Queries never handed out before in this run (nor among `query_sets`): nothing the
    search may have cached for them exists (see the module docstring, "Cold queries")."""

    FIRST_DAY, LAST_DAY = dt.date(2024, 1, 2), dt.date(2026, 11, 26)  # decision dates of `make_record`

    def __init__(self, n: int, seed: int, used: dict[str, list[dict]]) -> None:
        self.rng = random.Random(seed + 2)  # noqa: S311 - reproducible data, not secrets
        self.companies = max(1000, n * 3 // 20)
        self.seen = {p["q"] for queries in used.values() for p in queries}
        self.broad_count = 0

    def selective(self, count: int) -> list[dict]:
        out = []
        for _ in range(count * 50):
            name = company(self.rng.randrange(self.companies))
            start = self.rng.randint(2, 3)
            q = name[start:start + self.rng.randint(4, 6)]
            if q not in self.seen:
                self.seen.add(q)
                out.append({"q": q})
                if len(out) == count:
                    return out
        raise SystemExit("ran out of unseen company-name fragments")

    def broad(self, count: int) -> list[dict]:
        """A broad phrase with a date range not used before: `from` moves first (over 200 days),
        then `to` (back from the last decision date); at most ~40 % of the span is cut off."""
        out = []
        for _ in range(count):
            k, self.broad_count = self.broad_count, self.broad_count + 1
            term, m = BROAD_TERMS[k % len(BROAD_TERMS)], k // len(BROAD_TERMS)
            if m >= 200 * 200:
                raise SystemExit("ran out of unseen date ranges")
            date_from = self.FIRST_DAY + dt.timedelta(days=m % 200)
            date_to = self.LAST_DAY - dt.timedelta(days=m // 200)
            out.append({"q": term, "from": date_from.isoformat(), "to": date_to.isoformat()})
        return out


def latency(queries: list[dict], *, uncached: bool = False, before=None) -> dict:
    """p50 / p95 / max of the search answering `queries`; `uncached`: Django's cache is emptied
    before each request (the search's own caches too: nothing of any earlier query helps);
    `before`: called before each request, untimed."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    settings.PUBLIC_API_RATE_LIMIT = 0  # as on the benchmark server (`_bench_settings`)
    client = Client(HTTP_HOST="127.0.0.1")
    times, totals = [], []
    for params in queries:
        if uncached:
            cache.clear()
        if before is not None:
            before()
        t0 = time.perf_counter()
        response = client.get("/api/public/v1/decisions", params)
        times.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"search {params} → {response.status_code}: {response.content[:300]!r}")
        totals.append(response.json()["total"])
    times.sort()
    return {"requests": len(times), "p50_ms": statistics.median(times),
            "p95_ms": times[min(len(times) - 1, int(len(times) * 0.95))], "max_ms": times[-1],
            "median_hits": statistics.median(totals)}


def report(label: str, r: dict, note: str) -> None:
    print(f"latency {label:20} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  max {r['max_ms']:7.1f} ms"
          f"  (median hits {r['median_hits']:,.0f}; {note})", flush=True)


class Publications:
    """Appends, one at a time, the public-log leaf of the next bench decision (the set-up
    inserts the decisions in their published form but appends no leaves): each is what a
    publication appends, and a new state of the log for every cache of the search."""

    def __init__(self) -> None:
        self.next = 0

    def __call__(self) -> None:
        from django.utils import timezone

        from sanxiang.disclosure.models import PublicationItem
        from sanxiang.disclosure.publiclog import public_log_append

        item = PublicationItem.objects.only("public_id", "record_sha256").get(public_id=f"s{self.next:09d}")
        public_log_append(action="publish", item=item.public_id, at=timezone.now(),
                          record_sha256=item.record_sha256, actor="bench")
        self.next += 1


def check_answers(queries: list[dict]) -> list[str]:
    """The search's answers against one plain substring scan of the same rows (for every query)."""
    from sanxiang.disclosure import selectors, selectors_search
    from sanxiang.disclosure.models import PublicationItem

    texts = [p["q"].upper() for p in queries]
    expected: list[set[int]] = [set() for _ in texts]
    for pk, text in PublicationItem.objects.values_list("pk", "public_text").iterator(chunk_size=20_000):
        upper = text.upper()
        for k, q in enumerate(texts):
            if q in upper:
                expected[k].add(pk)
    problems = []
    for params, want in zip(queries, expected, strict=True):
        if len(want) > 5000:  # a common text: the first page must be the newest of the matches
            page = list(selectors.public_decisions(q=params["q"]).values_list("pk", flat=True)[:20])
            if not set(page) <= want or len(page) != 20:
                problems.append(f"q={params['q']!r}: first page not among the {len(want):,} matches")
            continue
        got = set(selectors.public_decisions(q=params["q"]).values_list("pk", flat=True))
        if got != want:
            problems.append(f"q={params['q']!r}: {len(got)} found, {len(want)} by scanning")
    # The way the API and the portal answer (direct SQL, cached counts): twice, the second time
    # from the caches.
    for _ in range(2):
        for params, want in zip(queries, expected, strict=True):
            result = selectors_search.search_page(q=params["q"], page_size=100)
            ids = {row.id for row in result.items}
            if len(want) > 100:
                if not ids <= want or len(ids) != 100 or result.total != min(len(want), selectors.PUBLIC_COUNT_CAP):
                    problems.append(f"q={params['q']!r}: served page or total {result.total} wrong")
            elif ids != want or result.total != len(want):
                problems.append(f"q={params['q']!r}: {result.total} served, {len(want)} by scanning")
    return problems


# ---------------------------------------------------------------------------- throughput


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = os.environ.copy()
    env["DJANGO_SETTINGS_MODULE"] = "_bench_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent), env.get("PYTHONPATH", "")])
    env["SANXIANG_HTTPS"] = "0"
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "sanxiang.wsgi:application",  # noqa: S603
                             "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
                            env=env, cwd=ROOT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start")


def load(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """`clients` threads requesting `paths` round-robin for `seconds`; requests/s and errors."""
    stop = time.perf_counter() + seconds
    counts = [0] * clients
    errors = [0] * clients

    def worker(k: int) -> None:
        i = k
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", paths[i % len(paths)])
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    counts[k] += 1
                else:
                    errors[k] += 1
            except OSError:
                errors[k] += 1
            finally:
                conn.close()
            i += clients

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {"requests": sum(counts), "errors": sum(errors), "rps": sum(counts) / elapsed}


#: Cold queries generated per throughput run and second (more than the search can answer).
COLD_PER_SECOND = {"selective_cold": 1500, "broad_cold": 1000}


def throughput(sets: dict[str, list[dict]], args, cold: ColdQueries) -> dict:
    from urllib.parse import urlencode

    def urls(queries: list[dict]) -> list[str]:
        return [f"/api/public/v1/decisions?{urlencode(p)}" for p in queries]

    port = free_port()
    proc = start_server(port, args.workers)
    try:
        plans = {"trivial": ["/healthz"], "selective": urls(sets["selective"]), "broad": urls(sets["broad"])}
        load(port, plans["trivial"] + plans["selective"][:20], args.clients, 2.0)  # warm-up
        out = {}
        for _ in range(args.rounds):  # interleaved rounds: the machine's load hits each alike
            per_run = {name: int(args.seconds * rate) for name, rate in COLD_PER_SECOND.items()}
            fresh = {"selective_cold": urls(cold.selective(per_run["selective_cold"])),  # new in every round
                     "broad_cold": urls(cold.broad(per_run["broad_cold"]))}
            for name, paths in {**plans, **fresh}.items():
                result = load(port, paths, args.clients, args.seconds)
                result["load"] = data.load()
                if name in fresh and result["requests"] + result["errors"] > len(paths):
                    result["repeated_queries"] = True  # not cold any more: flagged in the output
                best = out.get(name)
                if best is None or result["rps"] > best["rps"]:
                    out[name] = result
        return out
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=1_000_000, help="published decisions (1,000,000)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 20,000 decisions, short load")
    parser.add_argument("--requests", type=int, default=200, help="latency requests per query class (200)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (8)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per throughput run (10)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved throughput rounds, best counts (2)")
    parser.add_argument("--json", metavar="PATH", help="write the results as JSON to PATH")
    parser.add_argument("--build-only", action="store_true", help="build the data set and stop (with --home: reuse)")
    parser.add_argument("--count-cap", type=int, metavar="N",
                        help="SANXIANG_PUBLIC_COUNT_CAP for this run (default: the setting's, 2,000)")
    data.add_environment_arguments(parser)
    args = parser.parse_args()
    n = 20_000 if args.quick else args.decisions
    if args.quick:
        args.requests, args.seconds, args.rounds = 50, 3.0, 1

    os.environ["SANXIANG_HTTPS"] = "0"
    if args.count_cap is not None:
        os.environ["SANXIANG_PUBLIC_COUNT_CAP"] = str(args.count_cap)  # this process and the server
    with data.BenchEnvironment(home=args.home, keep=args.keep):
        print(f"machine: {data.machine()}")
        print(f"database: {data.describe_database()}")
        from sanxiang.disclosure.selectors import PUBLIC_COUNT_CAP

        print(f"exact count up to {PUBLIC_COUNT_CAP:,} (SANXIANG_PUBLIC_COUNT_CAP)")
        print(f"at start: {data.load()}")
        from sanxiang.disclosure.models import PublicationItem

        have = PublicationItem.objects.count()
        if have == 0:
            from sanxiang.accounts.services import units_ensure_standard

            units_ensure_standard()  # the district filter needs the unit tree
            seconds = build(n, args.seed)
            print(f"built {n:,} published decisions in {seconds:.0f} s ({n / seconds:,.0f}/s)")
        elif have != n:
            raise SystemExit(f"--home holds {have:,} decisions, not {n:,}")
        if args.build_only:
            return 0
        sets = query_sets(n, args.seed, args.requests)
        problems = check_answers(sets["selective"][:20] + sets["broad"][:3] + sets["short"][:2])
        if problems:
            print("FAILED answer check:\n  " + "\n  ".join(problems[:10]))
            return 1
        print("answers checked against a substring scan: 25 queries agree", flush=True)
        results: dict = {"decisions": n, "latency": {}, "throughput": {}}
        for name, queries in sets.items():
            latency(queries[:10])  # warm the caches of this class
            r = latency(queries)
            results["latency"][name] = r
            report(name, r, "as before: queries repeat, cached answers count")
        cold = ColdQueries(n, args.seed, sets)
        for name in ("selective", "broad"):
            fresh = getattr(cold, name)
            latency(fresh(10))  # warm the database's pages the same way, with queries not used again
            r = latency(fresh(args.requests))
            results["latency"][f"{name}_cold"] = r
            report(f"{name} cold", r, "every query new")
        for name, queries in sets.items():
            r = latency(queries, uncached=True)
            results["latency"][f"{name}_uncached"] = r
            report(f"{name} uncached", r, "cache emptied before each request")
        publish = Publications()
        for name in ("selective", "broad"):
            r = latency(sets[name], before=publish)
            results["latency"][f"{name}_published"] = r
            report(f"{name} published", r, "a publication before each request")
        print(f"after latency: {data.load()}", flush=True)
        t = throughput(sets, args, cold)
        results["throughput"] = t
        labels = {"trivial": "trivial", "selective": "selective (repeated queries)",
                  "broad": "broad (repeated queries)", "selective_cold": "selective (cold: every query new)",
                  "broad_cold": "broad (cold: every query new)"}
        for name, label in labels.items():
            flag = "  SOME QUERIES REPEATED: not cold" if t[name].get("repeated_queries") else ""
            print(f"throughput {label:34} {t[name]['rps']:8.1f} req/s ({t[name]['requests']} ok, "
                  f"{t[name]['errors']} errors; {t[name]['load']}){flag}")
        for name in ("selective", "broad"):
            ratio = t[name]["rps"] / t["trivial"]["rps"]
            results["throughput"][f"ratio_{name}"] = ratio
            p95 = results["latency"][name]["p95_ms"]
            print(f"{name}: p95 {p95:.1f} ms (goal < {P95_GOAL_MS:.0f}) · ratio to trivial view {ratio:.3f} "
                  f"(goal ≥ {RATIO_GOAL}) — repeated queries")
        for name in ("selective", "broad"):
            ratio = t[f"{name}_cold"]["rps"] / t["trivial"]["rps"]
            results["throughput"][f"ratio_{name}_cold"] = ratio
            p95 = results["latency"][f"{name}_cold"]["p95_ms"]
            print(f"{name} cold: p95 {p95:.1f} ms (goal < {P95_GOAL_MS:.0f}) · ratio to trivial view {ratio:.3f} "
                  f"(goal ≥ {RATIO_GOAL}) — cold: every query new, no cache entry")
        print(f"at end: {data.load()}")
        if args.json:
            Path(args.json).write_text(json.dumps({"benchmark": "portal_search", "machine": data.machine(),
                                                   "database": data.describe_database(), **results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
