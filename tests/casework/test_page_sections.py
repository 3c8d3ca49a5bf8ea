"""The contact and plan sections of the young person's page: a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template

from casework.models import ContactAttempt, Mapping, Measure, Plan
from registry.models import Occupation
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

D = datetime.date
PAGE = Template(
    "{% for enrolment in enrolments %}"
    '{% include "casework/partials/enrolment_contact_section.html" %}'
    '{% include "casework/partials/enrolment_plan_section.html" %}'
    "{% endfor %}"
)


def enrolments(municipality, count):
    """One young person's enrolments, all but the last ended, each with attempts and a plan."""
    youth = YouthFactory(municipality=municipality)
    made = []
    for index in range(count):
        registered_on = D(2020 + index, 1, 10)
        last = index == count - 1
        enrolment = EnrolmentFactory(
            youth=youth,
            registered_on=registered_on,
            ended_on=None if last else registered_on + datetime.timedelta(days=200),
            end_reason="" if last else "other",
        )
        for day in (3, 40):
            ContactAttempt.objects.create(
                enrolment=enrolment,
                date=registered_on + datetime.timedelta(days=day),
                channel="phone",
                outcome="not_reached",
            )
        Occupation.objects.create(enrolment=enrolment, from_date=registered_on, kind="unknown")
        Mapping.objects.create(enrolment=enrolment, date=registered_on, situation="Söker arbete")
        plan = Plan.objects.create(enrolment=enrolment, goal="Arbete", planning="Praktik")
        Measure.objects.create(plan=plan, type="guidance", responsible="youth")
        made.append(enrolment)
    return made


def render(rf, user, shown):
    request = rf.get(f"/ungdomar/{shown[0].youth_id}/")
    request.user = user
    return PAGE.render(Context({"enrolments": shown, "user": user, "request": request}))


def test_the_sections_do_not_query_per_enrolment(
    rf, municipality, coordinator, django_assert_num_queries
):
    two = enrolments(municipality, 2)
    with django_assert_num_queries(7) as few:
        render(rf, coordinator, two)
    several = enrolments(municipality, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        html = render(rf, coordinator, several)
    # Every enrolment's section is there, with what the routine says of it.
    for enrolment in several:
        assert f'id="contact-section-{enrolment.pk}"' in html
        assert f'data-plan-summary="{enrolment.pk}"' in html
    assert html.count("Inskrivningen avslutades utan känd sysselsättning.") == 4
    assert html.count("Inget – inskrivningen är avslutad.") == 4
