from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLog, ApiToken, Enrolment, Municipality, User, Youth


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "get_full_name", "role", "municipality", "is_active"]
    list_filter = ["role", "municipality", "is_active"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("KAA", {"fields": ("role", "municipality")}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("KAA", {"fields": ("role", "municipality")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    @admin.action(description="Återkalla valda nycklar")
    def revoke(self, request, queryset):  # type: ignore[no-untyped-def]
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        # Tokens are issued with `manage.py issue_api_token`, which shows the key once.
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "youth", "action", "ip_address"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Youth)
class YouthAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "municipality"]
    list_filter = ["municipality"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ["youth", "registered_on", "source", "ended_on", "end_reason"]
    list_filter = ["municipality", "source", "end_reason"]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
