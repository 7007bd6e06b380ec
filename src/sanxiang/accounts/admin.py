"""Admin for units, users, roles, officers and API tokens (系统管理)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from sanxiang.accounts.models import ApiToken, Officer, Unit, User, UserRole


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "region_code", "parent", "active")
    list_filter = ("kind", "level", "active")
    search_fields = ("code", "name", "region_code")
    readonly_fields = ("path",)

    def has_delete_permission(self, request, obj=None):
        return False


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


class OfficerInline(admin.StackedInline):
    model = Officer
    extra = 0
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "unit", "is_active", "locked_until")
    list_filter = ("unit", "roles__role", "is_active")
    search_fields = ("username", "full_name")
    fieldsets = (
        (None, {"fields": ("username", "password", "full_name", "unit")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "failed_logins", "locked_until")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "full_name", "unit", "password1", "password2")}),)
    inlines = [UserRoleInline, OfficerInline]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("certificate_number", "user", "valid_from", "valid_until", "status")
    list_filter = ("status", "user__unit")
    search_fields = ("certificate_number", "user__full_name")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # tokens are issued by `sanxiang users token`, which shows the secret once
