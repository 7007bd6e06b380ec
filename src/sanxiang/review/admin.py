"""Read-only admin of legal review (法制审核): history is written only by `services`."""

from __future__ import annotations

from django.contrib import admin

from sanxiang.review.models import (
    CollectiveDiscussion,
    ReviewEscalation,
    ReviewOpinion,
    ReviewSubmission,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: no add, change or delete (opinions and settlements are never edited)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(ReviewSubmission)
class ReviewSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("subject", "round", "unit", "status", "submitted_by", "submitted_at", "due_on",
                    "due_provisional")
    list_filter = ("status", "complex_extension", "hearing_held", "due_provisional")
    search_fields = ("subject", "unit__code", "unit__name")
    date_hierarchy = "submitted_at"
    list_select_related = ("unit", "submitted_by")


@admin.register(ReviewOpinion)
class ReviewOpinionAdmin(ReadOnlyAdmin):
    list_display = ("submission", "result", "reviewer", "reviewer_unit", "given_at")
    list_filter = ("result",)
    search_fields = ("submission__subject", "text")
    list_select_related = ("submission", "reviewer", "reviewer_unit")


@admin.register(ReviewEscalation)
class ReviewEscalationAdmin(ReadOnlyAdmin):
    list_display = ("submission", "raised_by", "raised_at", "settlement", "settled_by", "settled_at")
    list_filter = ("settlement",)
    search_fields = ("submission__subject", "reason", "settlement_text")
    list_select_related = ("submission", "raised_by", "settled_by")


@admin.register(CollectiveDiscussion)
class CollectiveDiscussionAdmin(ReadOnlyAdmin):
    list_display = ("subject", "unit", "held_on", "chaired_by", "recorded_at")
    search_fields = ("subject", "conclusion", "opinions")
    date_hierarchy = "held_on"
    list_select_related = ("unit", "chaired_by")
