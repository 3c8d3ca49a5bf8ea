from __future__ import annotations

from itertools import groupby

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Role, User
from registry.permissions import CASE_ROLES, role_required

from .. import routine
from ..forms.contacts import ContactAttemptForm
from ..routine_text import STEP_CHOICES, step_label
from ..selectors.worklist import UNASSIGNED, worklist_item, worklist_items


class WorklistFilterForm(forms.Form):
    step = forms.ChoiceField(
        label=_("Steg"), required=False, choices=[("", _("Alla steg")), *STEP_CHOICES]
    )
    overdue = forms.BooleanField(label=_("Bara försenade"), required=False)
    coordinator = forms.ChoiceField(label=_("Koordinator"), required=False)

    def __init__(self, *args, user: User, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if user.role == Role.MANAGER:
            coordinators = User.objects.filter(
                municipality_id=user.municipality_id, role=Role.COORDINATOR, is_active=True
            ).order_by("first_name", "last_name", "username")
            self.fields["coordinator"].choices = [
                ("", _("Alla")),
                (UNASSIGNED, _("Ingen koordinator")),
                *[(str(c.pk), str(c)) for c in coordinators],
            ]
        else:
            del self.fields["coordinator"]


def row_form(enrolment_pk: int, data: dict | None = None) -> ContactAttemptForm:
    """The inline log form of one worklist row (unique element ids per row)."""
    return ContactAttemptForm(data, auto_id=f"id_{enrolment_pk}_%s")


@role_required(*CASE_ROLES)
def worklist(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = WorklistFilterForm(request.GET or None, user=request.user)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    states = worklist_items(
        user=request.user,  # type: ignore[arg-type]
        as_of=today,
        overdue_only=bool(chosen.get("overdue")),
        step=chosen.get("step") or None,
        coordinator=chosen.get("coordinator") or None,
    )
    items = [worklist_item(state, today) for state in states]
    order = {code: i for i, code in enumerate(routine.STEP_CODES)}
    items.sort(key=lambda item: (order.get(item.step, 99), item.due, item.enrolment.pk))
    groups = [
        {
            "code": code,
            "label": step_label(code),
            "rows": [{"item": item, "form": row_form(item.enrolment.pk)} for item in rows],
        }
        for code, rows in groupby(items, key=lambda item: item.step)
    ]
    return render(
        request,
        "casework/worklist.html",
        {"filters": filters, "groups": groups, "total": len(items), "today": today},
    )
