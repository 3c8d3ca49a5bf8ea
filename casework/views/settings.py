from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from registry.permissions import MANAGER_ROLES, role_required

from .. import letters
from ..forms.routine_settings import RoutineSettingsForm
from ..services.letters import letter_templates_for
from ..services.routine_settings import routine_settings_for, routine_settings_update


@role_required(*MANAGER_ROLES)
def settings_page(request: HttpRequest) -> HttpResponse:
    current = routine_settings_for(request.user.municipality)  # type: ignore[union-attr]
    form = RoutineSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        routine_settings_update(settings=current, user=request.user, data=form.cleaned_data)
        messages.success(request, _("Kontaktrutinen är sparad."))
        return redirect("casework:settings")
    templates = letter_templates_for(request.user.municipality)  # type: ignore[union-attr]
    return render(
        request,
        "casework/settings.html",
        {"form": form, "letter_templates": [templates[kind] for kind in letters.KINDS]},
    )
