"""Demo publications (演示公示): publish about two thirds of the decided demo cases' items.

Through the disclosure services only, as the publisher of the deciding unit (谁执法谁公示;
the city bureau's publisher for the enforcement corps). One published decision is
corrected and one withdrawn, with a reason; then one sweep. Idempotent: the selection is
fixed by the item's case, items no longer pending are skipped, the correction and the
withdrawal happen once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from sanxiang.accounts.models import User
from sanxiang.cases.models import Case
from sanxiang.core.errors import DomainError
from sanxiang.disclosure import selectors, services
from sanxiang.disclosure.models import PublicationItem, PublicationState

CORRECTION_REASON = "原公示案件名称录入有误，予以更正"
WITHDRAWAL_REASON = "该行政处罚决定已被依法撤销，撤回公示"


def _publishers() -> list[User]:
    return list(User.objects.filter(roles__role="publisher", is_active=True).select_related("unit")
                .order_by("-unit__path", "username"))


def _publisher_for(item: PublicationItem, publishers: list[User]) -> User | None:
    own = [u for u in publishers if u.unit is not None and u.unit.code == item.unit_code]
    for user in own or publishers:  # deepest unit first: the nearest unit above
        if selectors.may_publish(user, item.unit_code):
            return user
    return None


def _chosen(case_id: int) -> bool:
    return case_id % 3 != 0  # about two thirds, the same on every run


def seed(progress: Callable[[str], None], case_ids: list[int] | None = None) -> dict:
    from sanxiang.cli import demo_cases

    ids = demo_cases.demo_case_ids() if case_ids is None else case_ids
    refs = {f"case:{pk}": pk for pk in Case.objects.filter(pk__in=ids, decision__isnull=False).values_list("pk", flat=True)}
    items = list(PublicationItem.objects.filter(subject__in=refs).order_by("id"))
    publishers = _publishers()
    report = {"items": len(items), "published": 0, "refused": 0, "corrected": 0, "withdrawn": 0}
    for n, item in enumerate(items, start=1):
        progress(f"publications {n}/{len(items)}")
        if item.state != PublicationState.PENDING or not _chosen(refs[item.subject]):
            continue
        publisher = _publisher_for(item, publishers)
        if publisher is None:
            continue
        try:
            services.publication_publish(item_id=item.pk, actor=publisher)
        except DomainError:  # not publishable (a minor party, a secret case): stays pending
            report["refused"] += 1
            continue
        report["published"] += 1
    demo = PublicationItem.objects.filter(subject__in=refs)
    live = demo.filter(state=PublicationState.PUBLISHED, decision_kind="penalty").order_by("id")
    if not demo.filter(Q(state=PublicationState.CORRECTED) | Q(versions__action="correct")).exists():
        item = live.first()
        if item is not None and (publisher := _publisher_for(item, publishers)):
            services.publication_correct(item_id=item.pk, actor=publisher, reason=CORRECTION_REASON,
                                         fields={"title": f"{item.title}（更正）"})
            report["corrected"] = 1
    if not demo.filter(state=PublicationState.WITHDRAWN).exists():
        item = live.exclude(state=PublicationState.CORRECTED).last()
        if item is not None and (publisher := _publisher_for(item, publishers)):
            services.publication_withdraw(item_id=item.pk, actor=publisher, reason=WITHDRAWAL_REASON)
            report["withdrawn"] = 1
    sweep = services.disclosure_sweep()
    report["expired"], report["overdue"] = len(sweep.expired), len(sweep.overdue)
    return report
