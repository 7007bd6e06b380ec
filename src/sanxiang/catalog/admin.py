"""Admin of the catalog (目录与规则管理). Every write goes through ``catalog.services``.

Published and retired versions are read-only and cannot be deleted. A change is made as a
new version: select the rule and run "Create a draft of the next version", edit the draft,
then run "Publish selected drafts" (the service retires the version in force the day before
the draft takes effect). "Add" creates a draft too.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from sanxiang.catalog import admin_predisclosure, services  # noqa: F401 (admin_predisclosure registers its admin)
from sanxiang.catalog.constants import PenaltyType
from sanxiang.catalog.models import (
    DecisionRule,
    DocumentPrefix,
    DocumentTemplate,
    Matter,
    TimeLimitRule,
)
from sanxiang.core.errors import DomainError

_VERSION_INFO = ("version", "status", "effective_to", "created_at", "created_by", "published_at", "retired_at")


class VersionedAdmin(admin.ModelAdmin):
    """Common admin of versioned rule rows (规则版本)."""

    kind = ""
    list_display = ("code", "version", "status", "effective_from", "effective_to", "short_citation")
    list_filter = ("status",)
    search_fields = ("code", "citation")
    ordering = ("code", "-version")
    actions = ("new_draft", "publish_drafts")

    @admin.display(description=_("citation"))
    def short_citation(self, obj) -> str:
        text = obj.citation or ""
        return text if len(text) <= 60 else text[:59] + "…"

    def _editable(self) -> tuple[str, ...]:
        return ("code", *self.model.CONTENT_FIELDS, "effective_from", "citation", "note")

    def get_fields(self, request, obj=None):
        return (*self._editable(), *_VERSION_INFO)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.frozen:
            return self.get_fields(request, obj)
        if obj is not None:
            return ("code", *_VERSION_INFO)
        return _VERSION_INFO

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.frozen:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # would delete published versions
        return actions

    def _actor(self, request) -> str:
        return f"user:{request.user.pk}"

    def save_model(self, request, obj, form, change):
        content = {f: form.cleaned_data[f] for f in self.model.CONTENT_FIELDS if f in form.cleaned_data}
        if change:
            if obj.frozen:  # every field was read-only: nothing to save
                return
            saved = services.version_draft_update(
                kind=self.kind, pk=obj.pk, actor=self._actor(request), changes=content,
                effective_from=form.cleaned_data["effective_from"],
                citation=form.cleaned_data["citation"], note=form.cleaned_data.get("note", ""),
            )
        else:
            saved = services.version_draft_create(
                kind=self.kind, code=form.cleaned_data["code"], actor=self._actor(request),
                effective_from=form.cleaned_data["effective_from"],
                citation=form.cleaned_data["citation"], changes=content,
                note=form.cleaned_data.get("note", ""),
            )
        obj.pk, obj.version, obj.status = saved.pk, saved.version, saved.status

    @admin.action(description=_("Create a draft of the next version"))
    def new_draft(self, request, queryset):
        start = timezone.localdate() + dt.timedelta(days=1)
        created = 0
        for code in sorted(set(queryset.values_list("code", flat=True))):
            try:
                services.version_draft_create(
                    kind=self.kind, code=code, actor=self._actor(request), effective_from=start,
                )
                created += 1
            except DomainError as exc:
                self.message_user(request, f"{code}: {exc.message}", messages.ERROR)
        if created:
            self.message_user(
                request,
                ngettext(
                    "%(count)d draft created, effective from %(date)s; edit it, then publish it.",
                    "%(count)d drafts created, effective from %(date)s; edit them, then publish them.",
                    created,
                ) % {"count": created, "date": start.isoformat()},
                messages.SUCCESS,
            )

    @admin.action(description=_("Publish selected drafts"))
    def publish_drafts(self, request, queryset):
        published = 0
        for row in queryset.order_by("code", "version"):
            if not row.frozen:
                try:
                    services.version_draft_publish(kind=self.kind, pk=row.pk, actor=self._actor(request))
                    published += 1
                except DomainError as exc:
                    self.message_user(request, f"{row.code} v{row.version}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request, gettext("%(rule)s is not a draft.") % {"rule": str(row)}, messages.WARNING,
                )
        if published:
            self.message_user(
                request,
                ngettext("%(count)d version published.", "%(count)d versions published.", published)
                % {"count": published},
                messages.SUCCESS,
            )


class MatterForm(forms.ModelForm):
    penalty_types = forms.MultipleChoiceField(
        label=_("penalty types"), choices=PenaltyType.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Matter
        fields = ("code", *Matter.CONTENT_FIELDS, "effective_from", "citation", "note")


@admin.register(Matter)
class MatterAdmin(VersionedAdmin):
    kind = "matter"
    form = MatterForm
    list_display = ("code", "name", "field", "level", "random_inspection", "version", "status", "effective_from")
    list_filter = ("status", "field", "case_kind", "level", "random_inspection")
    search_fields = ("code", "name", "legal_basis", "penalty_basis")


@admin.register(DecisionRule)
class DecisionRuleAdmin(VersionedAdmin):
    kind = "decision_rule"
    list_display = ("code", "purpose", "trigger", "description", "version", "status", "effective_from", "effective_to")
    list_filter = ("status", "purpose", "trigger")
    search_fields = ("code", "description", "citation")


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(VersionedAdmin):
    kind = "time_limit"
    list_display = ("code", "name", "days", "unit", "version", "status", "effective_from", "effective_to")
    list_filter = ("status", "unit")
    search_fields = ("code", "name", "citation")


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(VersionedAdmin):
    kind = "template"
    list_display = ("code", "name", "version", "status", "effective_from", "effective_to")
    search_fields = ("code", "name", "citation")


@admin.register(DocumentPrefix)
class DocumentPrefixAdmin(admin.ModelAdmin):
    list_display = ("unit_code", "case_kind", "prefix", "note", "updated_at")
    list_filter = ("case_kind",)
    search_fields = ("unit_code", "prefix")
    fields = ("unit_code", "case_kind", "prefix", "note", "updated_at")
    readonly_fields = ("updated_at",)

    def get_readonly_fields(self, request, obj=None):
        return ("unit_code", "case_kind", "updated_at") if obj is not None else ("updated_at",)

    def has_delete_permission(self, request, obj=None):
        return False  # a unit without a prefix falls back to its parent's; change it instead

    def save_model(self, request, obj, form, change):
        saved = services.document_prefix_set(
            unit_code=obj.unit_code, case_kind=obj.case_kind, prefix=form.cleaned_data["prefix"],
            actor=f"user:{request.user.pk}", note=form.cleaned_data.get("note", ""),
        )
        obj.pk, obj.updated_at = saved.pk, saved.updated_at
