"""The footer's pages: legal notice, personal data, accessibility, site map (issue 11 point 16)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chorus.accounts.choices import Area
from invoices.tests.factories import login_member, make_structure

pytestmark = pytest.mark.django_db

FOOTER_PAGES = {
    "legal_notice": ("Mentions légales", "Legal notice"),
    "personal_data": ("Données personnelles", "Personal data"),
    "accessibility": ("Déclaration d'accessibilité", "Accessibility statement"),
    "site_map": ("Plan du site", "Site map"),
}


def test_every_page_links_the_footer_pages(client: Client):
    content = client.get(reverse("home")).content.decode()

    for name in FOOTER_PAGES:
        assert f'href="{reverse(name)}"' in content


@pytest.mark.parametrize("name", FOOTER_PAGES)
def test_footer_pages_open_to_anyone_in_french_then_english(client: Client, name: str):
    french, english = FOOTER_PAGES[name]

    page = client.get(reverse(name))
    assert page.status_code == 200
    assert f"<h1>{french}</h1>" in page.content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert f"<h1>{english}</h1>" in client.get(reverse(name)).content.decode()


def test_the_accessibility_statement_states_the_audit(client: Client, settings):
    content = client.get(reverse("accessibility")).content.decode()
    assert "Non conforme" in content
    assert "aucun audit de conformité n'a encore été réalisé" in content
    assert "Accessibilité : non conforme (non audité)" in content  # the footer says it too

    settings.CHORUS_ACCESSIBILITY_STATUS = "partial"
    settings.CHORUS_ACCESSIBILITY_AUDIT = "Audit RGAA 4.1 du 3 mars 2027 par Access42 : 78 %"
    content = client.get(reverse("accessibility")).content.decode()
    assert "Partiellement conforme" in content
    assert "Access42 : 78 %" in content


def test_the_legal_pages_state_the_operators_facts(client: Client, settings):
    assert "non renseigné par l'opérateur" in client.get(reverse("legal_notice")).content.decode()

    settings.CHORUS_OPERATOR = "Région Exemple, 1 place de la Mairie, 75000 Paris"
    settings.CHORUS_HOST = "Hébergeur SAS, 2 rue du Serveur, 59000 Lille"
    settings.CHORUS_DPO_EMAIL = "dpo@region.example"
    legal = client.get(reverse("legal_notice")).content.decode()
    data = client.get(reverse("personal_data")).content.decode()
    assert "Région Exemple" in legal
    assert "Hébergeur SAS" in legal
    assert "mailto:dpo@region.example" in data


def test_the_site_map_shows_the_visitors_own_menu(client: Client):
    anonymous = client.get(reverse("site_map")).content.decode()
    assert reverse("account_login") in anonymous
    assert reverse("dashboard") not in anonymous

    login_member(client, make_structure(), Area.INVOICES_ISSUED)
    member = client.get(reverse("site_map")).content.decode()
    assert reverse("dashboard") in member
    assert reverse("invoices:invoice_list", args=["emises"]) in member
    assert reverse("account_login") not in member
