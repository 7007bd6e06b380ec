"""Demo cases (演示案件): about 200 cases of every kind, at every stage, made through the services.

Every state change goes through the case services (`sanxiang.cases.services`), so the guards
of the three systems hold and the ledger tells the whole story: two certified officers on
site, video before a seizure, production restriction or closure is completed, the party's
statement (or waiver) and hearing waiver before a penalty decision, an approved legal review
and a collective discussion before a major decision, a completed service before `served`.

Determinism: plan *i* depends only on the seed and *i* (its own random generator); the
scenario sequence starts with one plan of every scenario (essential stages first), then
follows the scenario weights. So `--cases 40` covers every stage and a second run creates
nothing: each demo case carries a ledger entry `demo.generated` naming its plan, and plans
already present are skipped. Each plan runs in one transaction (all or nothing).

Dates: the services stamp "today" on filing and notification. Overdue situations need
history, so a few cases are moved back in time by `_backdate`, which changes only the case
row's `registered_on` / `notified_on`, refreshes the deadlines and appends a `demo.backdated`
ledger entry saying so. Acts, evidence, responses and decisions take their own (past) dates
through the ordinary services.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import Officer, User
from sanxiang.cases import deadlines
from sanxiang.cases import services as cases
from sanxiang.cases.models import Case
from sanxiang.catalog import selectors as catalog
from sanxiang.cli import demo_media as media
from sanxiang.cli.demo_entities import (
    DISTRICT_WEIGHTS,
    DISTRICTS,
    INDUSTRY,
    SEED,
    Entity,
    build_entities,
)
from sanxiang.core.errors import DomainError
from sanxiang.records.models import LedgerEntry
from sanxiang.records.services import ledger_append

DEMO_ACTION = "demo.generated"
BACKDATE_ACTION = "demo.backdated"
DEMO_NOTE = "演示数据：当事人、案情、证据文件均为程序生成的虚构内容，不对应任何真实单位或个人。"
MAJOR_THRESHOLD = Decimal("200000")
PERSON_MAJOR_THRESHOLD = Decimal("5000")
HEARING_THRESHOLD = Decimal("50000")  # organizations, Shanghai (decision_rules hearing.fine_org_shanghai)

MATERIALS = ["investigation_report", "proposed_decision", "evidence_list", "discretion_basis"]
APPROVED_FINDINGS = {
    "subject": "执法主体合法，承办机构具有相应执法职权", "jurisdiction": "属本机关管辖",
    "procedure": "立案、调查、告知程序合法，执法人员持证执法且不少于两人", "facts": "违法事实清楚",
    "law": "适用法律、法规正确", "evidence": "证据确凿、充分，证据链完整", "discretion": "处罚裁量适当，符合裁量基准",
}
PROBLEM_FINDINGS = {
    **APPROVED_FINDINGS,
    "evidence": "监测报告缺少采样人员签字，现场检查笔录未记载采样点位，证据链不完整",
    "discretion": "未说明适用裁量基准的具体情形，拟罚款金额的裁量理由不充分",
}

# --- what the cases are about ------------------------------------------------------------------

CAUSES = {
    "AIR-001": "超标排放大气污染物", "AIR-002": "未取得排污许可证排放大气污染物",
    "AIR-003": "通过不正常运行大气污染防治设施逃避监管排放大气污染物",
    "AIR-004": "未按规定安装使用大气污染物排放自动监测设备", "AIR-005": "未按规定对工业废气进行监测",
    "AIR-006": "未按规定采取挥发性有机物废气污染防治措施", "AIR-007": "工业涂装未使用低挥发性有机物含量涂料",
    "AIR-008": "未按规定安装使用油气回收装置", "AIR-009": "未采取有效措施防治扬尘污染",
    "AIR-010": "未采取措施防止排放恶臭气体", "AIR-012": "未设置异味和废气处理装置",
    "WAT-001": "超标排放水污染物", "WAT-003": "通过不正常运行水污染防治设施逃避监管排放水污染物",
    "WAT-004": "未按规定预处理向污水集中处理设施排放工业废水", "WAT-005": "未按规定对所排放的水污染物自行监测",
    "WAT-006": "未保证水污染物排放自动监测设备正常运行", "WAT-007": "违反规定设置排污口",
    "WAT-010": "未按规定制定水污染事故应急方案",
    "SW-001": "擅自倾倒堆放工业固体废物", "SW-002": "未建立工业固体废物管理台账",
    "SW-003": "违反规定委托他人处置工业固体废物", "SW-004": "贮存工业固体废物未采取防护措施",
    "SW-006": "未及时收集处置畜禽粪污",
    "HW-001": "未按规定设置危险废物识别标志", "HW-002": "未按规定申报危险废物有关资料",
    "HW-003": "擅自倾倒堆放危险废物", "HW-004": "将危险废物提供给无许可证单位处置",
    "HW-005": "未按规定运行危险废物转移联单", "HW-006": "未按国家环境保护标准贮存危险废物",
    "HW-007": "未制定危险废物意外事故防范措施和应急预案", "HW-008": "未建立危险废物管理台账",
    "HW-009": "无许可证从事危险废物经营活动", "HW-010": "未按许可证规定从事危险废物经营活动",
    "NOI-001": "超标排放工业噪声", "NOI-006": "超标排放建筑施工噪声",
    "EIA-001": "建设项目未批先建", "EIA-003": "未依法备案建设项目环境影响登记表",
    "EIA-004": "环境保护设施未经验收即投入生产",
    "PMT-001": "未取得排污许可证排放污染物", "PMT-002": "超过许可排放浓度排放污染物",
    "PMT-003": "通过不正常运行污染防治设施逃避监管排放污染物", "PMT-004": "排放方式不符合排污许可证规定",
    "PMT-005": "未按排污许可证规定开展自行监测", "PMT-006": "未按排污许可证规定记录环境管理台账",
    "PMT-007": "未按规定提交排污许可证执行报告", "PMT-008": "未依照规定填报排污登记信息",
    "RAD-001": "无许可证使用射线装置", "RAD-002": "未按许可证规定使用射线装置", "RAD-005": "未按规定报告放射源丢失",
    "SOIL-001": "未按规定开展土壤污染自行监测", "SOIL-003": "未建立土壤污染隐患排查制度",
}


def _finding(code: str, rng: random.Random, process: str) -> str:
    """What the officers found (one sentence, numbers invented within plausible ranges)."""
    times = rng.choice(["0.3", "0.6", "1.2", "1.8", "2.4"])
    found = {
        "AIR-001": lambda: (f"经委托监测，{process}废气排放口非甲烷总烃排放浓度为{rng.randrange(85, 260)}mg/m³，超过"
                            f"《大气污染物综合排放标准》（DB31/933—2015）规定的排放限值，超标{times}倍"),
        "AIR-003": lambda: f"{process}废气收集处理设施风机未开启，活性炭吸附装置内活性炭已{rng.randrange(5, 14)}个月未更换，废气未经处理直接排放",
        "AIR-004": lambda: f"{process}废气排放口自动监测设备自{rng.randrange(3, 20)}日前起停运，未与生态环境部门监控平台联网",
        "AIR-006": lambda: f"{process}喷涂、烘干工序未在密闭空间内进行，含挥发性有机物废气无组织排放，未安装废气收集处理设施",
        "AIR-007": lambda: f"{process}使用的溶剂型涂料挥发性有机物含量为{rng.randrange(520, 680)}g/L，且未建立涂料使用台账",
        "AIR-008": lambda: f"{process}油气回收装置真空泵故障，卸油时油气回收管线未连接，{rng.randrange(2, 6)}把加油枪气液比不合格",
        "AIR-009": lambda: f"{process}约{rng.randrange(300, 2000)}平方米裸露土方未覆盖，车辆出入口未设置冲洗设施，现场扬尘明显",
        "AIR-010": lambda: f"{process}废气收集罩破损，厂界恶臭气体（臭气浓度）监测值为{rng.randrange(35, 90)}（无量纲），周边居民多次投诉",
        "WAT-001": lambda: (f"经采样监测，废水总排放口化学需氧量浓度为{rng.randrange(620, 1400)}mg/L，超过"
                            f"《污水综合排放标准》（DB31/199—2018）规定的排放限值，超标{times}倍"),
        "WAT-003": lambda: f"{process}废水处理设施加药装置停用，调节池通过临时软管将未经处理的废水排入雨水管网",
        "WAT-004": lambda: f"{process}废水未经预处理直接纳管排放，纳管口pH值为{rng.choice(['2.1', '2.8', '11.6', '12.3'])}",
        "WAT-007": lambda: "厂区东侧私设一处排污口，未按规定设置标志牌，生产废水经该排污口排入周边河道",
        "SW-001": lambda: f"在厂区外空地擅自堆放工业固体废物（废边角料、废包装材料）约{rng.randrange(20, 160)}吨，未采取防扬散、防流失措施",
        "SW-003": lambda: f"将约{rng.randrange(10, 90)}吨工业固体废物交由无处置能力的个人运输处置，未核实其主体资格和技术能力",
        "HW-001": lambda: "危险废物贮存场所及包装容器未按规定设置危险废物识别标志",
        "HW-003": lambda: f"将废矿物油、废包装桶等危险废物约{rng.randrange(2, 18)}吨擅自堆放于厂区外空地，部分包装桶破损渗漏",
        "HW-004": lambda: f"将废切削液约{rng.randrange(5, 40)}吨交由无危险废物经营许可证的单位收集处置",
        "HW-005": lambda: f"{rng.randrange(3, 12)}批次危险废物转移未按规定运行电子转移联单",
        "HW-006": lambda: f"危险废物贮存库地面未做防渗处理，废酸、废有机溶剂与一般工业固体废物混合贮存约{rng.randrange(3, 20)}吨",
        "HW-009": lambda: f"在未取得危险废物经营许可证的情况下，收集、贮存废铅蓄电池约{rng.randrange(30, 200)}吨",
        "HW-010": lambda: f"超出危险废物经营许可证核准的经营类别收集、贮存HW{rng.choice(['08', '12', '49'])}类危险废物",
        "NOI-001": lambda: f"经监测，厂界夜间噪声排放值为{rng.randrange(58, 68)}dB(A)，超过《工业企业厂界环境噪声排放标准》（GB 12348—2008）规定的排放限值",
        "NOI-006": lambda: f"夜间22时后进行混凝土浇筑作业，场界噪声为{rng.randrange(62, 75)}dB(A)，超过《建筑施工场界环境噪声排放标准》（GB 12523—2011）规定的夜间限值",
        "EIA-001": lambda: "建设项目环境影响报告表未经批准即开工建设，主体厂房已建成，部分设备已安装",
        "EIA-004": lambda: "建设项目配套建设的废气处理设施未经验收，主体工程已于数月前投入生产",
        "PMT-001": lambda: "未取得排污许可证，生产过程中持续排放废气、废水",
        "PMT-002": lambda: f"废气排放口颗粒物排放浓度为{rng.randrange(25, 60)}mg/m³，超过排污许可证载明的许可排放浓度",
    }.get(code)
    return found() if found else ""


def _facts(entity: Entity, matter, on: dt.date, rng: random.Random) -> str:
    industry = INDUSTRY.get(entity.industry)
    process = industry.process if industry else "经营场所"
    detail = _finding(matter.code, rng, process) or f"当事人存在{CAUSES.get(matter.code, matter.name)}的违法行为"
    return (f"{on.year}年{on.month}月{on.day}日，本局执法人员对当事人位于{entity.address}的{process}进行现场检查，"
            f"发现{detail}。上述行为违反了{matter.legal_basis}的规定。")


_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _rmb_group(n: int) -> str:
    """1–9999 in capital numerals, zeros between digits written once (壹仟零伍拾)."""
    out, zero = "", False
    for power, unit in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
        d = n // 10 ** power % 10
        if d == 0:
            zero = zero or bool(out)
        else:
            out += ("零" if zero else "") + _DIGITS[d] + unit
            zero = False
    return out


def rmb_upper(amount: Decimal) -> str:
    """A yuan amount in capital numerals (人民币大写, 会计基础工作规范 第五十二条), e.g. 壹拾伍万元整."""
    yuan = int(amount)
    cents = int((amount - yuan) * 100)
    groups = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    text, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = gap or bool(text)
            continue
        if text and (gap or group < 1000 or groups[index + 1] % 10 == 0):
            text += "零"
        text += _rmb_group(group) + ("", "万", "亿", "万亿")[index]
        gap = False
    text = text + "元" if text else ""
    jiao, fen = divmod(cents, 10)
    if not cents:
        return (text or "零元") + "整"
    return text + (_DIGITS[jiao] + "角" if jiao else ("零" if text else "")) + (_DIGITS[fen] + "分" if fen else "")


def _money(amount: Decimal) -> str:
    return f"人民币{rmb_upper(amount)}（¥{amount:,.2f}）"


# --- scenarios -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scenario:
    name: str
    kind: str
    weight: int
    target: str  # final stage
    major: bool = False
    party: str = "organization"  # organization | small (individual business or person)
    variant: str = ""


SCENARIOS: tuple[Scenario, ...] = (
    # essential: one of each stage first, so that a small --cases still covers them all
    Scenario("p_registered", "penalty", 8, "registered"),
    Scenario("p_investigating", "penalty", 12, "investigating"),
    Scenario("p_examining", "penalty", 8, "examining"),
    Scenario("p_notified", "penalty", 8, "notified"),
    Scenario("p_hearing", "penalty", 3, "hearing", variant="hearing_requested"),
    Scenario("p_review_pending", "penalty", 7, "legal_review", major=True),
    Scenario("p_review_problems", "penalty", 4, "examining", major=True, variant="problems"),
    Scenario("p_collective", "penalty", 5, "collective_discussion", major=True),
    Scenario("p_decided", "penalty", 9, "decided"),
    Scenario("p_decided_major", "penalty", 4, "decided", major=True),
    Scenario("p_served", "penalty", 9, "served"),
    Scenario("p_executing", "penalty", 6, "executing"),
    Scenario("p_closed", "penalty", 18, "closed"),
    Scenario("p_closed_major", "penalty", 6, "closed", major=True),
    Scenario("p_not_punished", "penalty", 3, "not_punished"),
    Scenario("p_withdrawn", "penalty", 2, "withdrawn"),
    Scenario("p_transferred", "penalty", 2, "transferred"),
    Scenario("c_investigating", "coercion", 3, "investigating"),
    Scenario("c_decided", "coercion", 3, "decided"),
    Scenario("c_executing", "coercion", 5, "executing"),
    Scenario("c_closed", "coercion", 6, "closed"),
    Scenario("i_registered", "inspection", 4, "registered"),
    Scenario("i_investigating", "inspection", 6, "investigating"),
    Scenario("i_closed", "inspection", 10, "closed"),
    Scenario("pm_registered", "permit", 2, "registered"),
    Scenario("pm_examining", "permit", 4, "examining"),
    Scenario("pm_decided", "permit", 3, "decided"),
    Scenario("pm_closed", "permit", 5, "closed"),
    Scenario("pm_withdrawn", "permit", 1, "withdrawn"),
    # overdue (dates moved back by _backdate) and the richer variants
    Scenario("p_investigating_overdue", "penalty", 3, "investigating", variant="overdue"),
    Scenario("p_decided_overdue", "penalty", 3, "decided", variant="overdue"),
    Scenario("p_executing_overdue", "penalty", 3, "executing", variant="overdue"),
    Scenario("p_executing_suspension", "penalty", 3, "executing", major=True, variant="suspension"),
    Scenario("p_examining_overdue", "penalty", 2, "examining", variant="overdue"),
    Scenario("p_notified_lapsed", "penalty", 2, "notified", variant="overdue"),
    Scenario("p_closed_small", "penalty", 5, "closed", party="small"),
    Scenario("p_closed_hearing", "penalty", 2, "closed", major=True, variant="hearing_held"),
    Scenario("p_closed_resubmitted", "penalty", 2, "closed", major=True, variant="resubmitted"),
    Scenario("p_closed_escalated", "penalty", 1, "closed", major=True, variant="escalated"),
    Scenario("p_closed_closure", "penalty", 1, "closed", major=True, variant="closure"),
    Scenario("p_decided_small_major", "penalty", 1, "decided", major=True, party="small"),
    Scenario("p_served_small", "penalty", 3, "served", party="small"),
)


def scenario_sequence(count: int) -> list[Scenario]:
    """Plan i's scenario: every scenario once (in order), then a smooth weighted round robin."""
    out = list(SCENARIOS[:count])
    current = {s.name: 0 for s in SCENARIOS}
    total = sum(s.weight for s in SCENARIOS)
    while len(out) < count:
        for s in SCENARIOS:
            current[s.name] += s.weight
        best = max(SCENARIOS, key=lambda s: current[s.name])
        current[best.name] -= total
        out.append(best)
    return out


# --- staff -------------------------------------------------------------------------------------------

@dataclass
class Staff:
    unit: str
    officers: list[User]  # certified and valid today, filing officers first
    unit_head: User
    agency_head: User
    deputy: User


def _staff() -> dict[str, Staff]:
    from sanxiang.cli.demo import CASE_UNITS

    today = timezone.localdate()
    users = {u.username: u for u in User.objects.select_related("unit")}
    valid = {o.user_id for o in Officer.objects.all() if o.is_valid_on(today)}
    out = {}
    for unit in CASE_UNITS:
        short = "corps" if unit == "city-corps" else unit
        heads = ("head.city", "dep.city") if unit == "city-corps" else (f"head.{unit}", f"dep.{unit}")
        officers = [u for name, u in sorted(users.items())
                    if name.startswith(f"off.{short}") and u.pk in valid]
        out[unit] = Staff(unit=unit, officers=officers, unit_head=users[f"uh.{short}"],
                          agency_head=users[heads[0]], deputy=users[heads[1]])
    return out


# --- one case ----------------------------------------------------------------------------------------

class Flow:
    """Drives one case through the services, keeping its own little timeline."""

    def __init__(self, *, plan: int, scenario: Scenario, entity: Entity, matter, unit: str, staff: Staff,
                 reviewers: list[User], rng: random.Random) -> None:
        self.plan, self.scenario, self.entity, self.matter = plan, scenario, entity, matter
        self.unit, self.staff, self.reviewers, self.rng = unit, staff, reviewers, rng
        self.officer = rng.choice(staff.officers[:2])
        self.partner = next(o for o in staff.officers + [staff.unit_head] if o.pk != self.officer.pk)
        self.today = timezone.localdate()
        self.case: Case | None = None
        self.evidence = 0
        self.fine: Decimal | None = None
        self.confiscation: Decimal | None = None
        self.types: list[str] = []
        self.district = DISTRICTS[entity.district]
        self.statement = False

    # time ------------------------------------------------------------------------------------------
    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        return min(moment, timezone.now() - dt.timedelta(minutes=2))

    def recent(self, minutes: int) -> dt.datetime:
        """`minutes` ago, but not before midnight: an act of today after today's decision."""
        midnight = timezone.make_aware(dt.datetime.combine(self.today, dt.time(0, 1)))
        return max(midnight, timezone.now() - dt.timedelta(minutes=minutes))

    def days_ago(self, n: int) -> dt.date:
        return self.today - dt.timedelta(days=n)

    # evidence --------------------------------------------------------------------------------------
    def _add(self, kind: str, data: bytes, *, when: dt.datetime, description: str, filename: str,
             content_type: str, activity=None, speakers=(), until=None, device: str = "") -> None:
        now = timezone.now()
        when = min(when, now)
        until = min(until, now) if until is not None else None
        cases.case_evidence_add(
            case_id=self.case.pk, actor=self.officer, kind=kind, recorded_at=when, stream=io.BytesIO(data),
            description=description, speakers=list(speakers), recorded_until=until,
            activity_id=str(activity.pk) if activity else "", device=device, filename=filename,
            claimed_content_type=content_type)
        self.evidence += 1

    def photo(self, activity, when: dt.datetime, what: str) -> None:
        n = self.evidence + 1
        stamp = timezone.localtime(when)
        if n % 2:
            data = media.png_photo([self.case.number.upper(), f"#{n} {stamp:%Y-%m-%d %H:%M}", "SANXIANG DEMO"],
                                   seed=self.plan + n)
            name, ctype = f"IMG_{stamp:%Y%m%d_%H%M%S}.png", "image/png"
        else:
            data = media.jpeg_photo(f"NO.{n}", seed=self.plan + n)
            name, ctype = f"IMG_{stamp:%Y%m%d_%H%M%S}.jpg", "image/jpeg"
        self._add("photo", data, when=when, description=what, filename=name, content_type=ctype,
                  activity=activity, device="移动执法终端（手机）")

    def audio(self, activity, when: dt.datetime, what: str, interviewee: str) -> None:
        stamp = timezone.localtime(when)
        self._add("audio", media.wav_tone(seed=self.plan + self.evidence), when=when, description=what,
                  filename=f"REC_{stamp:%Y%m%d_%H%M}.wav", content_type="audio/wav", activity=activity,
                  speakers=[{"name": self.officer.full_name, "role": "执法人员"}, {"name": interviewee, "role": "被询问人"}],
                  until=when + dt.timedelta(minutes=self.rng.randrange(18, 50)), device="录音笔 SONY ICD-UX570")

    def video(self, activity, when: dt.datetime, what: str) -> None:
        stamp = timezone.localtime(when)
        n = self.evidence + 1
        device = f"执法记录仪 DSJ-{self.district.region[-3:] if self.unit != 'city-corps' else '000'}{self.plan % 40:02d}"
        self._add("video", media.mp4_video(f"{self.case.number} #{n}"), when=when, description=what,
                  filename=f"DSJ_{stamp:%Y%m%d_%H%M%S}.mp4", content_type="video/mp4", activity=activity,
                  speakers=[{"name": self.officer.full_name, "role": "执法人员"},
                            {"name": self.partner.full_name, "role": "执法人员"},
                            {"name": self._contact(), "role": "当事人现场负责人"}],
                  until=when + dt.timedelta(minutes=self.rng.randrange(25, 90)), device=device)

    def _contact(self) -> str:
        return self.entity.legal_representative or self.entity.name

    # acts ---------------------------------------------------------------------------------------------
    def act(self, kind: str, when: dt.datetime, *, place: str = "", notes: str = "", officers=None, complete=True,
            evidence: Callable | None = None):
        officers = officers or [self.officer, self.partner]
        when = min(when, timezone.now() - dt.timedelta(minutes=1))
        activity = cases.activity_record(
            case_id=self.case.pk, actor=self.officer, kind=kind, occurred_at=when,
            officer_ids=[u.officer.pk for u in officers], place=place or self.entity.address, notes=notes,
            participants=[{"name": self._contact(), "role": "party_staff"}])
        if evidence:
            evidence(activity)
        if complete:
            cases.activity_complete(case_id=self.case.pk, activity_id=activity.pk, actor=self.officer)
        return activity

    def to(self, stage: str, note: str = "", actor: User | None = None) -> None:
        self.case = cases.case_transition(case_id=self.case.pk, actor=actor or self.officer, to=stage, note=note)

    # filing -------------------------------------------------------------------------------------------
    def file(self, *, kind: str, title: str, facts: str, discovered_on: dt.date, matter_code: str = "") -> None:
        party = cases.PartyInput(type=self.entity.type, name=self.entity.name, uscc=self.entity.uscc,
                                 id_number=self.entity.id_number,
                                 legal_representative=self.entity.legal_representative,
                                 address=self.entity.address, phone=self.entity.phone)
        self.case = cases.case_create(actor=self.officer, kind=kind, title=title, parties=[party],
                                      unit_code=self.unit, matter_code=matter_code, facts=facts,
                                      discovered_on=discovered_on)
        ledger_append(subject=self.case.ref, action=DEMO_ACTION, actor="system", payload={
            "plan": self.plan, "scenario": self.scenario.name, "seed": SEED, "note": DEMO_NOTE})

    def backdate(self, days: int | None = None, *, notified_days: int | None = None) -> None:
        self.case = _backdate(self.case, days, notified_days=notified_days)

    # investigation ------------------------------------------------------------------------------------
    def investigate(self, discovered: dt.date, *, video: bool = False) -> None:
        self.to("investigating")
        process = INDUSTRY[self.entity.industry].process if self.entity.industry in INDUSTRY else "经营场所"
        when = self.at(discovered, 9 + self.rng.randrange(0, 3), self.rng.randrange(0, 60))

        def inspection_evidence(activity):
            self.photo(activity, when + dt.timedelta(minutes=12), f"现场检查照片：{process}全景及违法情形")
            self.photo(activity, when + dt.timedelta(minutes=25), f"现场检查照片：{process}细部（设施运行状态）")
            if video:
                self.video(activity, when, f"现场检查执法记录仪视频：出示执法证件、告知权利义务、检查{process}全过程")

        self.act("inspection", when, place=f"{self.entity.address}（{process}）",
                 notes=f"现场检查笔录：执法人员出示执法证件，表明身份，告知当事人陈述申辩和申请回避的权利；检查{process}。",
                 evidence=inspection_evidence)
        if self.matter is not None and self.matter.field in ("air", "water", "noise") and self.rng.random() < 0.5:
            sampled = when + dt.timedelta(minutes=50)
            self.act("sampling", sampled, notes="按技术规范采样，样品当场封存并由当事人现场负责人签字确认。",
                     evidence=lambda a: self.photo(a, sampled + dt.timedelta(minutes=5), "采样过程照片：采样点位及样品封存"))
        if self.rng.random() < 0.4:
            return  # the interview (调查询问) is recorded for most cases, not all
        asked_day = min(self.today, discovered + dt.timedelta(days=self.rng.randrange(1, 4)))
        asked = self.at(asked_day, 14, self.rng.randrange(0, 50))
        self.act("interview", asked, place=f"上海市{self.district.name}生态环境局询问室" if self.unit != "city-corps"
                 else "上海市生态环境局执法总队询问室",
                 notes=f"调查询问笔录：询问{self._contact()}，当事人对检查发现的情况予以确认。",
                 evidence=lambda a: self.audio(a, asked, "调查询问同步录音", self._contact()))

    # proposal, notification, responses --------------------------------------------------------------
    def propose(self, *, major: bool, variant: str = "") -> None:
        self.types, self.fine, self.confiscation = _penalty(self.matter, self.entity, major=major,
                                                            variant=variant, rng=self.rng)
        self.case = cases.case_propose(case_id=self.case.pk, actor=self.officer, penalty_types=self.types,
                                       fine_amount=self.fine, confiscation_amount=self.confiscation,
                                       legal_basis=self.matter.penalty_basis)

    def flag_major(self) -> None:
        field = self.matter.field if self.matter is not None else ""
        flag, reason = {
            "water": ("public_interest", "排污口下游为黄浦江上游饮用水水源保护区，涉及重大公共利益"),
            "air": ("social_risk", "周边居民区集体投诉恶臭与废气排放，媒体已关注，可能造成重大社会影响"),
        }.get(field, ("complex", "涉及多个违法行为及委托运输、处置合同关系，案情疑难复杂"))
        self.case = cases.case_flag_set(case_id=self.case.pk, actor=self.officer, flag=flag, reason=reason)

    def respond(self, on: dt.date, *, hearing: str = "waiver") -> None:
        statement = self.rng.random() < 0.55
        if statement:
            cases.party_response_record(case_id=self.case.pk, actor=self.officer, kind="statement", received_on=on,
                                        text=self.rng.choice(STATEMENTS))
        else:
            cases.party_response_record(case_id=self.case.pk, actor=self.officer, kind="waiver", received_on=on,
                                        text="当事人书面表示放弃陈述、申辩的权利。")
        self.case.refresh_from_db()
        answered = self.case.responses.filter(kind__in=["hearing_request", "hearing_waiver"],
                                              received_on__gte=self.case.notified_on).exists()
        if self.case.hearing_offered and hearing and not answered:
            kind = "hearing_request" if hearing == "request" else "hearing_waiver"
            text = "当事人书面申请举行听证。" if hearing == "request" else "当事人书面表示放弃听证的权利。"
            cases.party_response_record(case_id=self.case.pk, actor=self.officer, kind=kind, received_on=on, text=text)
        self.statement = statement

    # review and discussion ---------------------------------------------------------------------------
    def submit(self, *, hearing_held: bool = False):
        materials = MATERIALS + (["statement_record"] if getattr(self, "statement", False) else [])
        materials += ["hearing_report"] if hearing_held else []
        submission = cases.case_submit_review(case_id=self.case.pk, actor=self.officer, materials=materials,
                                              note=f"拟{self._summary()}，属重大执法决定，提请法制审核。")
        self.case.refresh_from_db()
        return submission

    def opinion(self, submission, *, approved: bool) -> None:
        reviewer = self.reviewers[self.plan % len(self.reviewers)]
        if approved:
            cases.case_review_opinion(review_id=submission.pk, reviewer=reviewer, result="approved",
                                      findings=APPROVED_FINDINGS, text=f"经审核，同意承办机构拟处理意见：{self._summary()}。")
        else:
            cases.case_review_opinion(review_id=submission.pk, reviewer=reviewer, result="problems",
                                      findings=PROBLEM_FINDINGS,
                                      text="经审核，存在问题：证据链不完整，裁量理由不充分。退回承办机构补充调查后重新提出处理意见。")
        self.case.refresh_from_db()

    def discuss(self) -> None:
        cases.case_collective_discussion(
            case_id=self.case.pk, actor=self.staff.agency_head, held_on=self.today,
            attendee_ids=[self.staff.agency_head.pk, self.staff.deputy.pk],
            opinions=f"承办机构{self.staff.unit_head.full_name}汇报案情；法制审核机构意见为同意。与会负责人一致认为事实清楚、证据确凿。",
            conclusion=f"经集体讨论，同意{self._summary()}。")
        self.case.refresh_from_db()

    # decision and after --------------------------------------------------------------------------------
    def _summary(self) -> str:
        parts = []
        if "production_suspension" in self.types:
            parts.append("责令停产整治")
        if "closure" in self.types:
            parts.append("报经区人民政府批准责令关闭")
        if self.fine:
            parts.append(f"罚款{_money(self.fine)}")
        if self.confiscation:
            parts.append(f"没收违法所得{_money(self.confiscation)}")
        return "、".join(parts) or "不予处罚"

    def decide(self, on: dt.date | None = None) -> None:
        decision_kind = {"penalty": "penalty", "coercion": "coercion", "permit": "permit"}[self.case.kind]
        major = self.case.major or self.scenario.major
        actor = self.staff.agency_head if (major or decision_kind != "penalty") else self.staff.unit_head
        if decision_kind == "penalty":
            items = []
            if "closure" in self.types:
                items.append(f"经上海市{self.district.name}人民政府批准，责令当事人关闭")
            else:
                items.append("责令当事人立即改正违法行为")
            if "production_suspension" in self.types:
                items.append("责令当事人停产整治，整治期间不得恢复生产")
            if self.fine:
                items.append(f"罚款{_money(self.fine)}")
            if self.confiscation:
                items.append(f"没收违法所得{_money(self.confiscation)}")
            conclusion = "；".join(f"{'一二三四五'[i]}、{item}" for i, item in enumerate(items)) + "。"
            draft = cases.DecisionDraft(
                kind="penalty", decided_on=on or self.today, legal_basis=self.matter.penalty_basis,
                facts=self.case.facts + "以上事实有现场检查笔录、调查询问笔录、现场照片、监测报告等证据为证。",
                conclusion=conclusion, penalty_types=tuple(self.types), fine_amount=self.fine,
                confiscation_amount=self.confiscation)
        elif decision_kind == "coercion":
            start = on or self.today
            draft = cases.DecisionDraft(
                kind="coercion", decided_on=start,
                legal_basis="《中华人民共和国环境保护法》第二十五条；《中华人民共和国行政强制法》第二十二条、第二十四条、第二十五条",
                facts=self.case.facts,
                conclusion=(f"对当事人造成污染物排放的{self._equipment()}予以查封，查封期限为三十日"
                            f"（自{start:%Y年%m月%d日}至{start + dt.timedelta(days=29):%Y年%m月%d日}）。"))
        else:
            draft = cases.DecisionDraft(
                kind="permit", decided_on=on or self.today, legal_basis="《排污许可管理条例》第十一条、第十四条",
                facts=self.case.facts,
                conclusion=f"准予核发排污许可证，证书编号{self.entity.uscc}001P，有效期五年。")
        cases.case_decide(case_id=self.case.pk, actor=actor, draft=draft)
        self.case.refresh_from_db()

    def _equipment(self) -> str:
        process = INDUSTRY[self.entity.industry].process if self.entity.industry in INDUSTRY else "生产场所"
        return f"{process}生产设备及废气（废水）处理设施"

    def serve(self, when: dt.datetime) -> None:
        self.act("service", when, notes=f"直接送达行政处罚决定书，{self._contact()}签收送达回证。",
                 evidence=lambda a: self.photo(a, when, "送达回证签收照片"))
        self.to("served")


STATEMENTS = (
    "当事人提出：违法行为系废气处理设备突发故障所致，发现后已立即停产检修并完成整改，请求从轻处罚。",
    "当事人称已委托有资质的第三方重新监测，排放已稳定达标，且系初次违法，请求减轻处罚。",
    "当事人对违法事实无异议，提出企业经营困难，申请延期缴纳罚款。",
    "当事人提出：相关台账已补建完毕，已安排专人负责环境管理，请求从轻处理。",
)


def _round(amount: Decimal, step: int) -> Decimal:
    return (amount / step).to_integral_value() * step


def _penalty(matter, entity: Entity, *, major: bool, variant: str, rng: random.Random):
    """Penalty types, fine and confiscation for the matter: a fine within its legal range.

    Major (by amount): from 200,000 yuan (organizations) or 5,000 yuan (natural persons and
    individual businesses); general cases stay below, half of them below the 50,000-yuan
    hearing threshold; the hearing variants lie between 50,000 and 200,000 yuan.
    """
    small = entity.type != "organization"
    types = ["fine"]
    if matter.fine_min is None and matter.fine_max is None:  # a share of the total investment (EIA-001)
        investment = Decimal(rng.randrange(2000, 8000) if major else rng.randrange(300, 1400)) * 10000
        pct = Decimal(rng.choice(["1", "1.5", "2"]) if major else "1") / 100
        return types, _round(investment * pct, 1000), None
    lo = matter.fine_min if matter.fine_min is not None else Decimal("1000" if small else "10000")
    hi = matter.fine_max if matter.fine_max is not None else lo * 3
    if small:
        floor, ceiling = (max(lo, PERSON_MAJOR_THRESHOLD), min(hi, Decimal("30000"))) if major \
            else (lo, min(hi, Decimal("4800")))
        fine = _round(floor + (ceiling - floor) * Decimal(rng.random()), 100)
        return types, max(floor, min(fine, ceiling)), None
    if variant == "suspension":
        types.append("production_suspension")
    if variant == "closure":
        types.append("closure")
    if variant in ("hearing_requested", "hearing_held"):  # a hearing is offered from 50,000 yuan
        floor, ceiling = max(lo, HEARING_THRESHOLD), min(hi, MAJOR_THRESHOLD - 1)
    elif major and variant not in ("suspension", "closure") and hi >= MAJOR_THRESHOLD:
        floor = max(lo, MAJOR_THRESHOLD)
        ceiling = min(hi, max(floor * 2, Decimal("600000")))
    elif major:  # the penalty type makes it major; the fine follows the legal range
        floor, ceiling = lo, min(hi, max(lo * 3, Decimal("300000")))
    else:
        floor, ceiling = lo, min(hi, MAJOR_THRESHOLD - 1)
        if rng.random() < 0.5:  # many general cases stay under the hearing threshold
            ceiling = min(ceiling, max(floor, Decimal("45000")))
    step = 10000 if floor >= 200000 else 5000 if floor >= 50000 else 1000
    fine = _round(floor + (ceiling - floor) * Decimal(rng.random() ** 1.3), step)
    fine = max(floor, min(fine, ceiling))
    confiscation = None
    if "confiscation" in matter.penalty_types and rng.random() < 0.3:
        confiscation = Decimal(rng.randrange(30, 450)) * 100  # 违法所得, under the hearing threshold
        types.append("confiscation")
    return types, fine, confiscation


def _backdate(case: Case, days: int | None = None, *, notified_days: int | None = None) -> Case:
    """DEMO ONLY: move the case row's filing and/or notification date back in time.

    The services stamp today on filing and notification; an overdue situation needs an older
    date. Only the case row changes (registered_on / notified_on); the deadlines are
    recomputed and a `demo.backdated` ledger entry records the old and the new dates.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    today = timezone.localdate()
    changes, fields = {}, []
    if days is not None:
        new = today - dt.timedelta(days=days)
        changes["registered_on"] = {"from": case.registered_on.isoformat(), "to": new.isoformat()}
        case.registered_on = new
        fields.append("registered_on")
    if notified_days is not None and case.notified_on is not None:
        new = today - dt.timedelta(days=notified_days)
        changes["notified_on"] = {"from": case.notified_on.isoformat(), "to": new.isoformat()}
        case.notified_on = new
        fields.append("notified_on")
    if not fields:
        return case
    case.save(update_fields=fields)
    deadlines.refresh(case)
    ledger_append(subject=case.ref, action=BACKDATE_ACTION, actor="system", payload={
        **changes, "reason": "演示数据：为呈现超期情形，将案件日期回溯（仅改案件记录的日期字段）", "note": DEMO_NOTE})
    return case


# --- the scenarios' scripts ----------------------------------------------------------------------

def _penalty_flow(f: Flow) -> None:
    s, rng, today = f.scenario, f.rng, f.today
    overdue = s.variant == "overdue"
    # Overdue cases: filed `back` days ago; notified back-8, answered back-10, decided back-12,
    # served back-14 days ago (so the service, publication or payment deadline has passed).
    back = {"investigating": rng.randrange(100, 140), "examining": rng.randrange(93, 120),
            "notified": rng.randrange(25, 35), "decided": rng.randrange(40, 55),
            "executing": rng.randrange(70, 85)}.get(s.target, 0) if overdue else 0
    discovered = f.days_ago(back + rng.randrange(2, 12))
    title = f"{f.entity.name}{CAUSES.get(f.matter.code, f.matter.name)}案"
    f.file(kind="penalty", title=title, facts=_facts(f.entity, f.matter, discovered, rng), discovered_on=discovered,
           matter_code=f.matter.code)
    if back:
        f.backdate(back)
    if s.target == "registered":
        return
    if s.target == "withdrawn":
        f.to("withdrawn", "经初步核查，该线索反映的排放行为系相邻单位所为，当事人不存在违法事实，撤销立案。",
             actor=f.staff.unit_head)
        return
    f.investigate(discovered, video=rng.random() < 0.35)
    if s.target == "investigating":
        return
    if s.target == "transferred":
        f.to("transferred", "当事人涉嫌污染环境罪，依据《行政执法机关移送涉嫌犯罪案件的规定》移送公安机关。",
             actor=f.staff.unit_head)
        return
    f.to("examining")
    if s.target == "not_punished":
        f.to("not_punished", "当事人初次违法且危害后果轻微并及时改正，依据《中华人民共和国行政处罚法》第三十三条第一款，"
             "决定不予行政处罚。", actor=f.staff.unit_head)
        return
    hearing_variant = s.variant in ("hearing_requested", "hearing_held")
    # Some major cases are major by a flag with its reason (public interest, social risk, complexity).
    by_flag = (s.major and s.variant in ("", "problems") and f.entity.type == "organization"
               and f.matter.field in ("air", "water", "solid_waste", "hazardous_waste") and rng.random() < 0.2)
    f.propose(major=s.major and not by_flag and not hearing_variant, variant=s.variant)
    if s.major and not hearing_variant and not f.case.major:
        f.flag_major()  # the amount alone does not make it major: a reason on the record does
    if s.target == "examining" and s.variant != "problems":
        return
    f.to("notified")
    if overdue and s.target in ("notified", "decided", "executing"):
        f.backdate(notified_days=14 if s.target == "notified" else back - 8)
    if s.target == "notified":
        return
    answered = min(today, f.case.notified_on + dt.timedelta(days=2))
    f.respond(answered, hearing="request" if hearing_variant else "waiver")
    if hearing_variant:
        f.to("hearing")
        if s.target == "hearing":
            return
        held = f.recent(90)
        f.act("hearing", held, place=f"上海市{f.district.name}生态环境局听证室", officers=[f.staff.unit_head],
              notes="听证笔录：听证主持人宣布听证纪律，调查人员提出违法事实、证据和处罚建议，当事人进行申辩和质证。",
              evidence=lambda a: f.audio(a, held, "听证会同步录音", f._contact()))
    if s.major or f.case.major:
        submission = f.submit(hearing_held=s.variant == "hearing_held")
        if s.target == "legal_review":
            return
        if s.variant in ("problems", "resubmitted", "escalated"):
            f.opinion(submission, approved=False)
            if s.target == "examining":
                return
            if s.variant == "escalated":
                cases.case_review_escalate(review_id=submission.pk, actor=f.staff.unit_head,
                                           reason="承办机构认为采样记录已补签、证据充分，裁量符合基准，提请机关负责人协调。")
                cases.case_review_settle(review_id=submission.pk, actor=f.staff.agency_head, settlement="approved",
                                         text="经协调，采样记录已补正，同意承办机构拟处理意见。")
                f.case.refresh_from_db()
                if f.case.stage == "examining":  # services that leave it there: notify again to go on
                    f.to("notified")
                    f.respond(today)
            else:  # evidence supplemented, second review round
                f.photo(None, f.recent(30), "补充证据：经采样人员签字确认的监测报告照片")
                submission = f.submit()
                f.opinion(submission, approved=True)
        else:
            f.opinion(submission, approved=True)
        f.discuss()
        if s.target == "collective_discussion":
            return
    f.decide(f.days_ago(back - 12) if overdue else today)
    if s.target == "decided":
        return
    f.serve(f.at(f.days_ago(back - 14), 10) if overdue else f.recent(10))
    if s.target == "served":
        return
    if s.target == "executing" or s.variant in ("suspension", "closure"):
        f.to("executing")
        if s.variant in ("suspension", "closure"):
            kind = "production_restriction" if s.variant == "suspension" else "closure"
            what = "责令停产整治现场执行" if kind == "production_restriction" else "责令关闭现场执行"
            when = f.recent(5)
            f.act(kind, when, notes=f"{what}：对生产设备电源加贴封条，当事人现场负责人在场见证。",
                  evidence=lambda a: f.video(a, when, f"{what}全程执法记录仪视频"))
    if s.target == "executing":
        return
    note = "当事人已履行行政处罚决定，罚款已全额缴纳，结案。" if f.fine else "当事人已履行行政处罚决定，结案。"
    f.to("closed", note, actor=f.staff.unit_head)


def _coercion_flow(f: Flow) -> None:
    s, rng = f.scenario, f.rng
    discovered = f.days_ago(rng.randrange(0, 3))
    cause = CAUSES.get(f.matter.code, f.matter.name) if f.matter else "违法排放污染物"
    f.file(kind="coercion", title=f"对{f.entity.name}涉嫌{cause}的设施设备实施查封",
           facts=_facts(f.entity, f.matter, discovered, rng) + "当事人违法排放污染物，可能造成严重污染，拟依法实施查封。",
           discovered_on=discovered)
    f.investigate(discovered, video=True)
    if s.target == "investigating":
        return
    f.decide()
    if s.target == "decided":
        return
    f.to("executing")
    when = f.recent(30)
    f.act("seizure", when, notes=f"查封现场笔录：对{f._equipment()}加贴查封封条，制作查封清单，当事人现场负责人签字确认。",
          evidence=lambda a: (f.video(a, when, "查封全过程执法记录仪视频：宣读查封决定书、加贴封条、清点财物"),
                              f.photo(a, min(timezone.now(), when + dt.timedelta(minutes=20)), "查封封条照片")))
    if s.target == "executing":
        return
    f.to("closed", "当事人已完成整改，经现场核查，依法解除查封，结案。")


def _inspection_flow(f: Flow) -> None:
    s, rng = f.scenario, f.rng
    discovered = f.days_ago(rng.randrange(0, 5))
    label = rng.choice(["双随机抽查", "日常监督检查", "信访投诉核查"])
    f.file(kind="inspection", title=f"{f.entity.name}{discovered.year}年{label}",
           facts=f"依据{'本局双随机、一公开抽查计划' if label == '双随机抽查' else '日常监管计划'}，对当事人位于{f.entity.address}的生产经营场所进行检查。",
           discovered_on=discovered)
    if s.target == "registered":
        return
    f.to("investigating")
    when = f.at(discovered, 10, rng.randrange(0, 50))
    f.act("inspection", when, notes="现场检查笔录：检查污染防治设施运行情况、排污许可执行情况及环境管理台账。",
          evidence=lambda a: (f.photo(a, when + dt.timedelta(minutes=10), "现场检查照片：污染防治设施"),
                              f.photo(a, when + dt.timedelta(minutes=30), "现场检查照片：环境管理台账"),
                              f.video(a, when, "现场检查执法记录仪视频") if rng.random() < 0.4 else None))
    if s.target == "investigating":
        return
    f.to("closed", rng.choice(["检查未发现环境违法行为，检查结束。",
                               "检查发现台账记录不规范，已当场责令改正，检查结束。"]))


def _permit_flow(f: Flow) -> None:
    s, rng = f.scenario, f.rng
    applied = f.days_ago(rng.randrange(0, 6))
    f.file(kind="permit", title=f"{f.entity.name}排污许可证核发申请",
           facts=f"当事人于{applied:%Y年%m月%d日}通过全国排污许可证管理信息平台提交排污许可证申请，申请材料齐全。",
           discovered_on=applied)
    if s.target == "registered":
        return
    if s.target == "withdrawn":
        f.to("withdrawn", "申请人书面申请撤回排污许可证申请，终止审查。")
        return
    f.to("examining")
    when = f.at(applied, 14, rng.randrange(0, 50))
    f.act("inspection", when, notes="现场核查：核实排污口位置、污染防治设施及自行监测方案与申请材料一致。",
          evidence=lambda a: f.photo(a, when + dt.timedelta(minutes=15), "现场核查照片：排污口标志牌"))
    if s.target == "examining":
        return
    f.decide()
    if s.target == "decided":
        return
    f.to("closed", "排污许可证已发放，办结。")


FLOWS = {"penalty": _penalty_flow, "coercion": _coercion_flow, "inspection": _inspection_flow,
         "permit": _permit_flow}


# --- choosing the plan ------------------------------------------------------------------------------

def _fits(matter, scenario: Scenario, entity: Entity) -> bool:
    lo = matter.fine_min if matter.fine_min is not None else Decimal(0)
    if scenario.variant == "suspension":
        return "production_suspension" in matter.penalty_types
    if scenario.variant == "closure":
        return "closure" in matter.penalty_types
    if entity.type != "organization":
        return lo < PERSON_MAJOR_THRESHOLD
    if scenario.variant in ("hearing_requested", "hearing_held"):
        return lo < MAJOR_THRESHOLD and (matter.fine_max is None or matter.fine_max >= HEARING_THRESHOLD)
    if not scenario.major:
        return lo < MAJOR_THRESHOLD
    return matter.fine_max is None or matter.fine_max >= MAJOR_THRESHOLD  # major by amount (or a flag)


def _choose(plan: int, scenario: Scenario, entities: dict[str, list[Entity]], matters: dict, rng: random.Random):
    districts = list(DISTRICT_WEIGHTS)
    weights = [DISTRICT_WEIGHTS[d] for d in districts]
    for _attempt in range(200):
        district = rng.choices(districts, weights)[0]
        if scenario.party == "small" and scenario.kind == "penalty":
            wanted = "person" if rng.random() < 0.4 else "individual_business"
        else:
            wanted = "organization"
        pool = [e for e in entities[district] if e.type == wanted]
        entity = rng.choice(pool)
        if scenario.kind == "penalty":
            fitting = [matters[c] for c in entity.matters if c in matters and _fits(matters[c], scenario, entity)]
            if not fitting:
                continue
            matter = rng.choice(fitting)
            unit = "city-corps" if matter.level == "city" else district
            return entity, matter, unit
        matter = matters.get(rng.choice(entity.matters)) if scenario.kind == "coercion" else None
        if scenario.kind == "coercion" and (matter is None or matter.field not in ("air", "water", "hazardous_waste")):
            continue
        unit = "city-corps" if scenario.kind == "inspection" and rng.random() < 0.15 else district
        return entity, matter, unit
    raise RuntimeError(f"no entity fits scenario {scenario.name}")


def _done_plans() -> dict[int, str]:
    done = {}
    for body, subject in LedgerEntry.objects.filter(action=DEMO_ACTION).values_list("body", "subject"):
        payload = json.loads(body).get("payload", {})
        if isinstance(payload.get("plan"), int):
            done[payload["plan"]] = subject
    return done


def demo_case_ids() -> list[int]:
    """The ids of the demo cases (those with a `demo.generated` ledger entry)."""
    return sorted(int(s.split(":", 1)[1]) for s in _done_plans().values())


def seed(progress: Callable[[str], None], *, count: int = 200, seed: int = SEED) -> dict:
    """Create the demo cases not yet present among plans 0…count-1; report what there is."""
    started = time.monotonic()
    done = _done_plans()
    todo = [i for i in range(count) if i not in done]
    report = {"requested": count, "created": 0, "existing": len(done), "skipped": not todo, "failed": [], "evidence": 0,
              "video_source": media.video_source() if todo else "", "stages": {}, "seconds": 0.0}
    if todo:
        staff = _staff()
        reviewers = list(User.objects.filter(username__in=["rev.legal1", "rev.legal2"]).order_by("username"))
        entities = build_entities(seed)
        matters = {m.code: m for m in catalog.matter_list(case_kind="penalty")}
        sequence = scenario_sequence(count)
        for n, plan in enumerate(todo, start=1):
            progress(f"cases {len(done) + n}/{count}")
            scenario = sequence[plan]
            rng = random.Random(f"sanxiang-demo-case:{seed}:{plan}")  # noqa: S311 (reproducible demo data)
            entity, matter, unit = _choose(plan, scenario, entities, matters, rng)
            flow = Flow(plan=plan, scenario=scenario, entity=entity, matter=matter, unit=unit, staff=staff[unit],
                        reviewers=reviewers, rng=rng)
            try:
                with transaction.atomic():
                    FLOWS[scenario.kind](flow)
            except DomainError as err:
                report["failed"].append({"plan": plan, "scenario": scenario.name, "code": err.code,
                                         "message": str(err), "details": getattr(err, "details", {})})
                continue
            report["created"] += 1
            report["evidence"] += flow.evidence
    report["stages"] = stage_counts()
    report["seconds"] = time.monotonic() - started
    return report


def stage_counts() -> dict[str, dict[str, int]]:
    """Demo cases per kind and stage."""
    out: dict[str, Counter] = defaultdict(Counter)
    for kind, stage in Case.objects.filter(pk__in=demo_case_ids()).values_list("kind", "stage"):
        out[kind][stage] += 1
    order = ["registered", "investigating", "examining", "notified", "hearing", "legal_review",
             "collective_discussion", "decided", "served", "executing", "closed", "archived",
             "not_punished", "withdrawn", "transferred"]
    return {kind: {s: c[s] for s in order if c[s]} for kind, c in sorted(out.items())}
