"""The registry's demo data: synthetic, realistic spread, idempotent."""

import datetime

import pytest
import time_machine

from registry import demo
from registry.eligibility import age_on
from registry.models import Enrolment, Youth

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    # Fewer young people than the demo's 300 keep the test quick; the rules are the same.
    monkeypatch.setattr(demo, "DEMO_YOUTHS", 80)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        municipality, users = demo.seed_users()
        summary = demo.seed(municipality, users)
        yield municipality, users, summary


def test_seed_is_synthetic_and_idempotent(seeded):
    municipality, users, summary = seeded
    assert summary.startswith("92 ungdomar")
    youths = Youth.objects.filter(municipality=municipality)
    assert youths.count() == 80 + demo.DEMO_IM_STUDENTS
    assert all(980 <= int(youth.personnummer[8:11]) <= 999 for youth in youths)
    assert demo.seed(municipality, users) == "ungdomar finns redan"
    assert Youth.objects.count() == 80 + demo.DEMO_IM_STUDENTS


def test_seed_spreads_like_the_real_register(seeded):
    municipality, users, _summary = seeded
    today = datetime.date(2026, 11, 24)
    enrolments = Enrolment.objects.filter(municipality=municipality)
    assert {e.coordinator for e in enrolments} == {
        users["koordinator"],
        users["koordinator2"],
        None,
    }
    assert len({e.source for e in enrolments}) >= 4
    for enrolment in enrolments:
        assert 16 <= age_on(enrolment.youth.birth_date, enrolment.registered_on) <= 19
        assert (today - enrolment.registered_on).days <= 548
        if enrolment.is_active:
            assert age_on(enrolment.youth.birth_date, today) < 20
    ended = [e.end_reason for e in enrolments if not e.is_active]
    assert ended and max(set(ended), key=ended.count) == "turned_20"
    autumn = sum(e.registered_on.month >= 8 for e in enrolments)
    assert autumn > len(enrolments) / 2
    assert Youth.objects.filter(is_im_student=True, enrolments__isnull=True).count() == 12
    protected = Youth.objects.filter(protected_identity=True)
    assert protected.exists()
