"""The stage table (案件阶段流转), walked pair by pair through the service and through the API.

API.md "Cases": the stages of each kind, side exits (不予处罚 / 撤销立案 / 移送) need a note,
`legal_review` and `decided` are reached only through their own endpoints, skipping an
optional stage is allowed where RULES.md allows it. DESIGN.md "The case, end to end".
STYLE.md habit 5: one test walks every pair, allowed and refused.

The expected table below is written from the documents, not read from `rules/stages.py`.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.constants import Stage
from sanxiang.cases.models import Activity, Decision, PartyResponse
from sanxiang.cases.tests.helpers import (
    BASIS,
    file_case,
    refused,
    reload,
    rolled_back,
    set_state,
    snapshot,
)
from sanxiang.core.errors import DomainError
from sanxiang.records.models import LedgerEntry

SIDE_EXITS = {"not_punished", "withdrawn", "transferred"}

#: kind → stage → stages the generic transition may move to (API.md, DESIGN.md).
ALLOWED = {
    "penalty": {
        "registered": {"investigating", "withdrawn", "transferred"},
        "investigating": {"examining", "withdrawn", "transferred"},
        "examining": {"notified", "investigating", "not_punished", "transferred"},
        "notified": {"hearing", "examining", "collective_discussion", "not_punished"},
        "hearing": {"collective_discussion", "not_punished"},
        "legal_review": {"collective_discussion", "examining", "not_punished"},
        "collective_discussion": {"not_punished", "examining"},
        "decided": {"served"},
        "served": {"executing", "closed"},
        "executing": {"closed"},
        "closed": {"archived"},
        "archived": set(), "not_punished": set(), "withdrawn": set(), "transferred": set(),
    },
    "coercion": {
        "registered": {"investigating", "withdrawn"},
        "investigating": {"withdrawn"},
        "decided": {"executing"},
        "executing": {"closed"},
        "closed": {"archived"},
        "archived": set(), "withdrawn": set(),
    },
    "inspection": {
        "registered": {"investigating"},
        "investigating": {"closed"},
        "closed": {"archived"},
        "archived": set(),
    },
    "permit": {
        "registered": {"examining", "withdrawn"},
        "examining": {"withdrawn"},
        "decided": {"closed"},
        "closed": {"archived"},
        "archived": set(), "withdrawn": set(),
    },
}

#: Stages from which the dedicated endpoints accept the case (the rest: transition_not_allowed).
REVIEWABLE = {"penalty": {"examining", "notified", "hearing"}, "coercion": {"investigating"},
              "permit": {"examining"}, "inspection": set()}
DECIDABLE = {"penalty": {"notified", "hearing", "legal_review", "collective_discussion"},
             "coercion": {"investigating"}, "permit": {"examining"}, "inspection": set()}

PAIRS = [(kind, frm) for kind, table in ALLOWED.items() for frm in table]


def _precondition(case, frm: str, to: str, people) -> None:
    """Satisfy the guard of an allowed move (state set directly: the guards are tested elsewhere)."""
    today = timezone.localdate()
    if to == Stage.NOTIFIED:
        set_state(case, proposed_penalty_types=["warning"], proposed_legal_basis=BASIS)
    elif to == Stage.HEARING:
        PartyResponse.objects.create(case=case, kind="hearing_request", received_on=today,
                                     recorded_by=people["off1"])
    elif to == Stage.SERVED:
        Decision.objects.create(case=case, kind="penalty", penalty_types=["warning"], decided_on=today,
                                legal_basis=BASIS, facts="事实", conclusion="警告", document_number=f"T{case.pk}",
                                decided_by=people["chief"])
        Activity.objects.create(case=case, kind="service", occurred_at=timezone.now(), complete=True,
                                created_by=people["off1"])


def _attempt(via, case, actor, api, to, note=""):
    """(status, code) of a transition attempt: 200/None when it went through."""
    if via == "service":
        try:
            services.case_transition(case_id=case.pk, actor=actor, to=to, note=note)
        except DomainError as err:
            return err.status, err.code
        return 200, None
    response = api.post(f"/cases/{case.pk}/transitions", {"to": to, "note": note})
    body = response.json()
    return response.status_code, (body.get("error") or {}).get("code")


@pytest.mark.parametrize("kind, frm", PAIRS, ids=[f"{k}-{f}" for k, f in PAIRS])
def test_every_stage_pair(kind, frm, people, api):
    """Each (kind, from, to): allowed moves succeed once their guard holds and append one
    `case.transition` entry; refused ones are 409 and leave nothing behind."""
    off1 = people["off1"]
    case = file_case(off1, kind=kind, title="阶段流转测试案")
    case = set_state(case, stage=frm, notified_on=timezone.localdate())
    client = api("off1")  # its token is made now, not inside the snapshots
    wrong = []
    for via in ("service", "api"):
        for to in Stage.values:
            with rolled_back():
                before = snapshot(case)
                if to in ("legal_review", "decided"):
                    expected = [(409, "use_dedicated_endpoint")]
                elif to not in ALLOWED[kind][frm]:
                    expected = [(409, "transition_not_allowed")]
                elif to == "archived":
                    expected = [(409, "archive_package_required")]
                elif to in SIDE_EXITS:
                    expected = [(400, "note_required"), (200, None)]
                else:
                    _precondition(case, frm, to, people)
                    before = snapshot(case)
                    expected = [(200, None)]
                for i, want in enumerate(expected):
                    note = "移送公安机关" if i else ""
                    got = _attempt(via, case, off1, client, to, note)
                    if got != want:
                        wrong.append((via, frm, to, got, want))
                    elif want[0] == 200:
                        assert reload(case).stage == to
                        entry = LedgerEntry.objects.filter(subject=case.ref).order_by("-seq").first()
                        assert entry.action == "case.transition"
                    else:
                        assert snapshot(case) == before, (via, frm, to)
    assert not wrong, wrong


@pytest.mark.parametrize("kind, frm", PAIRS, ids=[f"{k}-{f}" for k, f in PAIRS])
def test_dedicated_endpoints_refuse_other_stages(kind, frm, people, api):
    """Review submission and decision from a stage they do not start from: 409 transition_not_allowed."""
    off1, chief = people["off1"], people["chief"]
    case = file_case(off1, kind=kind, title="阶段流转测试案")
    case = set_state(case, stage=frm, proposed_penalty_types=["warning"], proposed_legal_basis=BASIS)
    if frm not in REVIEWABLE[kind]:
        with pytest.raises(DomainError) as caught:
            services.case_submit_review(case_id=case.pk, actor=off1, materials=[], note="")
        assert caught.value.code == "transition_not_allowed"
        refused(api("off1").post(f"/cases/{case.pk}/reviews", {"materials": []}), 409, "transition_not_allowed")
    if frm not in DECIDABLE[kind]:
        body = {"kind": "penalty" if kind == "penalty" else "other", "penalty_types": ["warning"],
                "decided_on": timezone.localdate().isoformat(), "legal_basis": BASIS, "facts": "事实",
                "conclusion": "警告"}
        refused(api("chief").post(f"/cases/{case.pk}/decision", body), 409, "transition_not_allowed")
        assert reload(case).stage == frm
    assert not Decision.objects.filter(case=case).exists()
    assert chief  # the agency head may decide: the refusal is about the stage


def test_unknown_stage_is_bad_input(people, api):
    case = file_case(people["off1"])
    refused(api("off1").post(f"/cases/{case.pk}/transitions", {"to": "finished"}), 400, "invalid_stage")
