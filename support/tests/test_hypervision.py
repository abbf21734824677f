"""Hypervision: trace of a really deposited invoice, search by every key, access log (H6),
supervision figures, and the agent-only rule on every new page."""

from __future__ import annotations

import datetime
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership, Structure, User
from chorus.accounts.tests.factories import enrol_second_factor, make_user
from chorus.circuits.roles import Role as CircuitRole
from chorus.circuits.triggers import status_guard_ignored
from chorus.core.actor import Actor
from invoices.choices import DepositMode, FlowStatus, InvoiceStatus
from invoices.circuit import FLOW
from invoices.lifecycle import invoice_transition
from invoices.models import Flow, Invoice, Notification
from invoices.services.deposit import flow_receive
from invoices.services.notifications import invoice_event_notify
from invoices.services.processing import flow_process
from invoices.tests.documents import BUYER_SIRET, SELLER_SIRET, SERVICE_CODE, ubl_invoice
from invoices.tests.factories import make_flow, make_invoice, make_structure
from public_entities.models import EntityService, PublicEntity
from support.choices import HypervisionAction, HypervisionObject
from support.hypervision import (
    failures_by_rule,
    flows_per_hour,
    hypervision_search,
    parse_query,
    queue_depth,
    stuck_items,
)
from support.models import HypervisionAccess, RequestCategory
from support.services.requests import support_request_create
from support.tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@dataclass
class World:
    supplier: Structure
    recipient: Structure
    depositor: User
    supplier_member: User
    recipient_member: User
    flow: Flow
    invoice: Invoice


@pytest.fixture
def world(agent: User) -> World:
    """A real deposit (flow_receive + flow_process), then the recipient's actions."""
    supplier = make_structure(identifier=SELLER_SIRET, vat_number="FR44732829320")
    recipient = make_structure(public=True, identifier=BUYER_SIRET, name="Ministère Exemple")
    PublicEntity.objects.create(structure=recipient)
    EntityService.objects.create(structure=recipient, code=SERVICE_CODE, name="Finances")
    depositor = make_user(email="depose@fournisseur.test")
    supplier_member = make_user(email="suivi@fournisseur.test")
    Membership.objects.create(
        user=depositor, structure=supplier, role=Role.USER, areas=[Area.INVOICES_ISSUED]
    )
    Membership.objects.create(
        user=supplier_member, structure=supplier, role=Role.USER, areas=[Area.INVOICES_ISSUED]
    )
    recipient_member = enrol_second_factor(make_user(email="gestionnaire@ministere.test"))
    Membership.objects.create(
        user=recipient_member,
        structure=recipient,
        role=Role.USER,
        areas=[Area.INVOICES_RECEIVED],
    )

    flow = flow_receive(
        actor=Actor(user=depositor),
        structure=supplier,
        mode=DepositMode.PORTAL_UPLOAD,
        name="facture-F-2025-0001.xml",
        content=ubl_invoice(),
    )
    processed = flow_process(flow_id=flow.pk)
    assert processed is not None
    assert processed.status == FlowStatus.INTEGRATED
    invoice = Invoice.objects.get(flow=flow)

    taken = invoice_transition(
        invoice_id=invoice.pk,
        to=InvoiceStatus.TAKEN_INTO_ACCOUNT,
        actor=Actor(user=recipient_member),
        role=CircuitRole.RECIPIENT,
    )
    # A support agent acting on behalf of the recipient's member suspends it.
    suspended = invoice_transition(
        invoice_id=invoice.pk,
        to=InvoiceStatus.SUSPENDED,
        actor=Actor(user=agent, on_behalf_of=recipient_member),
        role=CircuitRole.RECIPIENT,
        reason_code="JUSTIF_ABS",
        comment="Il manque le bon de livraison",
    )
    for result in (taken, suspended):
        invoice_event_notify(event_id=result.event.pk)
    return World(
        supplier=supplier,
        recipient=recipient,
        depositor=depositor,
        supplier_member=supplier_member,
        recipient_member=recipient_member,
        flow=Flow.objects.get(pk=flow.pk),
        invoice=Invoice.objects.get(pk=invoice.pk),
    )


# --- Trace --------------------------------------------------------------------------------------


def test_trace_of_a_deposited_invoice_shows_every_step(
    world: World, agent: User, django_assert_max_num_queries
):
    client = logged_in(agent)
    url = reverse("support:hypervision_invoice", args=[world.invoice.public_id])

    with django_assert_max_num_queries(20):
        response = client.get(url, {"reason": "appel du fournisseur"})

    assert response.status_code == 200
    html = response.content.decode()
    flow = world.flow
    # Deposit facts.
    for fact in (
        flow.number,
        flow.original_name,
        flow.sha256,
        str(flow.size),
        DepositMode.PORTAL_UPLOAD.value,
        world.depositor.email,
        world.supplier.identifier,
    ):
        assert fact in html, fact
    assert flow.started_at is not None
    assert flow.finished_at is not None
    assert 'id="attempts">1<' in html
    assert "1\xa0200,00\xa0€" in html  # the amount due, in French format
    # Processing timings: the three dates and a duration each.
    assert timezone.localtime(flow.received_at).strftime("%H:%M") in html
    for step in ("started", "finished"):
        assert re.search(rf'id="{step}">[^<]+\([^)]*\d+ (ms|s)\b', html), step
    # Integration report.
    assert "IN_INTEGRE" in html
    assert 'id="report-summary"' in html
    assert 'id="documents"' in html
    # Routing.
    assert world.recipient.identifier in html
    assert SERVICE_CODE in html
    # Every status change with its actor.
    events = list(world.invoice.events.order_by("created_at", "pk"))
    assert [e.to_status for e in events] == [
        InvoiceStatus.ROUTING,
        InvoiceStatus.MADE_AVAILABLE,
        InvoiceStatus.TAKEN_INTO_ACCOUNT,
        InvoiceStatus.SUSPENDED,
    ]
    assert html.count('class="timeline-event"') == 4
    for event in events:
        assert f"{event.from_status} → {event.to_status}" in html
    assert "routing" in html  # the platform's system reason
    assert world.recipient_member.email in html
    assert agent.email in html
    assert "JUSTIF_ABS" in html
    assert "Il manque le bon de livraison" in html
    # Notifications sent.
    notifications = Notification.objects.filter(invoice=world.invoice)
    assert notifications.count() >= 2
    assert html.count('class="notification"') == notifications.count()
    assert world.supplier_member.email in html
    # Downloads and the access log ("who looked at this").
    for name in ("hypervision_original", "hypervision_report_csv", "hypervision_report_json"):
        assert reverse(f"support:{name}", args=[flow.public_id]) in html
    assert 'id="access-log"' in html
    assert "appel du fournisseur" in html


def test_trace_of_a_rejected_deposit_lists_the_findings(world: World, agent: User):
    flow = flow_receive(
        actor=Actor(user=world.depositor),
        structure=world.supplier,
        mode=DepositMode.PORTAL_UPLOAD,
        name="autre.xml",
        content=ubl_invoice(number="F-2025-0002", service_code="INCONNU"),
    )
    flow_process(flow_id=flow.pk)

    html = (
        logged_in(agent)
        .get(reverse("support:hypervision_flow", args=[flow.public_id]))
        .content.decode()
    )

    assert "IN_REJETE" in html
    assert "CHORUS-SERVICE_NOT_FOUND" in html


def test_trace_query_count_does_not_grow_with_invoices(agent: User, django_assert_max_num_queries):
    invoice = make_invoice()
    for position in range(1, 6):
        make_invoice(supplier=invoice.supplier, flow=invoice.flow, position=position)
    client = logged_in(agent)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("support:hypervision_flow", args=[invoice.flow.public_id]))
    assert response.status_code == 200
    assert response.content.decode().count('class="timeline') == 6


def test_downloads_serve_the_original_and_the_report(world: World, agent: User):
    client = logged_in(agent)
    flow = world.flow

    original = client.get(reverse("support:hypervision_original", args=[flow.public_id]))
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == ubl_invoice()

    csv = client.get(reverse("support:hypervision_report_csv", args=[flow.public_id]))
    assert csv.status_code == 200
    assert "F-2025-0001" in b"".join(csv.streaming_content).decode()

    report = client.get(reverse("support:hypervision_report_json", args=[flow.public_id]))
    assert report.status_code == 200
    assert json.loads(report.content)["status"] == FlowStatus.INTEGRATED


def test_unknown_identifiers_are_404(agent: User):
    client = logged_in(agent)
    for name in ("hypervision_flow", "hypervision_invoice", "hypervision_original"):
        assert client.get(reverse(f"support:{name}", args=[uuid.uuid4()])).status_code == 404
    assert not HypervisionAccess.objects.exists()


# --- Search -------------------------------------------------------------------------------------


def _search(client: Client, query: str) -> str:
    response = client.get(reverse("support:hypervision_search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_search_by_every_key_finds_the_invoice(world: World, agent: User):
    client = logged_in(agent)
    day = timezone.localdate(world.flow.received_at)
    invoice_link = reverse("support:hypervision_invoice", args=[world.invoice.public_id])
    flow_link = reverse("support:hypervision_flow", args=[world.flow.public_id])
    for query, flow_expected in [
        (world.flow.number, True),
        (world.flow.number.lower(), True),
        (str(world.flow.public_id), True),
        (str(world.invoice.public_id), False),
        (world.invoice.number, False),
        (SELLER_SIRET, True),
        (BUYER_SIRET, False),
        ("732 829 320 00074", True),
        (SELLER_SIRET[:9], True),
        ("732 829 320", True),
        (BUYER_SIRET[:9], False),
        (day.strftime("%d/%m/%Y"), True),
        (day.isoformat(), True),
    ]:
        html = _search(client, query)
        assert invoice_link in html, query
        assert (flow_link in html) is flow_expected, query


def test_search_by_support_request_number_any_case_finds_its_structures_traffic(
    world: World, agent: User, supplier: User
):
    request = support_request_create(
        actor=Actor(user=supplier),
        category_id=RequestCategory.objects.get(code="compte").pk,
        subject="Facture rejetée",
        body="Pourquoi ?",
        structure_id=world.flow.structure_id,
    )
    client = logged_in(agent)
    flow_link = reverse("support:hypervision_flow", args=[world.flow.public_id])
    for query in (request.number, request.number.lower()):
        assert flow_link in _search(client, query), query


def test_search_misses_and_shapes(world: World, agent: User):
    client = logged_in(agent)
    other_day = timezone.localdate(world.flow.received_at) - datetime.timedelta(days=3)
    for query in ("CHO0000000000000009999", "F-NOPE", "11111111111111", other_day.isoformat()):
        html = _search(client, query)
        assert str(world.invoice.public_id) not in html, query
    assert parse_query("") is None
    assert parse_query("x" * 21) is None
    assert parse_query("31/02/2025").kind == "invoice_number"


def test_search_results_are_paginated(agent: User):
    supplier = make_structure()
    for _ in range(25):
        make_flow(structure=supplier)
    client = logged_in(agent)
    html = _search(client, supplier.identifier)
    assert html.count("/support/agents/hypervision/depots/") == 20
    assert "fpage=2" in html
    response = client.get(
        reverse("support:hypervision_search"), {"q": supplier.identifier, "fpage": "2"}
    )
    assert response.content.decode().count("/support/agents/hypervision/depots/") == 5


def _plan(queryset: QuerySet[Any]) -> str:
    return queryset.explain()


@pytest.mark.parametrize("kind", ["flow_number", "flow_uuid", "invoice_uuid", "siret", "date"])
def test_search_lookups_use_indexes(world: World, kind: str):
    queries = {
        "flow_number": world.flow.number,
        "flow_uuid": str(world.flow.public_id),
        "invoice_uuid": str(world.invoice.public_id),
        "siret": SELLER_SIRET,
        "date": timezone.localdate(world.flow.received_at).isoformat(),
    }
    key = parse_query(queries[kind])
    assert key is not None
    with transaction.atomic(), connection.cursor() as cursor:
        # With sequential scans priced out, any remaining one means "no usable index".
        cursor.execute("SET LOCAL enable_seqscan = off")
        flows, invoices = hypervision_search(key)
        plans = _plan(flows) + _plan(invoices)
        plans += _plan(Structure.objects.filter(identifier=SELLER_SIRET))
    assert "Seq Scan on invoices_flow" not in plans
    assert "Seq Scan on invoices_invoice" not in plans
    assert "Seq Scan on accounts_structure" not in plans


def test_invoice_number_lookup_has_an_index():
    """The unique index (supplier, number, fiscal_year) only serves a number *with* a supplier;
    the planner can still walk all of it for a number alone, which is not a lookup."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 1 FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
            WHERE c.relname = 'invoices_invoice' AND a.attname = 'number'
            """
        )
        assert cursor.fetchone() is not None


def test_search_page_query_count(world: World, agent: User, django_assert_max_num_queries):
    client = logged_in(agent)
    with django_assert_max_num_queries(15):
        _search(client, SELLER_SIRET)


# --- Access log (H6) ----------------------------------------------------------------------------


def test_every_access_is_logged_once(world: World, agent: User, manager: User):
    client = logged_in(agent)
    flow = world.flow
    views = [
        ("support:hypervision_flow", flow.public_id),
        ("support:hypervision_flow", flow.public_id),
        ("support:hypervision_invoice", world.invoice.public_id),
        ("support:hypervision_original", flow.public_id),
        ("support:hypervision_report_csv", flow.public_id),
        ("support:hypervision_report_json", flow.public_id),
    ]
    for name, public_id in views:
        response = client.get(reverse(name, args=[public_id]), {"reason": "SOL-2099-000001"})
        assert response.status_code == 200
    _search(client, world.invoice.number)
    logged_in(manager).get(reverse("support:hypervision_flow", args=[flow.public_id]))
    # Pages that read nothing about a document are not accesses.
    client.get(reverse("support:hypervision_search"))
    client.get(reverse("support:supervision"))

    assert HypervisionAccess.objects.count() == len(views) + 2
    assert HypervisionAccess.objects.filter(agent=agent).count() == len(views) + 1
    actions = list(
        HypervisionAccess.objects.filter(agent=agent)
        .order_by("pk")
        .values_list("action", "object_type", "object_ref")
    )
    assert actions == [
        (HypervisionAction.TRACE, HypervisionObject.FLOW, flow.number),
        (HypervisionAction.TRACE, HypervisionObject.FLOW, flow.number),
        (HypervisionAction.TRACE, HypervisionObject.INVOICE, world.invoice.number),
        (HypervisionAction.ORIGINAL, HypervisionObject.FLOW, flow.number),
        (HypervisionAction.REPORT_CSV, HypervisionObject.FLOW, flow.number),
        (HypervisionAction.REPORT_JSON, HypervisionObject.FLOW, flow.number),
        (HypervisionAction.SEARCH, HypervisionObject.NONE, world.invoice.number),
    ]
    invoice_access = HypervisionAccess.objects.get(object_type=HypervisionObject.INVOICE)
    assert invoice_access.flow_id == flow.pk
    assert invoice_access.invoice_id == world.invoice.pk
    assert invoice_access.reason == "SOL-2099-000001"


def test_reason_with_a_request_number_links_the_request(
    world: World, agent: User, supplier: User, category: RequestCategory
):
    support_request = support_request_create(
        actor=Actor(user=supplier),
        category_id=category.pk,
        subject="Ma facture est suspendue",
        body="Pourquoi ?",
    )
    logged_in(agent).get(
        reverse("support:hypervision_flow", args=[world.flow.public_id]),
        {"reason": f"voir {support_request.number}"},
    )
    assert HypervisionAccess.objects.get().support_request == support_request


def test_access_log_refuses_update_and_delete(world: World, agent: User):
    logged_in(agent).get(reverse("support:hypervision_flow", args=[world.flow.public_id]))
    access = HypervisionAccess.objects.get()
    for statement in (
        "UPDATE support_hypervisionaccess SET reason = 'autre' WHERE id = %s",
        "UPDATE support_hypervisionaccess SET agent_id = agent_id WHERE id = %s",
        "DELETE FROM support_hypervisionaccess WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [access.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        HypervisionAccess.objects.filter(pk=access.pk).delete()
    assert HypervisionAccess.objects.count() == 1


# --- Link from a request ------------------------------------------------------------------------


def test_request_about_a_document_links_to_its_trace(
    world: World, agent: User, category: RequestCategory
):
    support_request = support_request_create(
        actor=Actor(user=world.depositor),
        category_id=category.pk,
        subject="Facture suspendue",
        body="Que faire ?",
        structure_id=world.supplier.pk,
        document_reference=world.invoice.number,
    )
    html = (
        logged_in(agent)
        .get(reverse("support:agent_request_detail", args=[support_request.number]))
        .content.decode()
    )
    expected = reverse("support:hypervision_invoice", args=[world.invoice.public_id])
    assert f'id="document-trace" href="{expected}?reason={support_request.number}"' in html


def test_request_about_a_deposit_number_links_to_the_flow(
    world: World, agent: User, category: RequestCategory
):
    support_request = support_request_create(
        actor=Actor(user=world.depositor),
        category_id=category.pk,
        subject="Dépôt",
        body="?",
        document_reference=world.flow.number,
    )
    html = (
        logged_in(agent)
        .get(reverse("support:agent_request_detail", args=[support_request.number]))
        .content.decode()
    )
    assert reverse("support:hypervision_flow", args=[world.flow.public_id]) in html


# --- Supervision --------------------------------------------------------------------------------


def _report(
    documents: list[dict[str, object]], findings: list[dict[str, object]]
) -> dict[str, Any]:
    return {"findings": findings, "documents": documents, "summary": {}}


def _f(rule_id: str, severity: str = "fatal") -> dict[str, object]:
    return {"rule_id": rule_id, "severity": severity, "message": {"text": ""}}


def _seeded_flow(
    supplier: Structure,
    *,
    ago: datetime.timedelta,
    status: FlowStatus,
    report: dict[str, Any] | None = None,
) -> Flow:
    flow = make_flow(structure=supplier)
    with status_guard_ignored(FLOW):
        Flow.objects.filter(pk=flow.pk).update(
            received_at=timezone.now() - ago, status=status, report=report or {}
        )
    return flow


@pytest.fixture
def seeded() -> Structure:
    supplier = make_structure()
    hour = datetime.timedelta(hours=1)
    minute = datetime.timedelta(minutes=1)
    rejected = _report(
        [
            {"name": "a.xml", "result": "rejected", "findings": [_f("BR-01"), _f("BR-FR-05")]},
            {"name": "b.xml", "result": "rejected", "findings": [_f("BR-01"), _f("W", "warning")]},
            {"name": "c.xml", "result": "accepted", "findings": [_f("BR-IGNORED")]},
        ],
        [],
    )
    _seeded_flow(supplier, ago=2 * minute, status=FlowStatus.INTEGRATED)
    _seeded_flow(supplier, ago=3 * minute, status=FlowStatus.REJECTED, report=rejected)
    _seeded_flow(
        supplier,
        ago=5 * hour,
        status=FlowStatus.REJECTED,
        report=_report([], [_f("CHORUS-DUPLICATE-FILE")]),
    )
    # Older than a day, within the week.
    _seeded_flow(
        supplier, ago=72 * hour, status=FlowStatus.REJECTED, report=_report([], [_f("BR-01")])
    )
    # Outside the week.
    _seeded_flow(
        supplier, ago=200 * hour, status=FlowStatus.REJECTED, report=_report([], [_f("BR-01")])
    )
    # A report that is not what we expect must not break the page.
    _seeded_flow(supplier, ago=4 * minute, status=FlowStatus.INCIDENT, report={"findings": "x"})
    # Stuck: received 20 minutes ago, still received / being processed; and a fresh one.
    _seeded_flow(supplier, ago=20 * minute, status=FlowStatus.RECEIVED)
    _seeded_flow(supplier, ago=40 * minute, status=FlowStatus.PROCESSING)
    _seeded_flow(supplier, ago=1 * minute, status=FlowStatus.RECEIVED)
    make_invoice(status=InvoiceStatus.DEPOSITED, status_changed_at=timezone.now() - 30 * minute)
    make_invoice(status=InvoiceStatus.ROUTING, status_changed_at=timezone.now() - 16 * minute)
    make_invoice(status=InvoiceStatus.ROUTING, status_changed_at=timezone.now() - 2 * minute)
    make_invoice(status=InvoiceStatus.MADE_AVAILABLE, status_changed_at=timezone.now() - 9 * hour)
    return supplier


def test_flows_per_hour(seeded: Structure):
    rows = flows_per_hour(now=timezone.now())
    assert len(rows) == 24
    # 7 seeded in the last day, plus the flow of each make_invoice (4, received "now").
    assert sum(r.total for r in rows) == 7 + 4
    assert rows[-1].total + rows[-2].total >= 10  # the recent ones, whatever the minute
    assert sum(r.rejected for r in rows) == 3
    assert sum(r.integrated for r in rows) == 1


def test_failures_by_rule(seeded: Structure):
    now = timezone.now()
    day = {
        r.rule_id: (r.findings, r.flows)
        for r in failures_by_rule(since=now - datetime.timedelta(days=1), until=now)
    }
    assert day == {"BR-01": (2, 1), "BR-FR-05": (1, 1), "CHORUS-DUPLICATE-FILE": (1, 1)}
    week = {
        r.rule_id: (r.findings, r.flows)
        for r in failures_by_rule(since=now - datetime.timedelta(days=7), until=now)
    }
    assert week["BR-01"] == (3, 2)


def test_stuck_items(seeded: Structure):
    stuck = stuck_items(now=timezone.now(), minutes=15)
    assert stuck.flow_count == 2
    assert {f.status for f in stuck.flows} == {FlowStatus.RECEIVED, FlowStatus.PROCESSING}
    assert stuck.invoice_count == 2
    with override_settings(CHORUS_STUCK_MINUTES=35):
        assert stuck_items(now=timezone.now()).flow_count == 1


def test_supervision_page(seeded: Structure, agent: User, django_assert_max_num_queries):
    queue = f"hypervision-test-{uuid.uuid4().hex}"
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.rpush(queue, "a", "b", "c")
    broker.rpush(f"{queue}\x06\x166", "d")
    client = logged_in(agent)
    try:
        with override_settings(CELERY_TASK_DEFAULT_QUEUE=queue):
            assert queue_depth() == 4
            with django_assert_max_num_queries(12):
                response = client.get(reverse("support:supervision"))
    finally:
        broker.delete(queue, f"{queue}\x06\x166")
        broker.close()
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="queue-depth">4 ' in html
    assert 'data-rule="BR-01"><td><code>BR-01</code></td><td class="findings">2<' in html
    assert 'data-rule="CHORUS-DUPLICATE-FILE"' in html
    assert "BR-IGNORED" not in html
    assert html.count("<progress ") == 24
    assert 'id="stuck-counts">2 ' in html


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_supervision_page_survives_redis_down(agent: User):
    assert queue_depth() is None
    response = logged_in(agent).get(reverse("support:supervision"))
    assert response.status_code == 200
    assert 'id="queue-depth"><span class="fr-badge fr-badge--warning">' in response.content.decode()


# --- Who may see it -----------------------------------------------------------------------------


def _new_urls(world: World) -> list[str]:
    flow_id = world.flow.public_id
    return [
        reverse("support:hypervision_search"),
        reverse("support:hypervision_search") + f"?q={world.invoice.number}",
        reverse("support:hypervision_flow", args=[flow_id]),
        reverse("support:hypervision_invoice", args=[world.invoice.public_id]),
        reverse("support:hypervision_original", args=[flow_id]),
        reverse("support:hypervision_report_csv", args=[flow_id]),
        reverse("support:hypervision_report_json", args=[flow_id]),
        reverse("support:supervision"),
    ]


def test_non_agents_get_404_on_every_hypervision_page(world: World, admin: User):
    ordinary = make_user(email="personne@exemple.test")
    for user in (ordinary, world.depositor, world.supplier_member, world.recipient_member, admin):
        client = logged_in(user)
        for url in _new_urls(world):
            assert client.get(url).status_code == 404, (user.email, url)
    assert not HypervisionAccess.objects.exists()


def test_anonymous_visitors_are_sent_to_login(world: World):
    client = Client()
    for url in _new_urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/compte/login/" in response["Location"], url
    assert not HypervisionAccess.objects.exists()


def test_pages_are_read_only(world: World, agent: User):
    client = logged_in(agent)
    for url in _new_urls(world):
        assert client.post(url).status_code == 405, url
    assert not HypervisionAccess.objects.exists()


def test_agents_reach_every_hypervision_page(world: World, agent: User):
    client = logged_in(agent)
    for url in _new_urls(world):
        assert client.get(url).status_code == 200, url
    menu = client.get(reverse("support:queue")).content.decode()
    assert reverse("support:hypervision_search") in menu
    assert reverse("support:supervision") in menu
