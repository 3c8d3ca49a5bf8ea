"""Forms of the reports pages. Every message is Swedish and says what to do."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .key_figures import Period, school_year_start
from .models import TargetFigure

MAX_PERIOD_DAYS = 3 * 366


def default_period(today: datetime.date) -> Period:
    """The school year so far."""
    return Period(school_year_start(today), today)


class PeriodForm(forms.Form):
    """A report period; without input, the school year so far."""

    from_date = forms.DateField(
        label=_("Från"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    to_date = forms.DateField(
        label=_("Till"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def __init__(
        self, *args, today: datetime.date, default: Period | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.default = default or default_period(today)
        self.fields["from_date"].initial = self.default.start
        self.fields["to_date"].initial = self.default.end

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        start = cleaned.get("from_date") or self.default.start
        end = cleaned.get("to_date") or self.default.end
        if not self.errors:
            if end < start:
                self.add_error("to_date", _("Slutdatumet får inte vara före startdatumet."))
            elif (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.add_error("to_date", _("Perioden får vara högst tre år."))
        cleaned["from_date"], cleaned["to_date"] = start, end
        return cleaned

    def period(self) -> Period:
        """The chosen period, or the default when the input is invalid."""
        if self.is_valid():
            return Period(self.cleaned_data["from_date"], self.cleaned_data["to_date"])
        return self.default


class TargetForm(forms.Form):
    school_year = forms.IntegerField(label=_("Läsår som börjar år"), min_value=2000, max_value=2100)
    figure = forms.ChoiceField(label=_("Nyckeltal"), choices=TargetFigure.choices)
    value = forms.DecimalField(
        label=_("Mål (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=1
    )


class PopulationForm(forms.Form):
    as_of = forms.DateField(label=_("Avser datum"), widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(label=_("Antal 16–19 år"), min_value=0, max_value=10_000_000)


class AnalysisForm(forms.Form):
    analysis = forms.CharField(label=_("Analys"), widget=forms.Textarea, required=False)
    planned_actions = forms.CharField(
        label=_("Planerade åtgärder"), widget=forms.Textarea, required=False
    )


class ComplianceForm(PeriodForm):
    """The period, and optionally a sample (stickprov) of N drawn with a seed."""

    sample = forms.IntegerField(
        label=_("Stickprov, antal"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("Tomt: alla inskrivningar under perioden."),
    )
    seed = forms.IntegerField(
        label=_("Slumpfrö"),
        min_value=0,
        max_value=999_999_999,
        required=False,
        help_text=_("Samma frö ger samma stickprov."),
    )
