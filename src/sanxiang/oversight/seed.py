"""Loading the oversight defaults (默认数据载入) into the catalog's time limits.

Takes an app registry (a migration's historical ``apps`` or ``django.apps.apps``) and a
database alias; creates published version 1 rows for codes not there yet; loading twice
creates nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

SEED_ACTOR = "system:seed"


def load_time_limits(apps, using: str = "default") -> int:
    from sanxiang.oversight.data.time_limits import TIME_LIMITS

    TimeLimitRule = apps.get_model("catalog", "TimeLimitRule")
    existing = set(TimeLimitRule.objects.using(using).values_list("code", flat=True))
    now = timezone.now()
    rows = [
        TimeLimitRule(**{**t, "effective_from": dt.date.fromisoformat(t["effective_from"])},
                      version=1, status="published", published_at=now, created_by=SEED_ACTOR)
        for t in TIME_LIMITS if t["code"] not in existing
    ]
    TimeLimitRule.objects.using(using).bulk_create(rows)
    return len(rows)
