"""The admin site shows the register read-only: rules cannot be bypassed, protection holds."""

import pytest
from django.urls import reverse

from registry.models import AccessLog
from tests.conftest import logged_in_client
from tests.factories import EnrolmentFactory, YouthFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(admin_user):
    return logged_in_client(admin_user)


def test_admin_view_of_a_protected_youth_hides_the_address_and_is_logged(
    admin_client_, admin_user, municipality
):
    youth = YouthFactory(municipality=municipality, protected_identity=True, street="Dold väg 5")
    response = admin_client_.get(reverse("admin:registry_youth_change", args=[youth.pk]))
    assert response.status_code == 200
    assert youth.last_name in response.content.decode()
    assert "Dold väg 5" not in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.youth, log.action) == (admin_user, youth, "view_page")
    history = admin_client_.get(reverse("admin:registry_youth_history", args=[youth.pk]))
    assert history.status_code == 403
    version = youth.history.latest().history_id
    url = reverse("admin:registry_youth_simple_history", args=[youth.pk, version])
    assert admin_client_.get(url).status_code == 403


def test_admin_cannot_add_change_or_delete_register_rows(admin_client_, municipality):
    enrolment = EnrolmentFactory(youth__municipality=municipality)
    assert admin_client_.get(reverse("admin:registry_enrolment_add")).status_code == 403
    assert admin_client_.get(reverse("admin:registry_youth_add")).status_code == 403
    change = admin_client_.post(
        reverse("admin:registry_enrolment_change", args=[enrolment.pk]),
        {"ended_on": "2026-11-01", "end_reason": ""},
    )
    assert change.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.is_active
