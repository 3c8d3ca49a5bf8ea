from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLog, ApiToken, Enrolment, Municipality, User, Youth
from .services import access_log_record


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


class RegisterReadOnlyMixin:
    """The register is written through the pages and the API, where eligibility, the end
    reason and the IM rule are checked; the admin site only shows it, never deletes."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Youth)
class YouthAdmin(RegisterReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "municipality", "protected_identity"]
    list_filter = ["municipality"]

    def get_exclude(self, request, obj=None):  # type: ignore[no-untyped-def]
        # A protected address is never shown outside the assigned coordinator's pages.
        if obj is not None and obj.protected_identity:
            return ["street", "postal_code", "city"]
        return super().get_exclude(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):  # type: ignore[no-untyped-def]
        youth = self.get_object(request, object_id)
        if youth is not None:
            # Every read of a young person's record is logged, here too.
            access_log_record(
                user=request.user, youth=youth, action=AccessLog.Action.VIEW_PAGE, request=request
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):  # type: ignore[no-untyped-def]
        # The history would show a protected address in earlier versions; the young
        # person's page shows the change history with the address hidden.
        youth = self.get_object(request, object_id)
        if youth is not None and youth.protected_identity:
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):  # type: ignore[no-untyped-def]
        youth = self.get_object(request, object_id)
        if youth is not None and youth.protected_identity:
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Enrolment)
class EnrolmentAdmin(RegisterReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["youth", "registered_on", "source", "ended_on", "end_reason"]
    list_filter = ["municipality", "source", "end_reason"]
