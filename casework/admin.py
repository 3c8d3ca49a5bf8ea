from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Actor, RoutineSettings


@admin.register(RoutineSettings)
class RoutineSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["municipality", "first_contact_days", "tolerance_days"]


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality", "is_active"]
    list_filter = ["municipality"]
