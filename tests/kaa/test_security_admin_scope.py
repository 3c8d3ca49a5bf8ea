"""Scoped administration (docs/domain.md): a municipality's admin administers its own
municipality; the site superuser sees no register data through the admin site."""

from __future__ import annotations

import io

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from kaa.admin_scope import ADMINISTRATIVE, INSTALLATION_ONLY_APPS
from registry.models import User
from tests.conftest import logged_in_client
from tests.factories import EnrolmentFactory, MunicipalityFactory, UserFactory, YouthFactory

pytestmark = pytest.mark.django_db

REGISTER_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.label_lower not in ADMINISTRATIVE
    and model._meta.app_label not in INSTALLATION_ONLY_APPS
]


@pytest.fixture
def superuser(db) -> User:
    return UserFactory(
        username="installation", role="admin", municipality=None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def elsewhere(db):
    municipality = MunicipalityFactory(code="0997", name="Annanstad")
    return {
        "municipality": municipality,
        "user": UserFactory(username="annans-koordinator", municipality=municipality),
        "youth": YouthFactory(municipality=municipality, last_name="Främlingsson"),
    }


def test_the_register_models_are_known():
    labels = {model._meta.label_lower for model in REGISTER_MODELS}
    assert {"registry.youth", "registry.enrolment"} <= labels


@pytest.mark.parametrize("model", REGISTER_MODELS, ids=lambda m: m._meta.label_lower)
def test_the_superuser_sees_no_register_data(model, superuser, municipality):
    youth = YouthFactory(municipality=municipality, last_name="Registersson")
    EnrolmentFactory(youth=youth)
    client = logged_in_client(superuser)
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist")).status_code == 403
    for obj in model._default_manager.all()[:1]:
        response = client.get(reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk]))
        assert response.status_code in {302, 403}
        assert "Registersson" not in response.content.decode()
    index = client.get(reverse("admin:index")).content.decode()
    assert f"/admin/{info[0]}/{info[1]}/" not in index


def test_the_superuser_still_installs(superuser, municipality):
    client = logged_in_client(superuser)
    assert client.get(reverse("admin:registry_municipality_changelist")).status_code == 200
    assert client.get(reverse("admin:registry_user_changelist")).status_code == 200


def test_the_admin_lists_only_its_own_municipalitys_users(admin_user, coordinator, elsewhere):
    text = (
        logged_in_client(admin_user).get(reverse("admin:registry_user_changelist")).content.decode()
    )
    assert coordinator.username in text
    assert elsewhere["user"].username not in text


def test_the_admin_cannot_open_or_change_another_municipalitys_user(admin_user, elsewhere):
    client = logged_in_client(admin_user)
    url = reverse("admin:registry_user_change", args=[elsewhere["user"].pk])
    assert client.get(url).status_code == 302  # "does not exist": not revealed
    client.post(url, {"username": "kapad", "role": "admin"})
    elsewhere["user"].refresh_from_db()
    assert elsewhere["user"].username == "annans-koordinator"


def test_the_admin_reads_no_personal_data_of_another_municipality(admin_user, elsewhere):
    client = logged_in_client(admin_user)
    listing = client.get(reverse("admin:registry_youth_changelist"))
    assert listing.status_code == 200
    assert "Främlingsson" not in listing.content.decode()
    change = client.get(reverse("admin:registry_youth_change", args=[elsewhere["youth"].pk]))
    assert "Främlingsson" not in change.content.decode()


def test_the_admin_sees_no_other_register_models(admin_user):
    index = logged_in_client(admin_user).get(reverse("admin:index")).content.decode()
    for model in REGISTER_MODELS:
        label = model._meta.label_lower
        if label in {"registry.youth", "registry.enrolment", "registry.accesslog"}:
            continue
        assert f"/admin/{model._meta.app_label}/{model._meta.model_name}/" not in index, label


def test_a_user_added_by_the_admin_joins_its_municipality_and_is_never_superuser(
    admin_user, municipality
):
    client = logged_in_client(admin_user)
    response = client.post(
        reverse("admin:registry_user_add"),
        {
            "username": "ny-koordinator",
            "password1": "Lång-och-säker-42",
            "password2": "Lång-och-säker-42",
            "usable_password": "true",
            "role": "coordinator",
            "is_superuser": "on",
            "municipality": MunicipalityFactory(code="0996").pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="ny-koordinator")
    assert user.municipality == municipality
    assert not user.is_superuser
    # Every admin action is in the history: the admin log and the user's own history.
    assert LogEntry.objects.filter(user=admin_user, object_id=str(user.pk)).exists()
    assert user.history.earliest().history_user == admin_user


def test_the_admin_changes_a_user_and_it_is_in_the_history(admin_user, coordinator):
    client = logged_in_client(admin_user)
    url = reverse("admin:registry_user_change", args=[coordinator.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "username": coordinator.username,
            "first_name": "Ändrad",
            "last_name": coordinator.last_name,
            "email": "",
            "role": "manager",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        }
    )
    data.pop("password", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    coordinator.refresh_from_db()
    assert (coordinator.role, coordinator.first_name) == ("manager", "Ändrad")
    assert not coordinator.is_superuser
    assert coordinator.history.latest().history_user == admin_user
    assert LogEntry.objects.filter(user=admin_user, object_id=str(coordinator.pk)).exists()


def test_add_user_makes_a_municipalitys_admin_staff_not_superuser(municipality):
    out = io.StringIO()
    call_command("add_user", "kommunadmin", "--role", "admin", "--municipality", "0999", stdout=out)
    call_command("add_user", "installation", "--role", "admin", stdout=out)
    scoped = User.objects.get(username="kommunadmin")
    site = User.objects.get(username="installation")
    assert (scoped.is_staff, scoped.is_superuser) == (True, False)
    assert (site.is_staff, site.is_superuser) == (True, True)


def test_the_admin_changes_its_own_municipality_only(admin_user, municipality, elsewhere):
    client = logged_in_client(admin_user)
    own = client.get(reverse("admin:registry_municipality_change", args=[municipality.pk]))
    assert own.status_code == 200
    other = client.get(
        reverse("admin:registry_municipality_change", args=[elsewhere["municipality"].pk])
    )
    assert other.status_code == 302
    assert client.get(reverse("admin:registry_municipality_add")).status_code == 403


def test_every_admin_url_of_a_register_model_is_closed_to_the_superuser(superuser):
    client = logged_in_client(superuser)
    for model in REGISTER_MODELS:
        info = (model._meta.app_label, model._meta.model_name)
        try:
            url = reverse(f"admin:{info[0]}_{info[1]}_add")
        except NoReverseMatch:
            continue
        assert client.get(url).status_code == 403, info
