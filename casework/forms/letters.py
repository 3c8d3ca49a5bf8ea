from django import forms
from django.utils.translation import gettext_lazy as _

from .. import letters
from ..models import Letterhead, LetterKind, LetterTemplate


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}

    def _clean_placeholders(self, name: str) -> str:
        text = self.cleaned_data[name]
        unknown = letters.unknown_placeholders(text)
        if unknown:
            raise forms.ValidationError(letters.unknown_placeholder_message(unknown))
        return text

    def clean_subject(self) -> str:
        return self._clean_placeholders("subject")

    def clean_body(self) -> str:
        return self._clean_placeholders("body")


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = ["sender", "address", "phone", "email"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class LetterKindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Brev"), choices=LetterKind.choices)
