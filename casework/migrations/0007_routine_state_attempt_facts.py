from collections import defaultdict

from django.db import migrations, models
from django.utils import timezone


def fill(apps, schema_editor):
    """Fill the two new columns of the stored states from the attempts they counted.

    Neither depends on the municipality's day counts, so the pure routine with
    its default days gives them (``casework.routine.schedule``).
    """
    from casework import routine

    RoutineState = apps.get_model("casework", "RoutineState")
    ContactAttempt = apps.get_model("casework", "ContactAttempt")
    states = {
        state.enrolment_id: state
        for state in RoutineState.objects.filter(first_attempt_on__isnull=False)
    }
    attempts = defaultdict(list)
    for enrolment_id, day, channel, outcome in (
        ContactAttempt.objects.filter(enrolment_id__in=list(states))
        .order_by("enrolment_id", "date", "pk")
        .values_list("enrolment_id", "date", "channel", "outcome")
    ):
        attempts[enrolment_id].append(routine.Attempt(day, channel, outcome))
    for enrolment_id, state in states.items():
        schedule = routine.schedule(
            registered_on=state.first_attempt_on,
            ended_on=None,
            attempts=attempts[enrolment_id],
            days=routine.RoutineDays(),
            as_of=timezone.localdate(state.computed_at),
        )
        state.home_visit_on = schedule.home_visit_on
        state.attempt_count = schedule.attempt_count
    RoutineState.objects.bulk_update(
        states.values(), ["home_visit_on", "attempt_count"], batch_size=2000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0006_routinestate_worklist_fields_and_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="routinestate",
            name="attempt_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="routinestate",
            name="home_visit_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
