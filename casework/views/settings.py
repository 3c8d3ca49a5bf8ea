from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from registry.models import User
from registry.permissions import MANAGER_ROLES, role_required

from .. import letters
from ..forms.routine_settings import RoutineSettingsForm
from ..services.letters import letter_templates_for
from ..services.routine_settings import routine_settings_for, routine_settings_update


@role_required(*MANAGER_ROLES)
def settings_page(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    current = routine_settings_for(user.municipality)  # type: ignore[arg-type]
    form = RoutineSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        routine_settings_update(settings=current, user=user, data=form.cleaned_data)
        messages.success(request, _("Kontaktrutinen är sparad."))
        return redirect("casework:settings")
    templates = letter_templates_for(current.municipality)
    return render(
        request,
        "casework/settings.html",
        {"form": form, "letter_templates": [templates[kind] for kind in letters.KINDS]},
    )
