"""The case page costs a bounded number of SQL queries, whatever the number of activities,
officers, evidence items, responses and review rounds (issue acceptance: "bounded number of SQL
queries ... test with an assertion on the query count").
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.cases.tests.helpers import (
    answer,
    attach,
    decide,
    discuss,
    notified,
    ok,
    opinion,
    propose,
    record,
    reload,
    submit,
)

BOUND = 20  # 15 at the time of writing; what matters is that it does not grow with the case


def _case_with(people, n: int):
    """A decided major case with `n` activities (two officers each, participants) and `n` evidence items."""
    off1, off2, off3 = people["off1"], people["off2"], people["off3"]
    case = notified(people)
    for i in range(n):
        activity = record(case, off1, off1, off2 if i % 2 else off3, kind="inspection")
        attach(case, off1, kind="photo", activity=activity, data=f"photo {i} of {case.pk}".encode())
    answer(case, off1, "statement")
    answer(case, off1, "hearing_waiver", text="")
    # Two review rounds: problems, then approved.
    opinion(submit(case, off1), people["reviewer"], result="problems")
    propose(case, off1, fine="500000.00")
    opinion(submit(reload(case), off1), people["reviewer"])
    discuss(case, people)
    decide(case, people["chief"])
    return reload(case)


def _count(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        body = ok(client.get(f"/cases/{case.pk}"))
    assert body["decision"] is not None
    return len(queries.captured_queries)


@pytest.mark.parametrize("viewer", ["off1", "supervisor"])
def test_case_page_query_count_does_not_grow(viewer, people, api, django_assert_max_num_queries):
    small, large = _case_with(people, 2), _case_with(people, 20)
    client = api(viewer)
    _count(client, small)  # warm caches (calendar, roles) out of the measurement
    small_body, large_body = ok(client.get(f"/cases/{small.pk}")), ok(client.get(f"/cases/{large.pk}"))
    assert len(small_body["activities"]) < len(large_body["activities"])
    assert len(large_body["evidence"]) >= 20 and len(large_body["reviews"]) == 2
    counted = (_count(client, small), _count(client, large))
    assert counted[0] == counted[1], counted
    with django_assert_max_num_queries(BOUND):
        client.get(f"/cases/{large.pk}")
