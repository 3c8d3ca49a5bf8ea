"""Plain HTML forms of the registry pages; the services do the checking that needs data."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import municipalities as national
from .models import EndReason, OccupationKind, Source, User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YouthForm(forms.Form):
    personnummer = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        max_length=13,
        help_text=_("ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."),
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    street = forms.CharField(label=_("Gatuadress"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postnummer"), max_length=10, required=False)
    city = forms.CharField(label=_("Ort"), max_length=100, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-post"), required=False)
    protected_identity = forms.BooleanField(label=_("Skyddade personuppgifter"), required=False)
    is_im_student = forms.BooleanField(
        label=_("Elev på introduktionsprogram (IM)"),
        required=False,
        help_text=_("IM-elever räknas bredvid aktivitetsansvaret och kan inte skrivas in."),
    )

    def __init__(self, *args, show_address: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not show_address:
            # A protected address is shown only to the assigned coordinator.
            for name in ("street", "postal_code", "city"):
                del self.fields[name]
            # Lifting the protection would show the address; only the assigned coordinator may.
            protection = self.fields["protected_identity"]
            protection.disabled = True
            protection.help_text = _("Bara den tilldelade koordinatorn kan ta bort markeringen.")


class GuardianForm(forms.Form):
    guardian_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Vårdnadshavarens namn"), max_length=200, required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("phone") and not data.get("name"):
            self.add_error("name", _("Ange namnet till telefonnumret."))
        return data


GuardianFormSet = forms.formset_factory(GuardianForm, extra=2, max_num=6)


class EnrolmentForm(forms.Form):
    registered_on = forms.DateField(label=_("Inskriven"), widget=DATE_WIDGET)
    source = forms.ChoiceField(label=_("Orsak till registrering"), choices=Source.choices)
    school = forms.CharField(label=_("Senaste skola"), max_length=200, required=False)
    coordinator = forms.ModelChoiceField(
        label=_("Koordinator"), queryset=User.objects.none(), required=False
    )
    initial_occupation = forms.ChoiceField(
        label=_("Sysselsättning vid registreringen"),
        choices=[("", _("– inte känd än –")), *OccupationKind.choices],
        required=False,
    )

    def __init__(self, *args, coordinators=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        coordinator_field = cast(forms.ModelChoiceField, self.fields["coordinator"])
        coordinator_field.queryset = (
            coordinators if coordinators is not None else User.objects.none()
        )
        self.fields["registered_on"].initial = timezone.localdate()


class EnrolmentEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Avregistrerad"), widget=DATE_WIDGET)
    reason = forms.ChoiceField(
        label=_("Orsak till avregistrering"),
        choices=[("", _("– välj orsak –")), *EndReason.choices],
        error_messages={"required": _("Ange orsak till avregistrering.")},
    )
    reason_text = forms.CharField(
        label=_("Beskrivning av orsak"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Krävs när orsaken är ”Annan orsak”."),
    )
    moved_to = forms.CharField(
        label=_("Flyttat till kommun"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"list": "municipality-codes", "autocomplete": "off"}),
        help_text=_(
            "När orsaken är ”Flyttat från kommunen”: kommunkod eller namn, t.ex. 1480 Göteborg."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()

    def clean_moved_to(self) -> str:
        """A code, "1480 Göteborg" as the list offers it, or a municipality's name."""
        value = (self.cleaned_data.get("moved_to") or "").strip()
        if not value:
            return ""
        code = value[:4]
        if code.isdigit() and (len(value) == 4 or value[4] == " "):
            return code
        by_name = {name.casefold(): c for c, name in national.municipalities().items()}
        if value.casefold() in by_name:
            return by_name[value.casefold()]
        raise forms.ValidationError(
            _("Okänd kommun ”%(value)s”. Välj kommunen i listan."), params={"value": value}
        )


class OccupationForm(forms.Form):
    from_date = forms.DateField(label=_("Från och med"), widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("Sysselsättning"), choices=OccupationKind.choices)
    extent_percent = forms.IntegerField(
        label=_("Omfattning (%)"), min_value=0, max_value=100, initial=100
    )
    note = forms.CharField(label=_("Kommentar"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_date"].initial = timezone.localdate()


class AssignCoordinatorForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("Koordinator"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("– ingen –"),
    )

    def __init__(self, *args, coordinators=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        coordinator_field = cast(forms.ModelChoiceField, self.fields["coordinator"])
        coordinator_field.queryset = (
            coordinators if coordinators is not None else User.objects.none()
        )


class YouthListForm(forms.Form):
    """The list's search, filters and sorting (GET)."""

    q = forms.CharField(label=_("Sök namn eller personnummer"), required=False)
    status = forms.ChoiceField(
        label=_("Inskrivning"),
        required=False,
        choices=[
            ("", _("Alla")),
            ("active", _("Aktiv")),
            ("ended", _("Avregistrerad")),
            ("none", _("Aldrig inskriven")),
        ],
    )
    coordinator = forms.ChoiceField(label=_("Koordinator"), required=False)
    source = forms.ChoiceField(
        label=_("Orsak till registrering"),
        required=False,
        choices=[("", _("Alla")), *Source.choices],
    )
    occupation = forms.ChoiceField(
        label=_("Sysselsättning"),
        required=False,
        choices=[
            ("", _("Alla")),
            ("none_recorded", _("Ingen registrerad")),
            *OccupationKind.choices,
        ],
    )
    reached = forms.ChoiceField(
        label=_("Kontakt"),
        required=False,
        choices=[("", _("Alla")), ("yes", _("Kontakt etablerad")), ("no", _("Ej fått kontakt"))],
    )
    sort = forms.ChoiceField(
        label=_("Sortera"),
        required=False,
        choices=[
            ("name", _("Namn A–Ö")),
            ("-name", _("Namn Ö–A")),
            ("personnummer", _("Födelsedatum, äldst först")),
            ("-personnummer", _("Födelsedatum, yngst först")),
            ("-registered", _("Senast inskrivna först")),
            ("registered", _("Tidigast inskrivna först")),
        ],
    )

    def __init__(self, *args, coordinators=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["coordinator"]).choices = [
            ("", _("Alla")),
            ("none", _("Ingen tilldelad")),
            *[(str(user.pk), str(user)) for user in coordinators],
        ]


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, default_field: str | None = None
) -> None:
    """Show a service's ValidationError on a form (every app's views use this one helper).

    Each message goes to its field when the form shows that field; a message
    for a field the form does not show (or shows only as a hidden input, such
    as a version) goes to ``default_field``, by default above the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(default_field, error.messages)
        return
    for field, messages in error.message_dict.items():
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else default_field, messages)
