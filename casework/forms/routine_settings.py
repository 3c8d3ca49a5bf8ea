from django import forms

from ..models import RoutineSettings


class RoutineSettingsForm(forms.ModelForm):
    class Meta:
        model = RoutineSettings
        fields = [
            "first_contact_days",
            "second_attempt_days",
            "home_visit_days",
            "post_visit_followup_days",
            "periodic_attempt_days",
            "offer_conversation_days",
            "regular_followup_days",
            "tolerance_days",
        ]
