"""The review admin is read-only: history is written by the services only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanxiang.review.models import (
    CollectiveDiscussion,
    ReviewEscalation,
    ReviewOpinion,
    ReviewSubmission,
)

MODELS = [ReviewSubmission, ReviewOpinion, ReviewEscalation, CollectiveDiscussion]


@pytest.fixture
def history(people, submit, opine):
    from django.utils import timezone

    from sanxiang.review import services

    submission = submit()
    opine(submission, "problems")
    services.review_escalate(review_id=submission.pk, actor=people.unit_head, reason="分歧")
    services.collective_discussion_record(subject="case:1", unit_code="pudong", actor=people.head,
                                          held_on=timezone.localdate(), attendee_ids=[people.city_head.pk],
                                          conclusion="维持")
    return submission


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_lists_and_shows_but_does_not_change(admin_client, history, model):
    meta = model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    obj = model.objects.get()
    change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    page = admin_client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # view only
    assert admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403
    delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()
