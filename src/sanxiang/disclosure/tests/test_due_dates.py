"""Publication due dates across the 2024–2026 holiday schedules and into an unpublished year.

国办发〔2018〕118号 (GD-GS 第21条, RULES.md R2.1): penalty and permit decisions within 7
working days, other decisions within 20; working days per 行政处罚法 第85条 with the State
Council's annual schedules (调休 make-up days count). Expected dates checked by hand against
the published schedules (and against the chinesecalendar package, independent of our code).
"""

import datetime as dt

import pytest

from sanxiang.disclosure.services import publication_schedule

D = dt.date


@pytest.mark.parametrize("decided_on, kind, due, provisional", [
    # 2024 Spring Festival: Feb 10–17 off, Feb 4 (Sun) and Feb 18 (Sun) worked.
    pytest.param(D(2024, 2, 8), "penalty", D(2024, 2, 23), False, id="GOV118-penalty-7wd-2024-spring-festival"),
    pytest.param(D(2024, 2, 8), "other", D(2024, 3, 13), False, id="GOV118-other-20wd-2024-spring-festival"),
    # 2024 National Day: Oct 1–7 off, Sep 29 (Sun) and Oct 12 (Sat) worked.
    pytest.param(D(2024, 9, 27), "penalty", D(2024, 10, 12), False, id="GOV118-penalty-7wd-2024-national-day"),
    pytest.param(D(2024, 9, 29), "permit", D(2024, 10, 14), False, id="GOV118-permit-7wd-2024-makeup-sunday"),
    # 2025 Spring Festival: Jan 28–Feb 4 off, Jan 26 and Feb 8 worked.
    pytest.param(D(2025, 1, 24), "penalty", D(2025, 2, 10), False, id="GOV118-penalty-7wd-2025-spring-festival"),
    pytest.param(D(2025, 1, 27), "coercion", D(2025, 3, 3), False, id="GOV118-other-20wd-2025-spring-festival"),
    # 2025 National Day and Mid-Autumn: Oct 1–8 off, Sep 28 and Oct 11 worked.
    pytest.param(D(2025, 9, 30), "penalty", D(2025, 10, 16), False, id="GOV118-penalty-7wd-2025-national-day"),
    # 2026 Spring Festival: Feb 15–23 off, Feb 14 and Feb 28 worked.
    pytest.param(D(2026, 2, 13), "penalty", D(2026, 3, 2), False, id="GOV118-penalty-7wd-2026-spring-festival"),
    # 2026 National Day: Oct 1–7 off, Sep 20 and Oct 10 worked.
    pytest.param(D(2026, 9, 30), "penalty", D(2026, 10, 15), False, id="GOV118-penalty-7wd-2026-national-day"),
    pytest.param(D(2026, 9, 30), "other", D(2026, 11, 3), False, id="GOV118-other-20wd-2026-national-day"),
    pytest.param(D(2026, 12, 18), "penalty", D(2026, 12, 29), False, id="GOV118-penalty-7wd-2026-year-end"),
    # 2027 has no official schedule yet: weekends plus fixed-date holidays, marked provisional (R10.3).
    pytest.param(D(2026, 12, 28), "penalty", D(2027, 1, 7), True, id="R10.3-penalty-7wd-into-2027-provisional"),
    pytest.param(D(2026, 12, 28), "other", D(2027, 1, 26), True, id="R10.3-other-20wd-into-2027-provisional"),
])
def test_publication_due_date(db, decided_on, kind, due, provisional):
    item = publication_schedule(subject=f"case:{decided_on.isoformat()}-{kind}", unit_code="pudong",
                                decision_kind=kind, title="某公司违法案", decided_on=decided_on, actor="system")
    assert (item.due_on, item.provisional) == (due, provisional)
    assert item.time_limit["days"] == (7 if kind in ("penalty", "permit") else 20)
    assert item.time_limit["citation"]
