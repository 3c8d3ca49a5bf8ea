"""Retention: the dry run lists what the real run anonymises; aggregate figures stay."""

import datetime

import pytest
from django.db.models import Count

from casework.models import Channel, ContactAttempt, Outcome
from followup.models import AnonymisedYouth, RetentionPolicy
from followup.services.retention import PLACEHOLDER, retention_run
from registry.models import Enrolment, Guardian, Occupation, SchoolNotification, Youth
from reports.models import ScbExport
from tests.factories import EnrolmentFactory, UserFactory, YouthFactory

from .factories import MeasureFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def ended_youth(municipality, *, ended_on, **youth_fields):
    """A young person with a documented, ended enrolment: guardian, notes, plan, measure."""
    youth = YouthFactory(municipality=municipality, phone="070-000 00 00", **youth_fields)
    Guardian.objects.create(youth=youth, name="Vårdnadshavare Påhittad", phone="070-111 11 11")
    enrolment = EnrolmentFactory(
        youth=youth,
        registered_on=ended_on - datetime.timedelta(days=200),
        school="Provskolan",
        source="studiebevis",
    )
    Occupation.objects.create(
        enrolment=enrolment, from_date=enrolment.registered_on, kind="work", note="Lager"
    )
    ContactAttempt.objects.create(
        enrolment=enrolment,
        date=enrolment.registered_on + datetime.timedelta(days=3),
        channel=Channel.PHONE,
        outcome=Outcome.REACHED,
        note="Pratade om hemmet",
    )
    MeasureFactory(plan__enrolment=enrolment, evaluation="", description="Vägledning hos SYV")
    SchoolNotification.objects.create(
        municipality=municipality,
        personnummer=youth.personnummer,
        school="Provskolan",
        left_on=enrolment.registered_on,
        reason="dropout",
        first_name=youth.first_name,
        last_name=youth.last_name,
        youth=youth,
        enrolment=enrolment,
        sent_by=UserFactory(username=f"skola{youth.pk}", role="school", municipality=municipality),
    )
    enrolment.ended_on = ended_on
    enrolment.end_reason = "other"
    enrolment.end_reason_text = "Flyttade till sin moster"
    enrolment.save()
    youth.first_name = "Ändrat"  # a history row with a name
    youth.save()
    return youth


def key_figures():
    """What reports count: enrolments by source, end reason and dates; occupations by kind."""
    return (
        sorted(Enrolment.objects.values_list("registered_on", "ended_on", "source", "end_reason")),
        sorted(Occupation.objects.values("kind").annotate(n=Count("id")).values_list("kind", "n")),
        sorted(ContactAttempt.objects.values_list("date", "channel", "outcome")),
        Youth.objects.count(),
    )


def test_dry_run_and_real_run_agree_and_personal_data_goes(municipality):
    old = ended_youth(municipality, ended_on=datetime.date(2023, 6, 30))
    recent = ended_youth(municipality, ended_on=datetime.date(2024, 1, 10))
    active = YouthFactory(municipality=municipality)
    EnrolmentFactory(youth=active)
    old_file = ScbExport.objects.create(
        municipality=municipality,
        period_from=datetime.date(2023, 1, 1),
        period_to=datetime.date(2023, 6, 30),
        content=f"{old.personnummer};studiebevis\n",
        row_count=1,
    )
    recent_file = ScbExport.objects.create(
        municipality=municipality,
        period_from=datetime.date(2024, 1, 1),
        period_to=datetime.date(2024, 6, 30),
        content=f"{recent.personnummer};studiebevis\n",
        row_count=1,
    )
    figures_before = key_figures()

    dry = retention_run(today=TODAY, dry_run=True)
    assert dry.youth_ids == [old.pk]
    assert dry.rows["registry.Guardian"] == 1
    assert dry.rows["reports.ScbExport"] == 1
    assert dry.history_rows > 0
    assert Youth.objects.get(pk=old.pk).last_name == old.last_name  # nothing changed

    real = retention_run(today=TODAY, dry_run=False)
    assert (real.youth_ids, real.rows, real.history_rows) == (
        dry.youth_ids,
        dry.rows,
        dry.history_rows,
    )

    old.refresh_from_db()
    assert (old.first_name, old.last_name, old.street, old.phone, old.email) == (
        "Gallrad",
        "",
        "",
        "",
        "",
    )
    assert old.personnummer == f"G{old.pk}"
    notice = SchoolNotification.objects.get(youth=old)
    assert (notice.personnummer, notice.first_name, notice.last_name) == (f"G{old.pk}", "", "")
    assert old.birth_date == datetime.date(old.birth_date.year, 1, 1)
    assert not Guardian.objects.filter(youth=old).exists()
    assert not Guardian.history.filter(youth_id=old.pk).exists()
    assert not Youth.history.filter(id=old.pk).exists()
    assert not Enrolment.history.filter(youth_id=old.pk).exists()
    enrolment = old.enrolments.get()
    assert (enrolment.school, enrolment.end_reason_text) == (PLACEHOLDER, PLACEHOLDER)
    assert enrolment.contact_attempts.get().note == PLACEHOLDER
    measure = enrolment.plan.measures.get()
    assert (measure.description, measure.evaluation) == (PLACEHOLDER, "")
    assert enrolment.plan.goal == PLACEHOLDER

    # The one still within retention and the active one are untouched.
    recent.refresh_from_db()
    assert recent.first_name == "Ändrat"
    assert Guardian.objects.filter(youth=recent).exists()
    assert Youth.history.filter(id=recent.pk).exists()

    assert key_figures() == figures_before
    old_file.refresh_from_db()
    recent_file.refresh_from_db()
    assert (old_file.content, old_file.row_count) == (PLACEHOLDER, 1)
    assert recent.personnummer in recent_file.content
    assert AnonymisedYouth.objects.get().youth == old
    # A second run has nothing to do.
    assert retention_run(today=TODAY, dry_run=False).youth_ids == []


def test_the_municipality_setting_decides(municipality, other_municipality):
    here = ended_youth(municipality, ended_on=datetime.date(2025, 6, 1))
    there = ended_youth(other_municipality, ended_on=datetime.date(2025, 6, 1))
    RetentionPolicy.objects.create(municipality=municipality, years_after_end=1)
    assert retention_run(today=TODAY).youth_ids == [here.pk]
    RetentionPolicy.objects.filter(municipality=municipality).update(years_after_end=2)
    assert retention_run(today=TODAY).youth_ids == []
    assert there.pk not in retention_run(today=datetime.date(2028, 6, 1)).youth_ids
    assert there.pk in retention_run(today=datetime.date(2028, 6, 2)).youth_ids


def test_a_young_person_with_a_later_active_enrolment_is_kept(municipality):
    youth = ended_youth(municipality, ended_on=datetime.date(2020, 1, 1))
    EnrolmentFactory(youth=youth, registered_on=datetime.date(2026, 9, 1))
    assert retention_run(today=TODAY).youth_ids == []


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2022, 7, 1), datetime.date(2023, 6, 30)),  # the anonymised one's year
        (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)),
        (datetime.date(2026, 1, 1), datetime.date(2026, 11, 24)),
    ],
)
def test_the_reports_key_figures_and_compliance_are_the_same_after_retention(
    municipality, manager, start, end
):
    """The dashboard's own figures, not a hand-made count, before and after the real run."""
    from reports.key_figures import Period
    from reports.selectors.compliance import compliance
    from reports.selectors.key_figures import key_figures

    old = ended_youth(municipality, ended_on=datetime.date(2023, 6, 30))
    ended_youth(municipality, ended_on=datetime.date(2023, 5, 2))
    ended_youth(municipality, ended_on=datetime.date(2024, 1, 10))
    EnrolmentFactory(youth=YouthFactory(municipality=municipality))
    period = Period(start=start, end=end)

    def figures():
        return (
            key_figures(user=manager, period=period, today=TODAY),
            compliance(user=manager, period=period, today=TODAY),
        )

    before = figures()
    assert before[0].current.values["new_registrations"] or start.year == 2026
    real = retention_run(today=TODAY, dry_run=False)
    assert old.pk in real.youth_ids and len(real.youth_ids) == 2
    assert figures() == before
