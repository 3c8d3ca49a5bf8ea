"""The municipality's list of actors a measure can be given to (managers keep it)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from registry.forms import add_service_errors
from registry.http import KaaRequest
from registry.models import Municipality
from registry.permissions import MANAGER_ROLES, role_required

from ..forms.plans import ActorForm
from ..selectors import plans as selectors
from ..services import plans as services


@role_required(*MANAGER_ROLES)
def actor_list(request: KaaRequest) -> HttpResponse:
    form = ActorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.actor_create(
                user=request.user,
                # role_required lets through only users with a municipality.
                municipality=cast(Municipality, request.user.municipality),
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            add_service_errors(form, error, default_field="name")
        else:
            messages.success(request, _("Aktören är tillagd."))
            return redirect("casework:actors")
    return render(
        request,
        "casework/plan_actors.html",
        {"actors": selectors.actors_for_user(request.user), "form": form},
    )


@role_required(*MANAGER_ROLES)
def actor_edit(request: KaaRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(selectors.actors_for_user(request.user), pk=pk)
    form = ActorForm(
        request.POST or None, initial={"name": actor.name, "is_active": actor.is_active}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.actor_update(user=request.user, actor=actor, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, default_field="name")
        else:
            messages.success(request, _("Aktören är sparad."))
            return redirect("casework:actors")
    return render(request, "casework/plan_actor_edit.html", {"actor": actor, "form": form})
