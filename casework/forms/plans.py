"""Forms of the mapping, the plan, measures, the occupation and the actor list.

Each form carries the ``version`` it was read at, so a save based on an old
version is caught by the service (``StaleVersion``) instead of overwriting.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import OccupationKind

from ..models import Actor, EvaluationResult, MeasureType, Responsible


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def with_version(self, version: int) -> VersionedForm:
        """The same submitted text, now based on ``version`` (after a stale save)."""
        data = self.data.copy()  # type: ignore[attr-defined]
        data["version"] = str(version)
        return type(self)(data, **self._extra_kwargs())

    def _extra_kwargs(self) -> dict[str, Any]:
        return {}


class MappingForm(VersionedForm):
    # Required (the service refuses a mapping without its date, after the
    # version check, so a stale form still says so first); the browser asks too.
    date = forms.DateField(
        label=_("Datum för kartläggningen"),
        required=False,
        widget=DateInput(attrs={"required": True}),
    )
    situation = forms.CharField(label=_("Nuvarande situation"), required=False, widget=_textarea(4))
    interests = forms.CharField(label=_("Intressen"), required=False, widget=_textarea())
    needs = forms.CharField(label=_("Behov"), required=False, widget=_textarea())
    obstacles = forms.CharField(label=_("Hinder"), required=False, widget=_textarea())
    own_goal = forms.CharField(label=_("Ungdomens eget mål"), required=False, widget=_textarea())


class PlanForm(VersionedForm):
    goal = forms.CharField(label=_("Mål med insatserna"), required=False, widget=_textarea())
    planning = forms.CharField(
        label=_("Individuell planering"), required=False, widget=_textarea(5)
    )


class MeasureForm(VersionedForm):
    type = forms.ChoiceField(label=_("Typ av insats"), choices=MeasureType.choices)
    description = forms.CharField(label=_("Beskrivning"), required=False, widget=_textarea())
    responsible = forms.ChoiceField(
        label=_("Ansvarig"),
        choices=[("", _("– välj –")), *Responsible.choices],
        required=False,
    )
    actor = forms.ModelChoiceField(
        label=_("Aktör (när en annan aktör ansvarar)"),
        queryset=Actor.objects.none(),
        required=False,
        empty_label=_("– ingen –"),
    )
    starts_on = forms.DateField(label=_("Startdatum"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Planerat slutdatum"), required=False, widget=DateInput())
    follow_up_on = forms.DateField(
        label=_("Datum för uppföljning"), required=False, widget=DateInput()
    )
    evaluate_on = forms.DateField(
        label=_("Datum för utvärdering"), required=False, widget=DateInput()
    )
    followed_up_at = forms.DateField(
        label=_("Uppföljning gjord"), required=False, widget=DateInput()
    )
    follow_up_note = forms.CharField(
        label=_("Anteckning från uppföljningen"), required=False, widget=_textarea(2)
    )
    evaluation_result = forms.ChoiceField(
        label=_("Utvärdering: resultat"),
        choices=[("", _("– ej utvärderad –")), *EvaluationResult.choices],
        required=False,
    )
    evaluation = forms.CharField(
        label=_("Utvärdering: hade insatsen avsedd effekt?"), required=False, widget=_textarea()
    )

    def __init__(self, *args: Any, actors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._actors = actors
        if actors is not None:
            self.fields["actor"].queryset = actors  # type: ignore[attr-defined]

    def _extra_kwargs(self) -> dict[str, Any]:
        return {"actors": self._actors}


class MeasureEndForm(VersionedForm):
    ended_on = forms.DateField(
        label=_("Datum då insatsen avslutades"),
        widget=DateInput(),
        error_messages={"required": _("Ange datum då insatsen avslutades.")},
    )
    end_reason = forms.CharField(
        label=_("Orsak till avslut"),
        widget=_textarea(2),
        error_messages={"required": _("Ange orsaken till att insatsen avslutades.")},
    )
    evaluation_result = forms.ChoiceField(
        label=_("Utvärdering: resultat"),
        choices=[("", _("– ej utvärderad –")), *EvaluationResult.choices],
        required=False,
    )
    evaluation = forms.CharField(
        label=_("Utvärdering: hade insatsen avsedd effekt?"), required=False, widget=_textarea()
    )


class OccupationForm(forms.Form):
    from_date = forms.DateField(label=_("Från och med"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Sysselsättning"), choices=OccupationKind.choices)
    extent_percent = forms.IntegerField(
        label=_("Omfattning (%)"), min_value=0, max_value=100, initial=100
    )
    note = forms.CharField(label=_("Kommentar"), required=False, max_length=200)


class ActorForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)
