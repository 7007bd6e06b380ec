"""Demo oversight (演示考核监督): complaints, supervision notices, a random inspection, evaluations.

Everything goes through the services of `sanxiang.oversight` and `sanxiang.inspections`, as the
demo staff who may do it: about twelve complaints (投诉举报) across several districts — new,
assigned with handling notes, replied, closed, one overdue, three filed on the portal with a
tracking code; two supervision notices (督查通报), one with a unit's report accepted and one
open; one random-inspection plan of Pudong (双随机) with its entity and inspector pools, a
published beacon, the draw and two published results; and three case-file evaluations (案卷评查)
of closed demo cases, one of them submitted with a rectification request.

Idempotent: each item is made in one transaction that ends with a `demo.oversight` ledger
entry naming it; items already named are skipped. Deterministic: the contents come from fixed
lists and a seeded generator. Tracking codes are random by design (only their digest is
stored), so the codes of the portal complaints are kept in a small file under SANXIANG_HOME
for the login table.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.cases.models import Case
from sanxiang.cli.demo_entities import DISTRICTS, INDUSTRY, SEED, build_entities
from sanxiang.inspections import services as inspections
from sanxiang.inspections.constants import Outcome, RiskLevel
from sanxiang.inspections.models import DrawnEntity, PoolInspector, RegulatedEntity
from sanxiang.oversight import evaluation, services
from sanxiang.oversight.constants import ComplaintChannel
from sanxiang.oversight.models import Complaint
from sanxiang.oversight.models_evaluation import Evaluation
from sanxiang.oversight.rules import tracking
from sanxiang.records.models import LedgerEntry
from sanxiang.records.services import ledger_append

MARK_ACTION = "demo.oversight"
DEMO_NOTE = "演示数据：投诉人、举报内容、通报和评查意见均为程序生成的虚构内容，不对应任何真实单位或个人。"
TRACKING_FILE = "demo-tracking-codes.json"
SUPERVISOR = "sup.city"

# --- complaints --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintPlan:
    key: str
    unit: str
    channel: str
    days_ago: int  # received on (portal complaints: today)
    facts: str
    state: str  # received | handling | replied | closed
    handler: str = ""
    notes: tuple[str, ...] = ()
    reply: str = ""
    anonymous: bool = False
    certificate: str = ""
    case_reference: str = ""
    link_case: bool = False
    show_code: bool = False  # print its tracking code with the logins


COMPLAINTS: tuple[ComplaintPlan, ...] = (
    ComplaintPlan(
        "complaint:portal-pudong", "pudong", ComplaintChannel.PORTAL, 0,
        "张江镇哈雷路一家化工企业近一周每天夜里十点以后排放刺鼻气味，附近小区居民关窗也能闻到，请尽快查处。",
        "received", show_code=True),
    ComplaintPlan(
        "complaint:portal-minhang", "minhang", ComplaintChannel.PORTAL, 0,
        "莘庄工业区春东路一家金属制品厂夜间冲压作业噪声很大，已持续半个多月，影响居民休息。",
        "handling", handler="uh.minhang", notes=("已与属地街镇核实投诉点位，安排执法人员夜间监测厂界噪声。",)),
    ComplaintPlan(
        "complaint:portal-huangpu", "huangpu", ComplaintChannel.PORTAL, 0,
        "复兴东路一家干洗店的烘干废气直接排到弄堂里，气味很重，请环保部门检查其废气处理装置。",
        "replied", handler="uh.huangpu", notes=("当日现场检查，干洗机活性炭吸附装置未正常使用，已责令立即整改。",),
        reply="经现场检查，该干洗店废气处理装置未正常使用，我局已责令其立即整改并将跟踪复查。感谢您的监督。",
        show_code=True),
    ComplaintPlan(
        "complaint:phone-pudong-overdue", "pudong", ComplaintChannel.PHONE, 40,
        "来电反映川沙新镇川图路一处工地夜间施工噪声扰民，多次向工地反映未果。",
        "handling", handler="off.pudong1", notes=("已联系投诉人了解施工时段，待协调住建部门共同核查。",)),
    ComplaintPlan(
        "complaint:letter-pudong", "pudong", ComplaintChannel.LETTER, 20,
        "来信反映执法人员在对本公司现场检查时未出示执法证件，对处罚决定的送达程序有异议。",
        "closed", handler="uh.pudong", certificate="SH3101150002",
        notes=("调阅案卷及执法记录仪视频：检查时两名执法人员均出示了执法证，并记录在案。",
               "送达回证由当事人签收，送达程序符合规定。"),
        reply="经调阅执法记录仪视频和案卷，执法人员检查时已出示执法证件，处罚决定依法送达。如对处罚决定不服，"
              "可依法申请行政复议或提起行政诉讼。",
        link_case=True),
    ComplaintPlan(
        "complaint:visit-xuhui", "xuhui", ComplaintChannel.VISIT, 12,
        "来访反映漕河泾开发区宜山路一家印刷企业废气排放口附近有明显油墨气味。",
        "replied", handler="uh.xuhui",
        notes=("现场检查发现废气收集罩破损，已拍照取证。", "委托监测机构开展厂界无组织排放监测，结果达标。"),
        reply="经现场检查和委托监测，该企业厂界挥发性有机物无组织排放浓度达标；已责令其修复破损的废气收集罩。"),
    ComplaintPlan(
        "complaint:email-jingan", "jingan", ComplaintChannel.EMAIL, 6,
        "来邮反映市北高新园区江场三路一家单位将废包装桶堆放在露天场地，雨天有污水流出。",
        "received"),
    ComplaintPlan(
        "complaint:phone-baoshan", "baoshan", ComplaintChannel.PHONE, 30,
        "来电反映罗店镇美丹路一家铸造厂熔炼车间烟尘外溢，附近农田作物叶面有积尘。",
        "closed", handler="uh.baoshan", notes=("现场检查，除尘器布袋破损，已立案调查。",),
        reply="经查，该企业除尘设施布袋破损导致烟尘外溢，我局已依法立案查处并责令更换布袋。"),
    ComplaintPlan(
        "complaint:phone-city", "city", ComplaintChannel.PHONE, 10,
        "来电反映执法总队检查人员在现场检查结束后未告知检查结果及后续处理程序。",
        "handling", handler="uh.corps", notes=("已调取检查记录，约谈相关执法人员了解情况。",)),
    ComplaintPlan(
        "complaint:letter-jiading", "jiading", ComplaintChannel.LETTER, 3,
        "匿名来信举报安亭镇一家汽车零部件企业夜间偷排涂装废水至雨水管网。",
        "handling", handler="uh.jiading", anonymous=True, notes=("已安排夜间突击检查，并对雨水排放口采样。",)),
    ComplaintPlan(
        "complaint:phone-songjiang", "songjiang", ComplaintChannel.PHONE, 16,
        "来电反映九亭镇涞寅路一家家具厂喷漆房门窗敞开作业，油漆味扩散至周边。",
        "closed", handler="uh.songjiang", notes=("现场检查，喷漆作业未在密闭空间进行，已责令整改。",),
        reply="经查，该企业喷漆作业未在密闭空间内进行，我局已责令其立即整改，复查时已整改到位。"),
    ComplaintPlan(
        "complaint:visit-fengxian", "fengxian", ComplaintChannel.VISIT, 2,
        "来访反映柘林镇目华路一家化工企业雨水排放口排出有颜色的废水，流入附近河道。",
        "received"),
)

# --- supervision notices -------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticePlan:
    key: str
    title: str
    findings: str
    required: str
    due_in_days: int
    units: tuple[str, ...]
    reports: tuple[tuple[str, str, str], ...] = ()  # (unit, reporter, report)
    accepted: tuple[tuple[str, str], ...] = ()  # (unit, comment)


NOTICES: tuple[NoticePlan, ...] = (
    NoticePlan(
        "notice:evidence-2026", "关于行政执法全过程记录执行情况的督查通报",
        "抽查发现部分现场检查未全程音像记录，个别执法记录仪视频未按规定编号并备注摄录内容。",
        "对本单位近三个月现场执法音像记录逐案自查，完善执法记录仪使用和音像资料归档管理制度，报送整改报告。",
        30, ("pudong",),
        reports=(("pudong", "uh.pudong",
                  "已完成近三个月现场执法音像记录自查，补充编号备注视频资料，修订执法记录仪管理办法并组织全员培训。"),),
        accepted=(("pudong", "整改措施具体，自查材料齐全，验收通过。"),)),
    NoticePlan(
        "notice:publication-2026", "关于行政执法决定公示不及时问题的督查通报",
        "部分行政处罚决定未在作出之日起法定期限内公示，个别公示信息要素不全。",
        "逐件核查近半年作出的行政处罚决定公示情况，补正遗漏信息，明确公示责任人和审核流程。",
        45, ("huangpu", "xuhui"),
        reports=(("huangpu", "uh.huangpu", "已逐件核查近半年处罚决定公示情况，补正2件公示信息，明确由法制员复核后公示。"),)),
)

# --- evaluations ---------------------------------------------------------------------------------

EVALUATION_PLANS = ("evaluation:open", "evaluation:submitted", "evaluation:rectification")
DEDUCTIONS = {  # items scored by the evaluator (no automatic check): points taken off, reason
    "ZJ-1": (Decimal(5), "现场检查笔录未记载采样点位，监测报告缺少采样人员签字"),
    "YJ-1": (Decimal(4), "未说明适用裁量基准的具体情形，裁量理由不充分"),
    "WS-2": (Decimal(3), "先行登记保存通知书个别要素填写不全"),
}

# --- the random inspection -----------------------------------------------------------------------

PLAN_KEY = "inspection:pudong"
PLAN_MATTER = "PMT-006"
RISKS = {0: RiskLevel.KEY, 5: RiskLevel.KEY, 10: RiskLevel.KEY, 1: RiskLevel.SPECIAL, 6: RiskLevel.SPECIAL,
         11: RiskLevel.SPECIAL, 14: RiskLevel.SPECIAL}
INSPECTORS = ("uh.pudong", "off.pudong1", "off.pudong2", "off.pudong3")
BEACON = f"sanxiang-demo-beacon:{SEED}"
BEACON_SOURCE = "演示数据：固定随机源（正式抽查应取公开可验证的数值，如当日证券交易所收盘指数）"
RESULTS = (
    (Outcome.NO_PROBLEM, "现场检查未发现环境违法问题，环境管理台账记录完整。"),
    (Outcome.RECTIFY, "发现环境管理台账记录不完整，已责令限期整改。"),
)


# --- helpers ---------------------------------------------------------------------------------------

def _done() -> dict[str, str]:
    done = {}
    for body, subject in LedgerEntry.objects.filter(action=MARK_ACTION).values_list("body", "subject"):
        item = json.loads(body).get("payload", {}).get("item")
        if isinstance(item, str):
            done[item] = subject
    return done


def _mark(subject: str, item: str) -> None:
    ledger_append(subject=subject, action=MARK_ACTION, actor="system",
                  payload={"item": item, "seed": SEED, "note": DEMO_NOTE})


def _tracking_path() -> Path:
    return Path(settings.HOME) / TRACKING_FILE


def _save_code(key: str, number: str, code: str) -> None:
    path = _tracking_path()
    codes = _read_codes()
    codes[key] = {"number": number, "code": code}
    path.write_text(json.dumps(codes, ensure_ascii=False, indent=1), encoding="utf-8")


def _read_codes() -> dict[str, dict]:
    try:
        data = json.loads(_tracking_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def tracking_codes() -> list[tuple[str, str]]:
    """(complaint number, tracking code) of the portal complaints to show, if the codes are known
    and still match a complaint of this database."""
    codes = _read_codes()
    out = []
    for plan in COMPLAINTS:
        entry = codes.get(plan.key)
        if not plan.show_code or not isinstance(entry, dict):
            continue
        code = str(entry.get("code", ""))
        digest = tracking.digest(code)
        if digest and Complaint.objects.filter(tracking_digest=digest).exists():
            out.append((str(entry.get("number", "")), code))
    return out


def _complainant(rng: random.Random, plan: ComplaintPlan) -> dict:
    if plan.anonymous:
        return {"anonymous": True}
    from sanxiang.cli.demo_entities import make_name

    return {"name": make_name(rng), "phone": f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}"}


def _linkable_case(unit: str) -> str:
    from sanxiang.cli import demo_cases

    case = (Case.objects.filter(pk__in=demo_cases.demo_case_ids(), unit__code=unit, decision__isnull=False)
            .order_by("number").first())
    return case.number if case else ""


# --- the items -------------------------------------------------------------------------------------

def _complaint(plan: ComplaintPlan, users: dict[str, User], rng: random.Random) -> Complaint:
    today = timezone.localdate()
    data = services.ComplaintInput(unit_code=plan.unit, facts=plan.facts, officer_certificate=plan.certificate,
                                   case_reference=plan.case_reference, **_complainant(rng, plan))
    supervisor = users[SUPERVISOR]
    if plan.channel == ComplaintChannel.PORTAL:
        filed = services.complaint_file(data=data)
    else:
        filed = services.complaint_file(data=data, channel=plan.channel, actor=supervisor,
                                        received_on=today - dt.timedelta(days=plan.days_ago))
    complaint = filed.complaint
    if plan.show_code:
        _save_code(plan.key, complaint.number, filed.tracking_code)
    if plan.state == "received":
        return complaint
    handler = users[plan.handler]
    services.complaint_assign(complaint_id=complaint.pk, actor=supervisor, handler_id=handler.pk)
    for note in plan.notes:
        services.complaint_add_note(complaint_id=complaint.pk, actor=handler, text=note)
    if plan.link_case and (number := _linkable_case(plan.unit)):
        services.complaint_link_case(complaint_id=complaint.pk, actor=handler, case_number=number)
    if plan.state in ("replied", "closed"):
        services.complaint_reply(complaint_id=complaint.pk, actor=handler, text=plan.reply)
    if plan.state == "closed":
        services.complaint_close(complaint_id=complaint.pk, actor=handler)
    return complaint


def _notice(plan: NoticePlan, users: dict[str, User]):
    supervisor = users[SUPERVISOR]
    notice = services.notice_issue(
        actor=supervisor, title=plan.title, findings=plan.findings, required_rectification=plan.required,
        due_on=timezone.localdate() + dt.timedelta(days=plan.due_in_days), unit_codes=list(plan.units))
    for unit, reporter, report in plan.reports:
        services.notice_submit_report(notice_id=notice.pk, unit_code=unit, actor=users[reporter], report=report)
    for unit, comment in plan.accepted:
        services.notice_accept_report(notice_id=notice.pk, unit_code=unit, actor=supervisor, comment=comment)
    return notice


def _closed_cases() -> list[Case]:
    """Closed demo penalty cases, one per unit, in case-number order (the same on every run)."""
    from sanxiang.cli import demo_cases

    seen, out = set(), []
    for case in (Case.objects.filter(pk__in=demo_cases.demo_case_ids(), kind="penalty", stage="closed")
                 .select_related("unit").order_by("number")):
        if case.unit.code not in seen:
            seen.add(case.unit.code)
            out.append(case)
    return out


def _evaluation(key: str, case: Case, users: dict[str, User]):
    supervisor = users[SUPERVISOR]
    opened = evaluation.evaluation_open(actor=supervisor, case_id=case.pk)
    if key == "evaluation:open":
        evaluation.evaluation_score(evaluation_id=opened.pk, actor=supervisor, scores={},
                                    comment="评查中：已核对立案、调查取证材料，待核对送达和执行材料。")
        return opened
    if key == "evaluation:submitted":
        return evaluation.evaluation_submit(evaluation_id=opened.pk, actor=supervisor,
                                            comment="案卷材料齐全，程序规范，证据充分。")
    rows = {row.item.code: row for row in opened.scores.select_related("item")}
    scores = {code: evaluation.ScoreInput(awarded=max(Decimal(0), rows[code].suggested - points), reason=reason)
              for code, (points, reason) in DEDUCTIONS.items() if code in rows and rows[code].suggested > 0}
    submitted = evaluation.evaluation_submit(evaluation_id=opened.pk, actor=supervisor, scores=scores,
                                             comment="证据收集和文书制作存在不足，需整改。")
    evaluation.rectification_issue(
        evaluation_id=submitted.pk, actor=supervisor, due_on=timezone.localdate() + dt.timedelta(days=20),
        requirement="完善现场检查笔录中采样点位记载和监测报告签字审核，规范先行登记保存等文书填写，报送整改情况。")
    return submitted


def _inspection(users: dict[str, User]) -> dict:
    from sanxiang.catalog.models import Matter

    head, publisher = users["uh.pudong"], users["pub.pudong"]
    today = timezone.localdate()
    district = DISTRICTS["pudong"]
    entities = [e for e in build_entities(SEED)["pudong"] if e.type == "organization"]
    present = set(RegulatedEntity.objects.filter(uscc__in=[e.uscc for e in entities]).values_list("uscc", flat=True))
    for n, entity in enumerate(entities):
        if entity.uscc in present:
            continue
        industry = INDUSTRY.get(entity.industry)
        inspections.entity_add(
            actor=head, name=entity.name, uscc=entity.uscc, district_code=district.code,
            risk_level=RISKS.get(n, RiskLevel.GENERAL), address=entity.address,
            category=industry.suffix.removesuffix("有限公司") if industry else "")
    active = set(PoolInspector.objects.filter(active=True).values_list("officer__user__username", flat=True))
    for username in INSPECTORS:
        user = users.get(username)
        officer = getattr(user, "officer", None) if user else None
        if officer is None or username in active or not officer.is_valid_on(today):
            continue  # an expired certificate keeps the officer out of the pool
        inspections.inspector_add(actor=head, officer_id=officer.pk)
    matter = (Matter.objects.filter(status="published", random_inspection=True, code=PLAN_MATTER).first()
              or Matter.objects.filter(status="published", random_inspection=True).order_by("code").first())
    quarter = (today.month - 1) // 3
    start = dt.date(today.year, quarter * 3 + 1, 1)
    end = dt.date(today.year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1) - dt.timedelta(days=1)
    plan = inspections.plan_create(
        actor=head, title=f"{today.year}年第{'一二三四'[quarter]}季度浦东新区排污单位环境管理台账双随机抽查",
        matter_code=matter.code, unit_code="pudong", period_start=start, period_end=end)
    inspections.plan_beacon_publish(actor=head, plan_id=plan.pk, beacon=BEACON, source=BEACON_SOURCE)
    draw = inspections.plan_draw(actor=head, plan_id=plan.pk)
    drawn = list(DrawnEntity.objects.filter(draw=draw).order_by("position"))
    for item, (outcome, summary) in zip(drawn, RESULTS, strict=False):
        inspections.result_record(actor=head, drawn_id=item.pk, outcome=outcome, finished_on=today,
                                  public_summary=summary)
        inspections.result_publish(actor=publisher, drawn_id=item.pk)
    return {"plan": plan, "drawn": len(drawn), "published": min(len(drawn), len(RESULTS))}


# --- the step --------------------------------------------------------------------------------------

def seed(progress: Callable[[str], None]) -> dict:
    """Create the oversight items not yet present; report what was made and what there is."""
    started = time.monotonic()
    done = _done()
    users = {u.username: u for u in User.objects.select_related("unit", "officer")}
    report = {"complaints": 0, "notices": 0, "inspection_plans": 0, "evaluations": 0, "existing": len(done),
              "seconds": 0.0}
    for n, plan in enumerate(COMPLAINTS, start=1):
        progress(f"complaints {n}/{len(COMPLAINTS)}")
        if plan.key in done:
            continue
        rng = random.Random(f"sanxiang-demo-oversight:{SEED}:{plan.key}")  # noqa: S311 (reproducible demo data)
        with transaction.atomic():
            complaint = _complaint(plan, users, rng)
            _mark(complaint.ref, plan.key)
        report["complaints"] += 1
    for plan in NOTICES:
        progress(f"notices {plan.key}")
        if plan.key in done:
            continue
        with transaction.atomic():
            notice = _notice(plan, users)
            _mark(notice.ref, plan.key)
        report["notices"] += 1
    progress("random inspection")
    if PLAN_KEY not in done:
        with transaction.atomic():
            made = _inspection(users)
            _mark(made["plan"].ref, PLAN_KEY)
        report["inspection_plans"] += 1
    progress("case-file evaluations")
    todo = [key for key in EVALUATION_PLANS if key not in done]
    if todo:
        busy = set(Evaluation.objects.values_list("case_id", flat=True))
        cases = [c for c in _closed_cases() if c.pk not in busy]
        for key, case in zip(todo, cases, strict=False):
            with transaction.atomic():
                made = _evaluation(key, case, users)
                _mark(made.ref, key)
            report["evaluations"] += 1
    if any(report[k] for k in ("complaints", "notices", "inspection_plans", "evaluations")):
        from sanxiang.disclosure import services as disclosure

        disclosure.disclosure_sweep()  # the public log's checkpoint covers the new entries
    report["seconds"] = time.monotonic() - started
    return report

