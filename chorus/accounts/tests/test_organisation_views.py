"""Views of the organisation feature: wiring, and the tenancy matrix (security.md Z1).

A member of structure A gets 404 on every page of structure B, whatever the method, and a
simple member gets 403 on manager pages of their own structure.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import get_resolver, reverse

from chorus.accounts.choices import JoinRequestStatus, Role, StructureKind
from chorus.accounts.models import JoinRequest, Membership
from chorus.accounts.tests.factories import UserFactory
from chorus.accounts.tests.organisation_factories import (
    JoinRequestFactory,
    MembershipFactory,
    StructureFactory,
    structure_with_principal,
)
from public_entities.models import EntityService, PublicEntity
from suppliers.models import BankAccount

pytestmark = pytest.mark.django_db


@dataclass
class Tenant:
    principal: Membership
    member: Membership
    join_request: JoinRequest
    service: EntityService
    account: BankAccount

    @property
    def structure(self):
        return self.principal.structure


def make_tenant() -> Tenant:
    principal = structure_with_principal(kind=StructureKind.PUBLIC)
    structure = principal.structure
    PublicEntity.objects.create(structure=structure)
    return Tenant(
        principal=principal,
        member=MembershipFactory.create(structure=structure),
        join_request=JoinRequestFactory.create(structure=structure),
        service=EntityService.objects.create(structure=structure, code="S1", name="Service 1"),
        account=BankAccount.objects.create(
            structure=structure,
            label="Compte",
            holder="X",
            iban="FR7630006000011234567890189",
            bic="AGRIFRPPXXX",
        ),
    )


def private_urls(t: Tenant) -> dict[str, str]:
    """Every private organisation URL, built for tenant ``t``."""
    s = t.structure.public_id
    m = t.member.public_id
    return {
        "accounts:structure_detail": reverse("accounts:structure_detail", args=[s]),
        "accounts:structure_edit": reverse("accounts:structure_edit", args=[s]),
        "accounts:structure_identifier": reverse("accounts:structure_identifier", args=[s]),
        "accounts:own_area_toggle": reverse("accounts:own_area_toggle", args=[s]),
        "accounts:principal_transfer": reverse("accounts:principal_transfer", args=[s]),
        "accounts:structure_second_factor": reverse("accounts:structure_second_factor", args=[s]),
        "accounts:member_edit": reverse("accounts:member_edit", args=[s, m]),
        "accounts:member_remove": reverse("accounts:member_remove", args=[s, m]),
        "accounts:join_request_decide": reverse(
            "accounts:join_request_decide", args=[s, t.join_request.public_id]
        ),
        "accounts:join_request_cancel": reverse(
            "accounts:join_request_cancel", args=[t.join_request.public_id]
        ),
        "suppliers:bank_account_list": reverse("suppliers:bank_account_list", args=[s]),
        "suppliers:bank_account_toggle": reverse(
            "suppliers:bank_account_toggle", args=[s, t.account.public_id]
        ),
        "public_entities:service_list": reverse("public_entities:service_list", args=[s]),
        "public_entities:service_edit": reverse(
            "public_entities:service_edit", args=[s, t.service.public_id]
        ),
        "public_entities:parameters_edit": reverse("public_entities:parameters_edit", args=[s]),
        "public_entities:member_services": reverse("public_entities:member_services", args=[s, m]),
    }


POST_ONLY = {
    "accounts:own_area_toggle",
    "accounts:structure_second_factor",
    "accounts:member_remove",
    "accounts:join_request_decide",
    "accounts:join_request_cancel",
    "suppliers:bank_account_toggle",
}

# Pages with no object in their URL (they only ever show the user's own data) or public ones.
NOT_OBJECT_PAGES = {
    "accounts:structure_list",
    "accounts:onboarding",
    "accounts:structure_join",
    "accounts:structure_switch",
    "suppliers:structure_create",
    "public_entities:directory_search",
    "public_entities:directory_api",
    "public_entities:directory_api_detail",
    "public_entities:directory_detail",
}


def test_every_organisation_url_is_in_the_tenancy_matrix():
    resolver = get_resolver()
    names = {
        f"{namespace}:{name}"
        for namespace in ("accounts", "suppliers", "public_entities")
        for name in resolver.namespace_dict[namespace][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == set(private_urls(make_tenant())) | NOT_OBJECT_PAGES


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_of_a_gets_404_on_every_page_of_b(client, method):
    a = make_tenant()
    b = make_tenant()
    client.force_login(a.principal.user)
    for name, url in private_urls(b).items():
        response = getattr(client, method)(url)
        # POST-only actions refuse GET before looking anything up (405 reveals nothing).
        expected = 405 if method == "get" and name in POST_ONLY else 404
        assert response.status_code == expected, f"{method.upper()} {name}: {response.status_code}"
    # B's objects under A's structure are not found either.
    if method == "get":
        return
    s = a.structure.public_id
    for url in (
        reverse("accounts:member_edit", args=[s, b.member.public_id]),
        reverse("accounts:join_request_decide", args=[s, b.join_request.public_id]),
        reverse("suppliers:bank_account_toggle", args=[s, b.account.public_id]),
        reverse("public_entities:service_edit", args=[s, b.service.public_id]),
        reverse("public_entities:member_services", args=[s, b.member.public_id]),
    ):
        assert getattr(client, method)(url).status_code == 404, url
    b.join_request.refresh_from_db()
    assert b.join_request.status == JoinRequestStatus.PENDING
    assert Membership.objects.filter(pk=b.member.pk).exists()


def test_the_principal_manager_opens_every_page_of_their_structure(client):
    a = make_tenant()
    client.force_login(a.principal.user)
    for name, url in private_urls(a).items():
        if name in POST_ONLY:
            continue
        assert client.get(url).status_code == 200, name


def test_a_simple_member_gets_403_on_manager_pages(client):
    a = make_tenant()
    client.force_login(a.member.user)
    assert client.get(private_urls(a)["accounts:structure_detail"]).status_code == 200
    assert client.get(private_urls(a)["suppliers:bank_account_list"]).status_code == 200
    for name in (
        "accounts:structure_edit",
        "accounts:structure_identifier",
        "public_entities:service_edit",
        "public_entities:parameters_edit",
    ):
        assert client.get(private_urls(a)[name]).status_code == 403, name
    response = client.post(
        private_urls(a)["suppliers:bank_account_list"],
        {"label": "Pirate", "iban": "DE89370400440532013000", "bic": ""},
    )
    assert response.status_code == 403
    assert not BankAccount.objects.filter(label="Pirate").exists()


def test_anonymous_users_are_sent_to_the_login_page(client):
    a = make_tenant()
    response = client.get(private_urls(a)["accounts:structure_detail"])
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_accepting_a_request_from_the_structure_page(client, django_capture_on_commit_callbacks):
    a = make_tenant()
    client.force_login(a.principal.user)
    url = private_urls(a)["accounts:join_request_decide"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "accept", "role": Role.SECONDARY_MANAGER})
    assert response.status_code == 302
    membership = Membership.objects.get(user=a.join_request.user, structure=a.structure)
    assert membership.role == Role.SECONDARY_MANAGER


def test_refusing_a_request_from_the_structure_page(client):
    a = make_tenant()
    client.force_login(a.principal.user)
    client.post(
        private_urls(a)["accounts:join_request_decide"], {"decision": "refuse", "reason": "Non"}
    )
    a.join_request.refresh_from_db()
    assert a.join_request.status == JoinRequestStatus.REFUSED
    assert a.join_request.decision_reason == "Non"


def test_asking_to_join_from_the_search_page(client):
    structure = structure_with_principal().structure
    user = UserFactory.create()
    client.force_login(user)
    page = client.get(reverse("accounts:structure_join"), {"q": structure.identifier})
    assert structure.name in page.content.decode()
    response = client.post(
        reverse("accounts:structure_join"), {"structure": structure.public_id, "message": "Hi"}
    )
    assert response.status_code == 302
    assert JoinRequest.objects.get(user=user).structure == structure


def test_switching_the_active_structure(client):
    first = MembershipFactory.create(structure__name="Alpha")
    second = MembershipFactory.create(user=first.user, structure__name="Beta")
    foreign = StructureFactory.create(name="Gamma")
    client.force_login(first.user)
    page = client.get(reverse("dashboard"))
    assert 'id="structure-switcher"' in page.content.decode()
    response = client.post(
        reverse("accounts:structure_switch"),
        {"structure": second.structure.public_id, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.session["chorus_active_structure"] == str(second.structure.public_id)
    assert (
        client.post(
            reverse("accounts:structure_switch"), {"structure": foreign.public_id}
        ).status_code
        == 404
    )
    # A forged session value is ignored: the page shows a structure the user belongs to.
    session = client.session
    session["chorus_active_structure"] = str(foreign.public_id)
    session.save()
    content = client.get(reverse("dashboard")).content.decode()
    assert "Gamma" not in content


def test_the_dashboard_offers_onboarding_to_a_user_without_structure(client):
    client.force_login(UserFactory.create())
    content = client.get(reverse("dashboard")).content.decode()
    assert reverse("accounts:onboarding") in content
    assert client.get(reverse("accounts:onboarding")).status_code == 200


def test_structure_page_query_count_does_not_grow_with_members(
    client, django_assert_max_num_queries
):
    a = make_tenant()
    for _ in range(10):
        MembershipFactory.create(structure=a.structure)
        JoinRequestFactory.create(structure=a.structure)
    client.force_login(a.principal.user)
    with django_assert_max_num_queries(14):
        assert client.get(private_urls(a)["accounts:structure_detail"]).status_code == 200


def test_my_structures_page_query_count(client, django_assert_max_num_queries):
    user = UserFactory.create()
    for _ in range(8):
        MembershipFactory.create(user=user)
    client.force_login(user)
    # 11: one of them is the second-factor check every signed-in page makes.
    with django_assert_max_num_queries(11):
        assert client.get(reverse("accounts:structure_list")).status_code == 200
