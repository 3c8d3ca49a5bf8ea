from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.db.models import Field
from django.forms import BoundField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.http import KaaRequest
from registry.models import Municipality
from registry.permissions import MANAGER_ROLES, role_required

from .. import letters
from ..forms.routine_settings import RoutineSettingsForm
from ..models import RoutineSettings
from ..selectors.settings import letter_templates_of, routine_settings_of
from ..services.routine_settings import routine_settings_update

# The routine's day counts as docs/domain.md, "Steps" groups them: the ladder of attempts until
# contact is made, what follows once it is, and the tolerance on every step.
FIELDSETS = (
    (
        gettext_lazy("Tills kontakt är etablerad"),
        (
            "first_contact_days",
            "second_attempt_days",
            "home_visit_days",
            "post_visit_followup_days",
            "periodic_attempt_days",
        ),
    ),
    (
        gettext_lazy("När kontakt är etablerad"),
        ("offer_conversation_days", "regular_followup_days"),
    ),
    (gettext_lazy("Tolerans"), ("tolerance_days",)),
)
HISTORY_ROWS = 10


def _field(name: str) -> Field:
    return cast(Field, RoutineSettings._meta.get_field(name))


@dataclass(frozen=True)
class SettingsChange:
    when: Any
    who: Any
    changes: list[tuple[str, Any, Any]]  # (field label, old, new)
    # The first version: the settings row was created (on a manager's first visit,
    # with the defaults), nothing was changed.
    created: bool = False


def _history(settings: RoutineSettings) -> list[SettingsChange]:
    """The latest changes, each compared with the version before it (one query)."""
    records = list(settings.history.select_related("history_user")[: HISTORY_ROWS + 1])
    names = [name for _legend, fields in FIELDSETS for name in fields]
    rows: list[SettingsChange] = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        if len(rows) == HISTORY_ROWS:
            break
        changes = [
            (
                str(_field(name).verbose_name),
                getattr(previous, name) if previous is not None else None,
                getattr(record, name),
            )
            for name in names
            if previous is None or getattr(previous, name) != getattr(record, name)
        ]
        rows.append(
            SettingsChange(
                record.history_date,
                record.history_user,
                changes,
                created=record.history_type == "+",
            )
        )
    return rows


def _fieldsets(form: RoutineSettingsForm) -> list[tuple[str, list[tuple[BoundField, Any]]]]:
    return [
        (
            str(legend),
            [(form[name], _field(name).default) for name in names],
        )
        for legend, names in FIELDSETS
    ]


@role_required(*MANAGER_ROLES)
def settings_page(request: KaaRequest) -> HttpResponse:
    user = request.user
    # Read without writing: the first save creates the row (docs/domain.md).
    # role_required lets through only users with a municipality.
    current = routine_settings_of(cast(Municipality, user.municipality))
    form = RoutineSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        routine_settings_update(settings=current, user=user, data=form.cleaned_data)
        messages.success(
            request,
            _("Kontaktrutinen är sparad. Alla inskrivningars nästa steg räknas om efter den."),
        )
        return redirect("casework:settings")
    templates = letter_templates_of(current.municipality)
    return render(
        request,
        "casework/settings.html",
        {
            "form": form,
            "fieldsets": _fieldsets(form),
            "history": _history(current) if current.pk else [],
            "letter_templates": [templates[kind] for kind in letters.KINDS],
        },
    )
