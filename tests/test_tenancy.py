"""Issue #11, point 19: no view or API service reaches another organisation's data.

The test is generated from the URL configuration: every named URL must be listed here,
either with how to point it at organisation B's objects (then a member of organisation A —
a supplier's manager, and a public entity's — gets 403, 404 or 405 for GET and POST, and
nothing of B changes), or as a page without an object (then B's names and numbers never
show in it), or as an API service (then A's connection gets a refusal naming no data of
B), or as deliberately public or outside the organisations (with the reason). A new URL
without an entry fails :func:`test_every_url_has_a_tenancy_entry`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import JoinRequest, Membership, Structure
from chorus.accounts.tests.factories import make_user
from chorus.api.choices import Scope
from chorus.api.models import ApiConnection
from chorus.api.testing import CproCaller, cpro_caller
from chorus.core.actor import Actor
from invoices.choices import InvoiceStatus
from invoices.models import Flow, Invoice, InvoiceDraft
from invoices.tests.factories import login_member, make_invoice, make_structure
from public_entities.models import EntityService, PublicEntity
from suppliers.models import BankAccount
from support.models import (
    AssistantConversation,
    AssistantTurn,
    RequestCategory,
    SupportAttachment,
    SupportMessage,
    SupportRequest,
)
from support.services.requests import support_request_create

pytestmark = pytest.mark.django_db

MARKER = "Zéphyrine Organisation B"  # B's structure name: never shown to A
INVOICE_NUMBER = "B-SECRET-0042"


@dataclass
class World:
    """Organisation B's objects, one of each kind a URL can name."""

    supplier: Structure
    public: Structure
    service: EntityService
    member: Membership
    public_member: Membership
    join_request: JoinRequest
    bank_account: BankAccount
    connection: ApiConnection
    flow: Flow
    invoice: Invoice
    draft: InvoiceDraft
    request: SupportRequest
    attachment: SupportAttachment
    conversation: AssistantConversation
    turn: AssistantTurn


@pytest.fixture
def world() -> World:
    supplier = make_structure(name=MARKER)
    public = make_structure(public=True, name=f"{MARKER} (public)")
    PublicEntity.objects.create(structure=public)
    service = EntityService.objects.create(structure=public, code="SECRET-B", name="Service B")
    owner = make_user(email="owner@org-b.test")
    Membership.objects.create(
        user=owner, structure=supplier, role=Role.PRINCIPAL_MANAGER, areas=list(Area.values)
    )
    member = Membership.objects.create(
        user=make_user(email="member@org-b.test"), structure=supplier, areas=[]
    )
    public_member = Membership.objects.create(
        user=make_user(email="agent@org-b.test"), structure=public, areas=list(Area.values)
    )
    join_request = JoinRequest.objects.create(
        user=make_user(email="joiner@org-b.test"), structure=supplier
    )
    bank_account = BankAccount.objects.create(
        structure=supplier,
        label="Compte B",
        holder=MARKER,
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
    )
    connection = cpro_caller(supplier).credentials.connection
    invoice = make_invoice(supplier=supplier, service=service, number=INVOICE_NUMBER)
    draft = InvoiceDraft.objects.create(
        structure=supplier, created_by=owner, data={"number": INVOICE_NUMBER}
    )
    request = support_request_create(
        actor=Actor(user=owner),
        category_id=RequestCategory.objects.get(code="compte").pk,
        subject=f"Demande de {MARKER}",
        body="Confidentiel",
    )
    message = SupportMessage.objects.filter(
        request=request
    ).first() or SupportMessage.objects.create(request=request, author=owner, body="Confidentiel")
    attachment = SupportAttachment(message=message, original_name="b.pdf", size=4)
    attachment.file.save("b.pdf", ContentFile(b"%PDF"), save=True)
    conversation = AssistantConversation.objects.create(user=owner, language="fr")
    turn = AssistantTurn.objects.create(conversation=conversation, question="Où est B ?")
    return World(
        supplier=supplier,
        public=public,
        service=service,
        member=member,
        public_member=public_member,
        join_request=join_request,
        bank_account=bank_account,
        connection=connection,
        flow=invoice.flow,
        invoice=invoice,
        draft=draft,
        request=request,
        attachment=attachment,
        conversation=conversation,
        turn=turn,
    )


Kwargs = Callable[[World], dict[str, Any]]


def _structure(w: World) -> dict[str, Any]:
    return {"structure_public_id": w.supplier.public_id}


def _public(w: World) -> dict[str, Any]:
    return {"structure_public_id": w.public.public_id}


def _connection(w: World) -> dict[str, Any]:
    return {**_structure(w), "connection_public_id": w.connection.public_id}


def _flow(w: World) -> dict[str, Any]:
    return {"public_id": w.flow.public_id}


def _invoice(w: World) -> dict[str, Any]:
    return {"public_id": w.invoice.public_id}


def _draft(w: World) -> dict[str, Any]:
    return {"public_id": w.draft.public_id}


def _request(w: World) -> dict[str, Any]:
    return {"number": w.request.number}


def _sides(kwargs: Kwargs) -> list[Kwargs]:
    """The URL on both sides: ``emises`` and ``recues``."""

    def on(side: str) -> Kwargs:
        return lambda w: {"side": side, **kwargs(w)}

    return [on("emises"), on("recues")]


# URLs that name one of B's objects: each builder gives the URL's kwargs.
OBJECT_URLS: dict[str, list[Kwargs]] = {
    "accounts:join_request_cancel": [lambda w: {"request_public_id": w.join_request.public_id}],
    "accounts:structure_detail": [_structure, _public],
    "accounts:structure_edit": [_structure, _public],
    "accounts:structure_identifier": [_structure],
    "accounts:own_area_toggle": [_structure],
    "accounts:structure_second_factor": [_structure],
    "accounts:principal_transfer": [_structure],
    "accounts:member_edit": [lambda w: {**_structure(w), "member_public_id": w.member.public_id}],
    "accounts:member_remove": [lambda w: {**_structure(w), "member_public_id": w.member.public_id}],
    "accounts:join_request_decide": [
        lambda w: {**_structure(w), "request_public_id": w.join_request.public_id}
    ],
    "api_portal:connection_list": [_structure],
    "api_portal:connection_create": [_structure],
    "api_portal:call_list": [_structure],
    "api_portal:connection_detail": [_connection],
    "api_portal:connection_rotate": [_connection],
    "api_portal:technical_password_reset": [_connection],
    "api_portal:connection_scopes": [_connection],
    "api_portal:connection_renew": [_connection],
    "api_portal:connection_revoke": [_connection],
    "suppliers:bank_account_list": [_structure],
    "suppliers:bank_account_toggle": [
        lambda w: {**_structure(w), "account_public_id": w.bank_account.public_id}
    ],
    "public_entities:service_list": [_public],
    "public_entities:service_edit": [
        lambda w: {**_public(w), "service_public_id": w.service.public_id}
    ],
    "public_entities:parameters_edit": [_public],
    "public_entities:member_services": [
        lambda w: {**_public(w), "member_public_id": w.public_member.public_id}
    ],
    "invoices:flow_detail": [_flow],
    "invoices:flow_report": [_flow],
    "invoices:flow_original": [_flow],
    "invoices:invoice_act": [_invoice],
    "invoices:invoice_complete": [_invoice],
    "invoices:invoice_reroute": [_invoice],
    "invoices:invoice_detail": _sides(_invoice),
    "invoices:invoice_original": _sides(_invoice),
    "invoices:invoice_readable": _sides(_invoice),
    "invoices:entry_edit": [_draft],
    "invoices:entry_delete": [_draft],
    "invoices:entry_pdf": [_draft],
    "support:request_detail": [_request],
    "support:request_close": [_request],
    "support:attachment_download": [lambda w: {"pk": w.attachment.pk}],
    "support:assistant_feedback": [
        lambda w: {"conversation_id": w.conversation.pk, "turn_id": w.turn.pk}
    ],
    # Support agents' views: any organisation's documents, agents only (403 for members).
    "support:agent_request_detail": [_request],
    "support:agent_request_take": [_request],
    "support:agent_request_assign": [_request],
    "support:agent_request_status": [_request],
    "support:agent_request_priority": [_request],
    "support:agent_request_escalate": [_request],
    "support:hypervision_flow": [_flow],
    "support:hypervision_original": [_flow],
    "support:hypervision_report_csv": [_flow],
    "support:hypervision_report_json": [_flow],
    "support:hypervision_invoice": [_invoice],
    "support:substitution_detail": [lambda w: {"pk": 1}],
    "support:kb_edit": [lambda w: {"pk": 1}],
}

# Pages without an object in their URL: lists, forms and searches of one's own.
OWN_PAGES = {
    "dashboard",
    "profile",
    "second_factor_required",
    "second_factor_invite_dismiss",
    "accounts:structure_list",
    "accounts:onboarding",
    "accounts:structure_join",
    "accounts:structure_switch",
    "suppliers:structure_create",
    "invoices:deposit",
    "invoices:flow_list",
    "invoices:acknowledgements",
    "invoices:notifications",
    "invoices:acknowledge",
    "invoices:entry_drafts",
    "invoices:entry_new",
    "invoices:entry_new_pdf",
    "invoices:entry_totals",
    "invoices:entry_line",
    "invoices:entry_recipient",
    "invoices:entry_recipient_search",
    "support:help",
    "support:assistant",
    "support:request_list",
    "support:request_create",
    "support:my_substitutions",
    "support:queue",
    "support:manager_dashboard",
    "support:substitution_search",
    "support:substitution_start",
    "support:substitution_log",
    "support:substitution_act",
    "support:kb_list",
    "support:kb_create",
    "support:hypervision_search",
    "support:supervision",
}
OWN_LISTS = {
    "invoices:invoice_list": _sides(lambda w: {}),
    "invoices:invoice_export": _sides(lambda w: {}),
}

# API services with B's ids in their bodies (A's connection must get a refusal).
API_BODIES: dict[str, Callable[[World], dict[str, Any]]] = {
    "cpro-consulter-cr": lambda w: {"numeroFluxDepot": w.flow.number},
    "cpro-consulter-cr-detaille": lambda w: {"numeroFluxDepot": w.flow.number},
    "cpro-completer": lambda w: {"identifiantFactureCPP": w.invoice.pk},
    "cpro-recycler": lambda w: {
        "identifiantFactureCPP": w.invoice.pk,
        "destinataire": {"codeDestinataire": w.public.identifier},
    },
    "cpro-traiter-rejet": lambda w: {"listeDemandePaiement": [{"idDemandePaiement": w.invoice.pk}]},
    "cpro-consulter-fournisseur": lambda w: {"identifiantFactureCPP": w.invoice.pk},
    "cpro-consulter-recipiendaire": lambda w: {"identifiantFactureCPP": w.invoice.pk},
    "cpro-consulter-historique": lambda w: {"idFacture": w.invoice.pk},
    "cpro-traiter-recue": lambda w: {"idFacture": w.invoice.pk, "nouveauStatut": "SERVICE_FAIT"},
    "cpro-telecharger-groupe": lambda w: {"listeFacture": [{"idFacture": w.invoice.pk}]},
    "cpro-rechercher-fournisseur": lambda w: {"idFournisseur": w.supplier.pk},
    "cpro-rechercher-recipiendaire": lambda w: {"idDestinataire": w.public.pk},
    "cpro-structures-get": lambda w: {"idStructureCPP": w.supplier.pk},
    "cpro-structures-services-search": lambda w: {"idStructure": w.supplier.pk},
    "cpro-structures-service-get": lambda w: {"idStructure": w.supplier.pk, "idService": 1},
}

# Named URLs outside this test, with the reason.
ELSEWHERE = {
    # Public by design: the home, footer pages, directory of public structures, help articles.
    "home": "public page",
    "health": "operator health check, no data",
    "set_language": "language switch, no data",
    "legal_notice": "public page",
    "personal_data": "public page",
    "accessibility": "public page",
    "site_map": "public page",
    "public_entities:directory_search": "the public directory (reference §1)",
    "public_entities:directory_api": "the public directory (reference §1)",
    "public_entities:directory_api_detail": "the public directory (reference §1)",
    "public_entities:directory_detail": "the public directory (reference §1)",
    "support:article": "public help article",
    "api:token": "OAuth token endpoint: credentials only",
    "api:schema": "the API description",
    "api:docs": "the API description",
    "hijack:acquire": "agents only; support/tests/test_substitution.py",
    "hijack:release": "agents only; support/tests/test_substitution.py",
}
# Every allauth and admin URL acts on the signed-in user or needs staff (test_admin.py).
ELSEWHERE_PREFIXES = ("account_", "mfa_", "admin:", "socialaccount_")
# API services without another structure's id (referentials, deposits of one's own file).
API_OWN = {
    "cpro-health-check",
    "cpro-currencies",
    "cpro-countries",
    "cpro-vat-rates",
    "cpro-exemption-reasons",
    "cpro-payment-modes",
    "cpro-deposit-modes",
    "cpro-flow-formats",
    "cpro-billing-frameworks",
    "cpro-identifier-types",
    "cpro-invoice-statuses",
    "cpro-processing-statuses",
    "cpro-directory-download",
    "cpro-request-categories",
    "cpro-request-subcategories",
    "cpro-ajouter-fichier",
    "cpro-structures-search",
    "cpro-deposer-flux",
    "cpro-soumettre",
}


def _names(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_has_a_tenancy_entry() -> None:
    listed = (
        set(OBJECT_URLS) | OWN_PAGES | set(OWN_LISTS) | set(API_BODIES) | API_OWN | set(ELSEWHERE)
    )
    missing = sorted(
        name
        for name in set(_names())
        if name not in listed and not name.startswith(ELSEWHERE_PREFIXES)
    )
    assert missing == [], f"add these URLs to tests/test_tenancy.py: {missing}"
    stale = sorted(listed - set(_names()))
    assert stale == [], f"entries for URLs that no longer exist: {stale}"


@pytest.fixture
def members_of_a() -> list[Client]:
    """A supplier's principal manager and a public entity's, both of organisation A."""
    supplier_side, public_side = Client(), Client()
    login_member(supplier_side, make_structure(), *Area.values)
    public = make_structure(public=True)
    PublicEntity.objects.create(structure=public)
    login_member(public_side, public, *Area.values)
    return [supplier_side, public_side]


def snapshot(w: World) -> str:
    """Everything of B a request could change, as one comparable text."""
    rows: list[Any] = [
        model_to_dict(Structure.objects.get(pk=w.supplier.pk)),
        model_to_dict(Structure.objects.get(pk=w.public.pk)),
        list(Membership.objects.filter(structure__in=[w.supplier, w.public]).values()),
        list(JoinRequest.objects.filter(pk=w.join_request.pk).values()),
        list(BankAccount.objects.filter(structure=w.supplier).values()),
        list(ApiConnection.objects.filter(structure=w.supplier).values()),
        list(Invoice.objects.filter(supplier=w.supplier).values()),
        list(Flow.objects.filter(structure=w.supplier).values()),
        list(InvoiceDraft.objects.filter(structure=w.supplier).values()),
        list(EntityService.objects.filter(structure=w.public).values()),
        list(SupportRequest.objects.filter(pk=w.request.pk).values()),
        list(SupportMessage.objects.filter(request=w.request).values("pk", "body")),
        list(AssistantTurn.objects.filter(conversation=w.conversation).values()),
    ]
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


REFUSED = {403, 404, 405}


def _content(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_another_organisations_object_is_out_of_reach(
    name: str, world: World, members_of_a: list[Client]
) -> None:
    before = snapshot(world)
    for builder in OBJECT_URLS[name]:
        url = reverse(name, kwargs=builder(world))
        for client in members_of_a:
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code in REFUSED, (
                    f"{method.__name__.upper()} {url}: {response.status_code}"
                )
                assert MARKER.encode() not in _content(response)
                assert INVOICE_NUMBER.encode() not in _content(response)
    assert snapshot(world) == before, f"{name} changed organisation B's data"


@pytest.mark.parametrize("name", sorted(OWN_PAGES | set(OWN_LISTS)))
def test_own_pages_show_nothing_of_another_organisation(
    name: str, world: World, members_of_a: list[Client]
) -> None:
    before = snapshot(world)
    builders = OWN_LISTS.get(name) or [lambda w: {}]
    # Searches that would find B's documents, by parts of B's number and name (a page may
    # echo the query; it must never show B's full number or name).
    search = f"?q=SECRET-00&number=SECRET-00&text=Z%C3%A9phyrine&siret={world.supplier.identifier}"
    for builder in builders:
        url = reverse(name, kwargs=builder(world))
        for client in members_of_a:
            for query in ("", search):
                response = client.get(url + query)
                assert response.status_code < 500, f"GET {url}{query}: {response.status_code}"
                content = _content(response)
                assert MARKER.encode() not in content, f"GET {url}{query}"
                assert INVOICE_NUMBER.encode() not in content, f"GET {url}{query}"
            response = client.post(url)
            assert response.status_code < 500, f"POST {url}: {response.status_code}"
    assert snapshot(world) == before, f"{name} changed organisation B's data"


@pytest.fixture
def connections_of_a() -> list[CproCaller]:
    supplier = make_structure()
    public = make_structure(public=True)
    PublicEntity.objects.create(structure=public)
    return [cpro_caller(supplier), cpro_caller(public)]


@pytest.mark.parametrize("name", sorted(API_BODIES))
def test_another_organisations_documents_are_out_of_reach_through_the_api(
    name: str, world: World, connections_of_a: list[CproCaller]
) -> None:
    before = snapshot(world)
    for caller in connections_of_a:
        response = caller.post(reverse(name), API_BODIES[name](world))
        body = response.json()
        assert response.status_code in (200, 400, 403), response.status_code
        found = body.get("listeFactures")
        if found is not None:  # a search answers, with nothing of B's
            assert found == [], name
        else:
            assert body["codeRetour"] != 0, f"{name} answered {body}"
        assert INVOICE_NUMBER not in json.dumps(body)
        assert base64.b64encode(INVOICE_NUMBER.encode()).decode() not in json.dumps(body)
    assert snapshot(world) == before, f"{name} changed organisation B's data"


def test_the_invoice_is_still_where_it_was(world: World) -> None:
    """The fixture itself: B's invoice is made available (so that acting on it would show)."""
    assert world.invoice.status == InvoiceStatus.MADE_AVAILABLE
    assert Scope.PROCESS in world.connection.scopes
