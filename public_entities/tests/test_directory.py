"""The public directory pages and JSON, and the recipient checks for deposits."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from chorus.accounts.choices import StructureKind
from chorus.accounts.tests.organisation_factories import StructureFactory, valid_siret
from public_entities.exceptions import RecipientRefused
from public_entities.models import EntityService, PublicEntity
from public_entities.selectors import recipient_resolve

pytestmark = pytest.mark.django_db


def public(name: str, index: int, **kwargs) -> PublicEntity:
    params = {
        k: kwargs.pop(k) for k in list(kwargs) if k not in {"postal_code", "city", "is_active"}
    }
    structure = StructureFactory.create(
        kind=StructureKind.PUBLIC, identifier=valid_siret(index, "2"), name=name, **kwargs
    )
    return PublicEntity.objects.create(structure=structure, **params)


@pytest.fixture
def directory():
    lyon = public("Commune de Lyon", 1, postal_code="69001", city="Lyon")
    EntityService.objects.create(structure=lyon.structure, code="FIN", name="Finances")
    EntityService.objects.create(structure=lyon.structure, code="OLD", name="Old", is_active=False)
    evry = public("Hôpital d'Évry", 2, postal_code="91000", city="Évry-Courcouronnes")
    public("Commune de Lyon-les-Bains", 3, postal_code="01000", city="Bourg", is_active=False)
    StructureFactory.create(name="Commune de Lyon SARL (private)")
    return {"lyon": lyon, "evry": evry}


def search(client, **params):
    response = client.get(reverse("public_entities:directory_api"), params)
    assert response.status_code == 200
    return response.json()


def test_directory_search_needs_no_login(client, directory):
    response = client.get(reverse("public_entities:directory_search"), {"q": "lyon"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Commune de Lyon" in content
    assert "FIN" in content
    assert "private" not in content
    assert "Bains" not in content


def test_search_by_siret_siren_name_postal_code_and_city(client, directory):
    siret = directory["lyon"].structure.identifier
    assert [r["siret"] for r in search(client, q=siret)["results"]] == [siret]
    assert [r["siret"] for r in search(client, q=siret[:9])["results"]] == [siret]
    assert [r["name"] for r in search(client, q="hopital evry")["results"]] == ["Hôpital d'Évry"]
    assert [r["name"] for r in search(client, postal_code="91")["results"]] == ["Hôpital d'Évry"]
    assert [r["name"] for r in search(client, city="evry")["results"]] == ["Hôpital d'Évry"]
    assert search(client, q="lyon", postal_code="91")["results"] == []
    assert search(client)["results"] == []


def test_json_results_carry_parameters_and_active_services(client, directory):
    result = search(client, q="commune de lyon")["results"][0]
    assert result["parameters"]["required_references"] == "none"
    assert [s["code"] for s in result["services"]] == ["FIN"]
    detail = client.get(
        reverse("public_entities:directory_api_detail", args=[result["siret"]])
    ).json()
    assert {s["code"]: s["is_active"] for s in detail["services"]} == {"FIN": True, "OLD": False}


def test_directory_detail_page_and_unknown_siret(client, directory):
    siret = directory["evry"].structure.identifier
    assert client.get(reverse("public_entities:directory_detail", args=[siret])).status_code == 200
    assert (
        client.get(reverse("public_entities:directory_detail", args=["1" * 14])).status_code == 404
    )


def test_search_results_are_paginated_with_constant_queries(client, django_assert_max_num_queries):
    for index in range(45):
        entity = public(f"Commune {index}", 100 + index)
        EntityService.objects.create(structure=entity.structure, code="A", name="A")
    with django_assert_max_num_queries(6):
        first = client.get(reverse("public_entities:directory_search"), {"q": "commune"})
    assert "45" in first.content.decode()
    page = search(client, q="commune", page="3")
    assert (page["count"], page["page"], page["num_pages"], len(page["results"])) == (45, 3, 3, 5)


def test_htmx_search_returns_the_results_fragment(client, directory):
    response = client.get(
        reverse("public_entities:directory_search"), {"q": "lyon"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.content.decode()
    assert "Commune de Lyon" in response.content.decode()


def test_recipient_checks_follow_the_parameters():
    entity = public("Mairie", 9, service_code_required=True)
    siret = entity.structure.identifier
    EntityService.objects.create(structure=entity.structure, code="S1", name="S1")
    EntityService.objects.create(
        structure=entity.structure, code="EJ", name="EJ", commitment_required=True
    )
    EntityService.objects.create(
        structure=entity.structure,
        code="PAST",
        name="Past",
        end_date=datetime.date(2020, 1, 1),
    )

    def code_of(**kwargs):
        with pytest.raises(RecipientRefused) as caught:
            recipient_resolve(siret=siret, **kwargs)
        return caught.value.code

    resolved = recipient_resolve(siret=siret, service_code="S1").service
    assert resolved is not None
    assert resolved.code == "S1"
    assert code_of() == "service_required"
    assert code_of(service_code="NOPE") == "service_not_found"
    assert code_of(service_code="PAST") == "service_inactive"
    assert code_of(service_code="EJ") == "commitment_required"
    assert recipient_resolve(siret=siret, service_code="EJ", commitment_number="EJ1").service
    with pytest.raises(RecipientRefused) as unknown:
        recipient_resolve(siret=valid_siret(404, "2"))
    assert unknown.value.code == "recipient_not_found"
    entity.structure.is_active = False
    entity.structure.save()
    assert code_of(service_code="S1") == "recipient_inactive"


def test_service_or_commitment_rule():
    entity = public("Mairie", 10, service_or_commitment_required=True)
    EntityService.objects.create(structure=entity.structure, code="S1", name="S1")
    siret = entity.structure.identifier
    with pytest.raises(RecipientRefused) as caught:
        recipient_resolve(siret=siret)
    assert caught.value.code == "service_or_commitment_required"
    assert recipient_resolve(siret=siret, commitment_number="123")
    assert recipient_resolve(siret=siret, service_code="S1")


def test_more_than_the_cap_says_refine_your_search(client, monkeypatch):
    monkeypatch.setattr("public_entities.selectors.RESULT_CAP", 3)
    for index in range(5):
        public(f"Commune {index}", 200 + index)
    page = search(client, q="commune")
    assert page["count"] == 3
    assert page["count_is_capped"] is True
    html = client.get(reverse("public_entities:directory_search"), {"q": "commune"})
    assert 'id="directory-count"' in html.content.decode()


def test_the_json_api_answers_its_errors_in_json(client, directory):
    unknown = client.get(reverse("public_entities:directory_api_detail", args=["00000000000000"]))
    assert unknown.status_code == 404
    assert unknown["Content-Type"].startswith("application/json")
    assert unknown.json()["error"]

    wrong_method = client.post(reverse("public_entities:directory_api"))
    assert wrong_method.status_code == 405
    assert wrong_method["Content-Type"].startswith("application/json")
    assert wrong_method.json()["error"]

    bad = client.get(reverse("public_entities:directory_api"), {"page": "x"})
    assert bad["Content-Type"].startswith("application/json")
