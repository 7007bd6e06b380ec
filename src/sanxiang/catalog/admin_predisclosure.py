"""Admin of the pre-disclosure documents (事前公开文件): read-only.

Publishers edit, preview, publish and retire documents in the staff editor
(``/publicity/pre/``), where ``services_predisclosure`` checks their role and unit; the admin
only lets an administrator look at every version, including drafts.
"""

from __future__ import annotations

from django.contrib import admin

from sanxiang.catalog.models import PreDisclosureDocument


@admin.register(PreDisclosureDocument)
class PreDisclosureDocumentAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "category", "unit_code", "version", "status", "effective_from",
                    "published_at", "retired_at")
    list_filter = ("status", "category", "unit_code")
    search_fields = ("slug", "title", "body", "change_note")
    ordering = ("category", "slug", "-version")
    date_hierarchy = "published_at"
    fields = ("category", "slug", "title", "body", "unit_code", "version", "status", "effective_from",
              "change_note", "author", "published_by", "created_at", "updated_at", "published_at",
              "retired_at", "retire_note")

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False  # drafts are written in the staff editor, by a publisher

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
