"""The worklist page and the log form each row opens on demand."""

from __future__ import annotations

import datetime
from itertools import groupby

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.http import KaaRequest
from registry.models import Enrolment, Role, User
from registry.permissions import CASE_ROLES, role_required

from .. import routine
from ..forms.contacts import ContactAttemptForm
from ..models import Channel, Outcome, Party, RoutineState
from ..routine_text import STEP_CHOICES, step_label
from ..selectors.worklist import (
    SCOPE_ALL,
    SCOPE_MINE,
    SCOPE_UNASSIGNED,
    UNASSIGNED,
    UPCOMING_DAYS,
    Cursor,
    WorklistCounts,
    worklist_counts,
    worklist_item,
    worklist_items,
    worklist_page,
    worklist_step_counts,
)

PAGE_SIZE = 50
CURSOR_PARAM = "efter"


class WorklistFilterForm(forms.Form):
    visa = forms.ChoiceField(
        required=False,
        choices=[
            (SCOPE_MINE, _("Mina ärenden")),
            (SCOPE_UNASSIGNED, _("Ej tilldelade")),
            (SCOPE_ALL, _("Alla")),
        ],
    )
    q = forms.CharField(label=_("Sök namn"), required=False, max_length=100)
    step = forms.ChoiceField(
        label=_("Steg"), required=False, choices=[("", _("Alla steg")), *STEP_CHOICES]
    )
    overdue = forms.BooleanField(label=_("Bara försenade"), required=False)
    coordinator = forms.ChoiceField(label=_("Koordinator"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
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


def _scope(user: User, chosen: dict) -> str | None:
    """The tab: a coordinator's own cases unless they chose another; a manager's all."""
    if user.role == Role.COORDINATOR:
        return chosen.get("visa") or SCOPE_MINE
    return chosen.get("visa") or None


def _cursor(value: str | None) -> Cursor | None:
    """``efter=YYYY-MM-DD.<enrolment id>``; anything else is the first page."""
    due, _dot, enrolment_id = (value or "").partition(".")
    try:
        return datetime.date.fromisoformat(due), int(enrolment_id)
    except ValueError:
        return None


def row_form(enrolment_pk: int, data: dict | None = None) -> ContactAttemptForm:
    """The log form of one worklist row (unique element ids per row)."""
    return ContactAttemptForm(data, auto_id=f"id_{enrolment_pk}_%s")


def row_choices() -> dict:
    """What a worklist row's log form offers when written out unbound (the partial)."""
    return {
        "channels": Channel.choices,
        "parties": Party.choices,
        "outcomes": Outcome.choices,
        "default_party": Party.YOUTH,
        "today_iso": timezone.localdate().isoformat(),
    }


def _step_rank(code: str) -> int:
    return routine.STEP_CODES.index(code) if code in routine.STEP_CODES else len(routine.STEP_CODES)


@role_required(*CASE_ROLES)
def worklist(request: KaaRequest) -> HttpResponse:
    """A page of work: the user's tab, oldest due first, grouped by step, 50 at a time.

    A fixed number of queries whatever the caseload: the page (keyset), the
    sections' counts, the tabs' counts (coordinator), the menu's count.
    """
    user = request.user
    today = timezone.localdate()
    due_until = today + datetime.timedelta(days=UPCOMING_DAYS)
    filters = WorklistFilterForm(request.GET or None, user=user)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    scope = _scope(user, chosen)
    states = worklist_items(
        user=user,
        as_of=today,
        overdue_only=bool(chosen.get("overdue")),
        step=chosen.get("step") or None,
        coordinator=chosen.get("coordinator") or None,
        scope=scope,
        search=chosen.get("q") or "",
        due_until=due_until,
    )
    cursor = _cursor(request.GET.get(CURSOR_PARAM))
    rows, next_cursor = worklist_page(states, after=cursor, size=PAGE_SIZE)
    counts = worklist_counts(user=user, as_of=today, due_until=due_until)
    narrowed = any(chosen.get(name) for name in ("q", "step", "overdue", "coordinator"))
    if narrowed:
        step_counts = worklist_step_counts(states, as_of=today)
    else:
        step_counts = counts.steps(scope or SCOPE_ALL)
    items = sorted(
        (worklist_item(state, today) for state in rows),
        key=lambda item: (_step_rank(item.step), item.due, item.enrolment.pk),
    )
    groups = [
        {
            "code": code,
            "label": step_label(code),
            "rows": [{"item": item, "form": None} for item in group],
            "count": step_counts[code].total if code in step_counts else 0,
            "overdue": step_counts[code].overdue if code in step_counts else 0,
        }
        for code, group in ((c, list(g)) for c, g in groupby(items, key=lambda item: item.step))
    ]
    query = request.GET.copy()
    query.pop(CURSOR_PARAM, None)
    tabs_query = query.copy()
    for key in ("visa", "coordinator"):
        tabs_query.pop(key, None)
    return render(
        request,
        "casework/worklist.html",
        {
            "filters": filters,
            "groups": groups,
            "total": sum(count.total for count in step_counts.values()),
            "overdue_total": sum(count.overdue for count in step_counts.values()),
            "scope": scope or SCOPE_ALL,
            "tabs": _tabs(user, counts),
            "tabs_query": tabs_query.urlencode(),
            "querystring": query.urlencode(),
            "next_cursor": f"{next_cursor[0].isoformat()}.{next_cursor[1]}" if next_cursor else "",
            "paged": cursor is not None,
            "today": today,
            "due_until": due_until,
            "page_size": PAGE_SIZE,
        },
    )


def _tabs(user: User, counts: WorklistCounts) -> list[dict]:
    if user.role == Role.COORDINATOR:
        labels = [
            (SCOPE_MINE, _("Mina ärenden")),
            (SCOPE_UNASSIGNED, _("Ej tilldelade")),
            (SCOPE_ALL, _("Alla")),
        ]
    else:
        labels = [(SCOPE_ALL, _("Alla")), (SCOPE_UNASSIGNED, _("Ej tilldelade"))]
    return [{"code": code, "label": label, "count": counts.tab(code)} for code, label in labels]


def _visible_enrolment(request: KaaRequest, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.visible_to(request.user).active(),
        pk=pk,
    )


@role_required(*CASE_ROLES)
def worklist_log_form(request: KaaRequest, pk: int) -> HttpResponse:
    """The log form of one row, fetched when the user opens it (htmx).

    Without htmx the young person's contact page is where the log is written.
    """
    enrolment = _visible_enrolment(request, pk)
    if not request.htmx:
        return redirect(reverse("casework:enrolment_contacts", args=[enrolment.pk]))
    step = (
        RoutineState.objects.filter(enrolment=enrolment).values_list("next_step", flat=True).first()
    )
    return render(
        request,
        "casework/partials/worklist_log_form.html",
        {"pk": enrolment.pk, "step": step or "", "form": None, "choices": row_choices()},
    )
