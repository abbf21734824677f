"""Portal-wide behaviour: look, languages, escaping, official-site switch, health."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chorus.accounts.models import User
from chorus.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("xss")</script>'


def test_home_page_is_french_by_default(client: Client):
    response = client.get(reverse("home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in content
    assert "Portail de facturation électronique publique" in content


def test_language_switcher_turns_the_portal_english(client: Client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True
    )

    content = response.content.decode()
    assert '<html lang="en"' in content
    assert "Public e-invoicing portal" in content
    assert 'id="language-fr"' in content


def test_unofficial_notice_shown_and_state_brand_hidden_by_default(client: Client):
    content = client.get(reverse("home")).content.decode()

    assert 'id="unofficial-notice"' in content
    assert "n'est pas un service officiel" in content
    assert 'id="state-brand"' not in content
    assert "République" not in content


def test_state_brand_shown_only_on_official_deployments(client: Client, settings):
    settings.CHORUS_OFFICIAL_STATE_SITE = True

    content = client.get(reverse("home")).content.decode()

    assert 'id="state-brand"' in content
    assert "République<br>française" in content
    assert 'id="unofficial-notice"' not in content


def test_user_supplied_text_is_escaped_everywhere_it_is_shown(client: Client, user: User):
    client.force_login(user)

    response = client.post(
        reverse("profile"), {"first_name": PAYLOAD, "last_name": PAYLOAD, "phone": ""}
    )
    assert response.status_code == 302

    for url in (reverse("profile"), reverse("dashboard")):
        content = client.get(url).content.decode()
        assert PAYLOAD not in content
        assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in content


def test_form_errors_are_summarised_and_linked_to_their_field(client: Client):
    response = client.post(
        reverse("account_signup"), {"email": "not-an-email", "password1": "x", "password2": "y"}
    )

    content = response.content.decode()
    assert 'id="error-summary"' in content
    assert 'href="#id_email"' in content
    assert 'aria-invalid="true"' in content


def test_dashboard_requires_login(client: Client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signed_in_home_redirects_to_dashboard(client: Client, user: User):
    client.force_login(user)

    assert client.get(reverse("home"))["Location"] == reverse("dashboard")


def test_health_reports_database_and_cache(client: Client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": True, "cache": True}


def test_security_headers_on_pages(client: Client):
    response = client.get(reverse("home"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp


def test_pages_load_assets_from_our_own_static_files_only(client: Client):
    content = client.get(reverse("home")).content.decode()

    assert "/static/dsfr/dist/dsfr.min.css" in content
    assert "/static/js/htmx.min.js" in content
    assert "https://" not in content.split("<body")[0]


@pytest.fixture
def user() -> User:
    return make_user()
