"""403 and 404 pages: the portal layout, the substitution banner, a way back, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chorus.accounts.models import User
from support.tests.conftest import logged_in

pytestmark = pytest.mark.django_db

MISSING = "/cette-page-n-existe-pas/"


@pytest.fixture(autouse=True)
def _production(settings: Any) -> None:
    settings.DEBUG = False


def _start(client: Client, user: User) -> None:
    response = client.post(
        reverse("support:substitution_start"), {"user_id": user.pk, "reason": "SOL-2026-000001"}
    )
    assert response.status_code == 302


def test_404_uses_the_portal_layout_in_french_with_a_way_back(supplier: User):
    client = logged_in(supplier)

    response = client.get(MISSING, HTTP_REFERER="http://testserver/factures/")

    assert response.status_code == 404
    page = response.content.decode()
    assert 'id="content"' in page
    assert 'id="footer"' in page
    assert "Page introuvable" in page
    assert f'href="{reverse("dashboard")}"' in page
    assert 'href="/factures/"' in page
    assert "Retour à la page précédente" in page


def test_404_in_english_for_an_anonymous_visitor_links_home():
    response = Client().get(MISSING, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert f'href="{reverse("home")}"' in page


def test_back_link_never_points_to_another_site(supplier: User):
    response = logged_in(supplier).get(MISSING, HTTP_REFERER="https://elsewhere.test/factures/")

    assert response.status_code == 404
    assert "elsewhere.test" not in response.content.decode()
    assert "Retour à la page précédente" not in response.content.decode()


def test_404_during_substitution_keeps_the_banner(agent: User, supplier: User):
    client = logged_in(agent)
    _start(client, supplier)

    response = client.get(MISSING)

    assert response.status_code == 404
    page = response.content.decode()
    assert 'id="substitution-banner"' in page
    assert reverse("hijack:release") in page


@pytest.mark.parametrize(
    ("language", "title", "reason"),
    [
        ("fr", "Accès refusé", "accessible pendant une substitution"),
        ("en", "Access refused", "This page is not available while acting for a user."),
    ],
)
def test_403_during_substitution_has_layout_banner_reason_and_way_back(
    agent: User, supplier: User, language: str, title: str, reason: str
):
    client = logged_in(agent)
    _start(client, supplier)

    response = client.get(reverse("account_email"), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 403
    page = response.content.decode()
    assert 'id="substitution-banner"' in page
    assert title in page
    assert reason in page
    assert f'href="{reverse("dashboard")}"' in page
