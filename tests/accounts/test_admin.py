from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client_for):
    admin = UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    return client_for(admin)


def test_admin_user_list_shows_and_searches_users(admin_client_):
    UserFactory(email="findme@example.com", full_name="Find Me")
    UserFactory(email="other@example.com", full_name="Someone Else")

    response = admin_client_.get(reverse("admin:accounts_user_changelist"), {"q": "find"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "findme@example.com" in html
    assert "other@example.com" not in html


def test_admin_can_add_a_user_by_email(admin_client_):
    add_url = reverse("admin:accounts_user_add")
    assert admin_client_.get(add_url).status_code == 200

    response = admin_client_.post(
        add_url,
        {
            "email": "New.Person@Example.com",
            "full_name": "New Person",
            "usable_password": "true",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )

    assert response.status_code == 302
    created = User.objects.get(email="new.person@example.com")
    assert created.check_password(DEFAULT_PASSWORD)


def test_admin_add_refuses_an_email_taken_in_another_case(admin_client_):
    UserFactory(email="taken@example.com")

    response = admin_client_.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "TAKEN@example.com",
            "usable_password": "true",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_admin_change_page_loads_and_hides_the_secret_tokens(admin_client_, user):
    response = admin_client_.get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert user.email in html
    assert user.calendar_token not in html
    assert user.inbound_token not in html


def test_admin_is_closed_to_ordinary_users(logged_in_client):
    response = logged_in_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
