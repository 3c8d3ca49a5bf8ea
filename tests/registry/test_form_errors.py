"""One helper shows a service's ValidationError on any app's form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from registry.forms import add_service_errors


class NoteForm(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_each_message_at_its_shown_field_the_rest_above_the_form():
    form = NoteForm({"name": "Aktör", "version": 1})
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError(
            {
                "name": ["Namnet finns redan."],
                "version": ["Någon annan har sparat."],
                "municipality": ["Fel kommun."],
            }
        ),
    )
    assert form.errors["name"] == ["Namnet finns redan."]
    assert form.non_field_errors() == ["Någon annan har sparat.", "Fel kommun."]
    assert "version" not in form.errors


def test_a_plain_message_goes_to_the_default_field():
    form = NoteForm({"name": "Aktör", "version": 1})
    assert form.is_valid()
    add_service_errors(form, ValidationError("Får inte ändras."), default_field="name")
    assert form.errors["name"] == ["Får inte ändras."]
