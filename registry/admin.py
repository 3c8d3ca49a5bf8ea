from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLog, ApiToken, Enrolment, Municipality, Role, User, Youth
from .services import access_log_record

# Who sees what in the admin site is decided in kaa/admin_scope.py (a municipality's
# admin: its own municipality; the superuser: installation, no register data).


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "require_two_factor"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return request.user.is_superuser  # a municipality's admin changes its own only

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["code", "name"]


# What a municipality's admin may set on a user; no superuser, no per-model permissions.
MUNICIPALITY_ADMIN_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    (_("Personuppgifter"), {"fields": ("first_name", "last_name", "email")}),
    ("KAA", {"fields": ("role", "is_active")}),
    (_("Datum"), {"fields": ("last_login", "date_joined")}),
)


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "get_full_name", "role", "municipality", "is_active"]
    list_filter = ["role", "municipality", "is_active"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("KAA", {"fields": ("role", "municipality")}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("KAA", {"fields": ("role", "municipality")}))

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if obj is None:
            return (*BaseUserAdmin.add_fieldsets, ("KAA", {"fields": ("role",)}))
        return MUNICIPALITY_ADMIN_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # The user stays in (or joins) the admin's own municipality, never becomes superuser.
            obj.municipality_id = request.user.municipality_id
            obj.is_superuser = False
            obj.is_staff = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "status",
    ]
    list_filter = ["revoked_at"]
    readonly_fields = [
        "user",
        "key_hash",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    @admin.display(description=_("status"))
    def status(self, token: ApiToken) -> str:
        if token.revoked_at is not None:
            return str(_("Återkallad"))
        if token.is_expired:
            return str(_("Har gått ut"))
        return str(_("Giltig"))

    @admin.action(description=_("Återkalla valda nycklar"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
            # In the admin's history (LogEntry) like every other admin change.
            self.log_change(request, token, [{"changed": {"fields": ["revoked_at"]}}])

    def has_add_permission(self, request):
        # Tokens are issued with `manage.py issue_api_token`, which shows the key once.
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted: the history stays


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "youth", "action", "ip_address"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


class RegisterReadOnlyMixin:
    """The register is written through the pages and the API, where eligibility, the end
    reason and the IM rule are checked; the admin site only shows it, never deletes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Youth)
class YouthAdmin(RegisterReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "municipality", "protected_identity"]
    list_filter = ["municipality"]

    def get_exclude(self, request, obj=None):
        # A protected address is never shown outside the assigned coordinator's pages.
        if obj is not None and obj.protected_identity:
            return ["street", "postal_code", "city"]
        return super().get_exclude(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        youth = self.get_object(request, object_id)
        if youth is not None:
            # Every read of a young person's record is logged, here too.
            access_log_record(
                user=request.user, youth=youth, action=AccessLog.Action.VIEW_PAGE, request=request
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # The history would show a protected address in earlier versions; the young
        # person's page shows the change history with the address hidden.
        youth = self.get_object(request, object_id)
        if youth is not None and youth.protected_identity:
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        youth = self.get_object(request, object_id)
        if youth is not None and youth.protected_identity:
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Enrolment)
class EnrolmentAdmin(RegisterReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["youth", "registered_on", "source", "ended_on", "end_reason"]
    list_filter = ["municipality", "source", "end_reason"]
