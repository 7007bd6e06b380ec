"""Browser: a penalty case from filing to decision through the staff UI, at 375 px in Chromium.

Officer, legal-unit reviewer and agency head each log in through the login form in their own
browser context. The photo goes through the chunked upload script (resumable upload API).
Texts are looked up through the translation catalogue, so the test reads whatever the
zh-Hans catalogue says (the English msgid until a translation is merged).

Set SANXIANG_SCREENSHOTS=/tmp to keep full-page screenshots of the workbench, a step form
and the case page (ui-*.png).
"""

from __future__ import annotations

import os
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Error as PlaywrightError

from sanxiang.calendar.selectors import add_working_days
from sanxiang.cases.constants import Stage
from sanxiang.cases.models import Case
from sanxiang.records.models import Evidence
from sanxiang.web.tests.test_cases_pages import FINDINGS, png_bytes
from tests.browser.conftest import assert_fits_width
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USCC = "91310000717854505W"
BASIS = "《中华人民共和国大气污染防治法》第九十九条第二项"


def zh(msgid) -> str:
    """The zh-Hans text of a msgid (plain or lazy) as the catalogue has it now."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid) if isinstance(msgid, str) else str(msgid)


def shot(page, name: str) -> None:
    where = os.environ.get("SANXIANG_SCREENSHOTS")
    if where:
        page.screenshot(path=os.path.join(where, f"ui-{name}.png"), full_page=True)


class Staff:
    """One user's phone: own browser context, logged in through the login form."""

    def __init__(self, chromium, base: str, username: str):
        self.base = base
        self.context = chromium.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN",
                                            device_scale_factor=2, is_mobile=True, has_touch=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("request", lambda r: self.requests.append(f"{r.method} {r.url}"))
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}")
                     if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
        self.page.goto(f"{base}/login/")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(f"{base}/")

    def case_url(self, case_id: int) -> str:
        return f"{self.base}/cases/{case_id}/"

    def step(self, case_id: int, name: str, fill) -> None:
        """Open a step form from the case page, fill it, submit, land back on the case page."""
        page = self.page
        page.locator(f"a[data-step='{name}']").click()
        page.wait_for_url(f"**/cases/{case_id}/{name}/")
        assert_fits_width(page)
        fill(page)
        page.locator("form.step-form button[type=submit]").click()
        page.wait_for_url(self.case_url(case_id))
        assert page.locator(".messages").count() == 1, page.locator("main").inner_text()
        assert page.locator(".errorbox").count() == 0

    def close(self) -> None:
        # Chromium reports a missing favicon as a console error; the page has none to offer.
        errors = [e for e in self.errors if "favicon" not in e and "404 (Not Found)" not in e
                  and "ERR_CONNECTION_RESET" not in e]
        assert errors == [], self.errors
        self.context.close()


def preview_width(page, attempts: int = 3) -> int:
    """Width of the image the evidence preview points to, decoded by the browser (retried if a
    reload of the page interrupts the evaluation)."""
    for attempt in range(attempts):
        try:
            return page.evaluate("""async () => {
                const img = document.querySelector('#evidence img.preview');
                const blob = await (await fetch(img.src, {credentials: 'same-origin'})).blob();
                return (await createImageBitmap(blob)).width;
            }""")
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            page.wait_for_load_state("load")
    return 0

def test_penalty_case_from_filing_to_decision_on_a_phone(live_server, chromium, make_user):
    off1 = make_user("pudong", "officer", username="zhang", full_name="张执法", certificate="SH3101150101")
    make_user("pudong", "officer", username="li", full_name="李执法", certificate="SH3101150102")
    make_user("city-legal", "reviewer", username="chen", full_name="陈审核")
    make_user("pudong", "agency_head", username="wang", full_name="王局长")
    make_user("pudong", "agency_head", username="zhao", full_name="赵副局长")
    base = live_server.url

    # --- officer: file, investigate, record, upload, examine, propose, notify, responses, submit
    officer = Staff(chromium, base, "zhang")
    page = officer.page
    page.goto(f"{base}/cases/new/")
    assert_fits_width(page)
    page.select_option("#id_kind", "penalty")
    page.fill("#id_title", "上海某某化工有限公司超标排放大气污染物案")
    page.fill("#id_facts", "执法检查发现废气排放口颗粒物浓度超标。")
    page.select_option("#id_party_type", "organization")
    page.fill("#id_party_name", "上海某某化工有限公司")
    page.fill("#id_party_uscc", USCC)
    page.fill("#id_party_legal_representative", "张三")
    page.locator("form.step-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    case = Case.objects.get(pk=case_id)
    assert case.number in page.locator(".case-head").inner_text()
    assert_fits_width(page)

    officer.step(case_id, "transition", lambda p: p.select_option("#id_to", "investigating"))

    def inspection(p):
        p.select_option("#id_kind", "inspection")
        p.get_by_label("张执法").check()
        p.get_by_label("李执法").check()
        p.fill("#id_place", "上海市浦东新区某路1号 废气排放口")
        shot(p, "step-activity")
    officer.step(case_id, "activity", inspection)
    activity_text = page.locator("#activities").inner_text()
    assert "SH3101150101" in activity_text and "SH3101150102" in activity_text

    # The photo: chunked upload through the resumable upload API, then registration.
    page.locator("a[data-step='evidence']").click()
    page.wait_for_url(f"**/cases/{case_id}/evidence/")
    assert page.locator("form[data-upload-ready='chunked']").count() == 1
    assert page.locator("#id_file").get_attribute("capture") == "environment"
    page.set_input_files("#id_file", files=[{"name": "scene.png", "mimeType": "image/png", "buffer": png_bytes(64, 48)}])
    assert page.locator("#id_kind").input_value() == "photo"
    page.fill("#id_description", "废气排放口现场照片")
    page.select_option("#id_activity_id", index=1)
    shot(page, "step-evidence")
    assert_fits_width(page)
    dropped: list[str] = []

    def drop_first_chunk(route):  # the network fails once: the script asks for the offset and resumes
        if dropped:
            route.continue_()
        else:
            dropped.append(route.request.url)
            route.abort("connectionreset")
    page.route(re.compile(r".*/api/v1/uploads/[^/?]+\?offset=0$"), drop_first_chunk)
    page.locator("form.step-form button[type=submit]").click()
    page.wait_for_url(f"{base}/cases/{case_id}/#evidence")
    page.unroute(re.compile(r".*/api/v1/uploads/[^/?]+\?offset=0$"))
    assert len(dropped) == 1
    puts = [r for r in officer.requests if r.startswith("PUT ") and "/api/v1/uploads/" in r]
    assert len(puts) == 2 and all(r.endswith("offset=0") for r in puts)
    assert any(r == f"GET {dropped[0].split('?')[0]}" for r in officer.requests)  # resumed from the server's offset
    assert any(r.startswith("POST ") and r.endswith(f"/api/v1/cases/{case_id}/evidence/from-upload")
               for r in officer.requests)
    evidence = Evidence.objects.get(subject=case.ref, kind="photo")
    assert evidence.sniffed_content_type == "image/png" and evidence.filename == "scene.png"
    shown = page.locator("#evidence").inner_text()
    assert evidence.blob_id in shown and evidence.blob.sm3 in shown
    image = page.locator("#evidence img.preview")
    served = page.request.get(base + image.get_attribute("src"))  # the preview URL, with the officer's session
    assert served.status == 200 and served.headers["content-type"] == "image/png"
    # The preview is shown and Chromium decodes what it points to as the 64 px image — decoded from
    # the preview URL itself, not from when Chromium chooses to fetch a lazy <img>.
    page.wait_for_load_state("load")
    assert image.is_visible()
    assert preview_width(page) == 64
    assert_fits_width(page)

    page.locator("button[data-activity]").click()
    page.wait_for_url(officer.case_url(case_id))
    officer.step(case_id, "transition", lambda p: p.select_option("#id_to", "examining"))

    def proposal(p):
        p.check("input[name=penalty_types][value=fine]")
        p.fill("#id_fine_amount", "500000")
        p.fill("#id_legal_basis", BASIS)
    officer.step(case_id, "proposal", proposal)
    assert zh("Major decision") in page.locator(".case-head").inner_text()
    officer.step(case_id, "transition", lambda p: p.select_option("#id_to", "notified"))

    def statement(p):
        p.select_option("#id_kind", "statement")
        p.fill("#id_text", "当事人称已整改，请求从轻处罚。")
    officer.step(case_id, "party-response", statement)
    officer.step(case_id, "party-response", lambda p: p.select_option("#id_kind", "hearing_waiver"))
    officer.step(case_id, "review-submit", lambda p: p.fill("#id_note", "请审核"))
    assert Case.objects.get(pk=case_id).stage == Stage.LEGAL_REVIEW
    page.goto(f"{base}/")
    assert page.locator("#todos .todo").count() >= 1
    shot(page, "workbench")
    assert_fits_width(page)
    officer.close()

    # --- reviewer of the legal unit: the queue, the seven findings, approve
    reviewer = Staff(chromium, base, "chen")
    page = reviewer.page
    page.locator("nav.mainnav").get_by_role("link", name="法制审核").click()
    page.wait_for_url(f"{base}/reviews/")
    assert_fits_width(page)
    page.get_by_role("link", name=case.title).click()
    page.wait_for_url(re.compile(r".*/reviews/\d+/$"))
    page.check("input[name=result][value=approved]")
    for key, text in FINDINGS.items():
        page.fill(f"#id_finding_{key}", text)
    page.fill("#id_text", "经审核，同意拟处罚意见。")
    shot(page, "review")
    assert_fits_width(page)
    page.locator("form.step-form button[type=submit]").click()
    page.wait_for_url(reviewer.case_url(case_id))
    assert "经审核，同意拟处罚意见。" in page.locator("#reviews").inner_text()
    reviewer.close()

    # --- agency head: awaiting on the workbench, collective discussion, decision
    head = Staff(chromium, base, "wang")
    page = head.page
    page.locator(f"#awaiting a[href='/cases/{case_id}/']").click()
    page.wait_for_url(head.case_url(case_id))

    def discussion(p):
        p.get_by_label("赵副局长").check()
        p.fill("#id_conclusion", "同意对当事人罚款人民币伍拾万元。")
    head.step(case_id, "collective", discussion)

    def decide(p):
        assert p.locator("input[name=penalty_types][value=fine]").is_checked()
        assert p.locator("#id_fine_amount").input_value() == "500000.00"
        p.fill("#id_conclusion", "罚款人民币伍拾万元整。")
        shot(p, "step-decision")
    head.step(case_id, "decision", decide)

    decision = Case.objects.get(pk=case_id).decision
    due = add_working_days(timezone.localdate(), 7)
    assert page.locator(".case-head .badge.stage").inner_text() == zh(Stage.DECIDED.label)
    assert page.locator("#decision .doc-number").inner_text() == decision.document_number
    assert decision.document_number.startswith("沪浦环罚〔")
    assert due.date.isoformat() in page.locator("#decision .publication-due").inner_text()
    body = page.locator("main").inner_text()
    assert "决定" in body and decision.document_number in page.locator("#documents").inner_text()
    assert page.locator("#timeline li").count() >= 15
    shot(page, "case")
    assert_fits_width(page)
    head.close()
    assert off1.pk  # the officer is still the case's handler
