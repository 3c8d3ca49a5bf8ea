"""Login in Swedish, navigation and access by role, error pages."""

import pytest
from django.urls import reverse

from tests.conftest import logged_in_client

pytestmark = pytest.mark.django_db


def nav_keys(response) -> list[str]:
    html = response.content.decode()
    return [
        key
        for key in ("worklist", "youths", "dashboard", "reports", "settings", "admin")
        if f'data-nav="{key}"' in html
    ]


def test_login_page_is_swedish(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="sv"' in html
    assert "Logga in" in html and "Lösenord" in html


def test_login_with_wrong_password_says_so_in_swedish(client, coordinator):
    response = client.post(reverse("login"), {"username": "koordinator", "password": "fel"})
    assert response.status_code == 200
    assert "korrekt användarnamn och lösenord" in response.content.decode()


def test_login_then_logout(client, coordinator):
    response = client.post(
        reverse("login"), {"username": "koordinator", "password": "test-password-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("casework:worklist")
    response = client.post(reverse("logout"), follow=True)
    assert "Logga in" in response.content.decode()
    assert client.get(reverse("registry:youth_list")).status_code == 302


@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        ("coordinator", ["worklist", "youths"]),
        ("manager", ["worklist", "youths", "dashboard", "reports", "settings"]),
        ("board_secretary", ["reports"]),
        ("admin_user", ["admin"]),
    ],
)
def test_navigation_by_role(request, user_fixture, expected):
    client = logged_in_client(request.getfixturevalue(user_fixture))
    response = client.get(reverse("account"))
    assert nav_keys(response) == expected


@pytest.mark.parametrize(
    ("user_fixture", "url_name", "status"),
    [
        ("board_secretary", "registry:youth_list", 403),
        ("board_secretary", "casework:worklist", 403),
        ("board_secretary", "reports:index", 200),
        ("coordinator", "reports:dashboard", 403),
        ("coordinator", "casework:settings", 403),
        ("coordinator", "registry:youth_list", 200),
        ("manager", "reports:dashboard", 200),
        ("manager", "casework:settings", 200),
        ("school_user", "registry:youth_list", 403),
    ],
)
def test_access_by_role(request, user_fixture, url_name, status):
    client = logged_in_client(request.getfixturevalue(user_fixture))
    assert client.get(reverse(url_name)).status_code == status


def test_board_secretary_is_refused_young_people_with_a_swedish_page(board_secretary_client):
    response = board_secretary_client.get(reverse("registry:youth_list"))
    assert response.status_code == 403
    assert "Åtkomst nekad" in response.content.decode()


def test_unknown_page_is_a_swedish_404(coordinator_client, settings):
    settings.DEBUG = False
    response = coordinator_client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_english_can_be_chosen(coordinator_client):
    coordinator_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = coordinator_client.get(reverse("account"))
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Worklist" in html and "Log out" in html


def test_admin_site_only_for_admins(request, admin_user, coordinator):
    assert logged_in_client(admin_user).get(reverse("admin:index")).status_code == 200
    response = logged_in_client(coordinator).get(reverse("admin:index"))
    assert response.status_code == 302


def test_manager_saves_routine_settings_with_history(manager_client, manager):
    url = reverse("casework:settings")
    form = manager_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["tolerance_days"] = 10
    response = manager_client.post(url, data, follow=True)
    assert "Kontaktrutinen är sparad" in response.content.decode()
    settings_row = manager.municipality.routine_settings
    assert settings_row.tolerance_days == 10
    assert settings_row.history.first().history_user == manager


def test_swedish_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    html = response.content.decode()
    assert 'lang="sv"' in html
    assert "Logga in" in html
