from __future__ import annotations

from itertools import groupby

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Role, User
from registry.permissions import CASE_ROLES, role_required

from .. import routine
from ..forms.contacts import ContactAttemptForm
from ..models import Channel, Outcome, Party
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
                municipality=user.municipality, role=Role.COORDINATOR, is_active=True
            ).order_by("first_name", "last_name", "username")
            self.fields["coordinator"].choices = [  # type: ignore[attr-defined]
                ("", _("Alla")),
                (UNASSIGNED, _("Ingen koordinator")),
                *[(str(c.pk), str(c)) for c in coordinators],
            ]
        else:
            del self.fields["coordinator"]


PAGE_SIZE = 100

# The routine's order of steps, for grouping the list in the database.
STEP_ORDER = Case(
    *[When(next_step=code, then=Value(i)) for i, code in enumerate(routine.STEP_CODES)],
    default=Value(len(routine.STEP_CODES)),
    output_field=IntegerField(),
)


def row_form(enrolment_pk: int, data: dict | None = None) -> ContactAttemptForm:
    """The inline log form of one worklist row (unique element ids per row)."""
    return ContactAttemptForm(data, auto_id=f"id_{enrolment_pk}_%s")


def row_choices() -> dict:
    """What the worklist rows' log forms offer.

    An unbound row form is written out in the template from these choices
    rather than rendered by Django's form widgets: rendering a hundred widget
    sets per page cost more than the rest of the page together.
    """
    return {
        "channels": Channel.choices,
        "parties": Party.choices,
        "outcomes": Outcome.choices,
        "default_party": Party.YOUTH,
        "today_iso": timezone.localdate().isoformat(),
    }


@role_required(*CASE_ROLES)
def worklist(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = WorklistFilterForm(request.GET or None, user=request.user)  # type: ignore[arg-type]
    chosen = filters.cleaned_data if filters.is_valid() else {}
    states = (
        worklist_items(
            user=request.user,  # type: ignore[arg-type]
            as_of=today,
            overdue_only=bool(chosen.get("overdue")),
            step=chosen.get("step") or None,
            coordinator=chosen.get("coordinator") or None,
        )
        .annotate(step_rank=STEP_ORDER)
        .order_by("step_rank", "next_due", "enrolment_id")
    )
    page = Paginator(states, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [worklist_item(state, today) for state in page]
    groups = [
        {
            "code": code,
            "label": step_label(code),
            "rows": [{"item": item, "form": None} for item in rows],
        }
        for code, rows in groupby(items, key=lambda item: item.step)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casework/worklist.html",
        {
            "filters": filters,
            "groups": groups,
            "page": page,
            "total": page.paginator.count,
            "querystring": query.urlencode(),
            "today": today,
            "choices": row_choices(),
        },
    )
