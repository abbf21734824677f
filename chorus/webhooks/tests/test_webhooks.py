"""Webhooks: endpoint addresses, deliveries per side, signature, retries, give-up, disabling."""

from __future__ import annotations

import datetime
import json
import socket
import time
from typing import Any

import pytest
import requests
import time_machine
from django.core import mail
from django.utils import timezone

from chorus.accounts.choices import Role as MemberRole
from chorus.accounts.models import Membership
from chorus.accounts.tests.factories import make_user
from chorus.circuits.roles import Role
from chorus.core.actor import Actor, system_actor
from chorus.core.exceptions import DomainError
from chorus.outbox.models import OutboxMessage
from chorus.webhooks import services
from chorus.webhooks.models import WebhookDelivery, WebhookEndpoint
from chorus.webhooks.services import (
    EVENT_HEADER,
    SIGNATURE_HEADER,
    endpoint_url_check,
    sign,
    signature_valid,
    webhook_deliver,
    webhook_delivery_replay,
    webhook_endpoint_create,
)
from invoices.choices import InvoiceStatus
from invoices.lifecycle import invoice_transition
from invoices.tests.factories import make_invoice, make_recipient, make_structure

pytestmark = pytest.mark.django_db
S = InvoiceStatus


@pytest.fixture
def public_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    def resolve(host: str, *args: Any, **kwargs: Any) -> list[Any]:
        address = {"erp.example.com": "93.184.216.34", "intranet.example.com": "10.0.0.7"}
        if host not in address:
            raise socket.gaierror("unknown")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address[host], 443))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def _endpoint(structure: Any) -> WebhookEndpoint:
    endpoint, _secret = webhook_endpoint_create(
        actor=system_actor("test"), structure=structure, url="https://erp.example.com/hook"
    )
    return endpoint


class FakeResponse:
    def __init__(self, status: int) -> None:
        self.status_code = status
        self.ok = 200 <= status < 400
        self.reason = "Server Error" if status >= 500 else "OK"


def test_only_public_https_addresses_are_accepted(public_dns: None, settings: Any) -> None:
    settings.DEBUG = False
    assert endpoint_url_check("https://erp.example.com/hook") == "https://erp.example.com/hook"
    for url, code in (
        ("http://erp.example.com/hook", "URL_SCHEME"),
        ("https://intranet.example.com/hook", "URL_NOT_PUBLIC"),
        ("https://127.0.0.1/hook", "URL_NOT_PUBLIC"),
        ("https://unknown.example.com/hook", "URL_NOT_PUBLIC"),
        ("https://user:pw@erp.example.com/hook", "URL_CREDENTIALS"),
    ):
        with pytest.raises(DomainError) as refused:
            endpoint_url_check(url)
        assert refused.value.code == code, url
    settings.DEBUG = True
    assert endpoint_url_check("http://127.0.0.1:9000/hook")


def test_a_signature_verifies_and_a_changed_body_or_old_one_does_not() -> None:
    body = b'{"statut": "MISE_A_DISPOSITION"}'
    header = sign("whsec_x", int(time.time()), body)
    assert signature_valid("whsec_x", header, body)
    assert not signature_valid("whsec_x", header, body.replace(b"MISE", b"MIZE"))
    assert not signature_valid("whsec_y", header, body)
    assert not signature_valid("whsec_x", sign("whsec_x", int(time.time()) - 3600, body), body)
    assert not signature_valid("whsec_x", "garbage", body)


def test_each_side_gets_the_change_as_it_sees_it_and_nobody_else(public_dns: None) -> None:
    entity, service = make_recipient(manages_payment_status=False)
    supplier = make_structure()
    stranger = make_structure()
    for structure in (supplier, entity.structure, stranger):
        _endpoint(structure)
    invoice = make_invoice(supplier=supplier, service=service, status=S.ACCOUNTED)
    invoice_transition(
        invoice_id=invoice.pk, to=S.PAYMENT_SENT, actor=system_actor("test"), role=Role.RECIPIENT
    )
    deliveries = {d.endpoint.structure_id: d for d in WebhookDelivery.objects.all()}
    assert set(deliveries) == {supplier.pk, entity.structure_id}
    assert deliveries[entity.structure_id].payload["statut"] == "MISE_EN_PAIEMENT"
    assert deliveries[entity.structure_id].payload["codeReforme"] == "211"
    told_supplier = deliveries[supplier.pk].payload
    assert told_supplier["statut"] == "COMPTABILISEE"  # the recipient hides the payment step
    assert told_supplier["identifiantFactureCPP"] == invoice.pk
    assert told_supplier["role"] == "FOURNISSEUR"
    queued = OutboxMessage.objects.filter(task_name=services.DELIVER_TASK)
    assert sorted(m.args[0] for m in queued) == sorted(d.pk for d in deliveries.values())


def test_a_delivery_is_signed_and_marked_delivered(
    public_dns: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    supplier = make_structure()
    endpoint = _endpoint(supplier)
    invoice = make_invoice(supplier=supplier)
    invoice_transition(
        invoice_id=invoice.pk,
        to=S.TAKEN_INTO_ACCOUNT,
        actor=system_actor("test"),
        role=Role.RECIPIENT,
    )
    delivery = WebhookDelivery.objects.get()
    sent: dict[str, Any] = {}

    def post(url: str, *, data: bytes, headers: dict[str, str], **kwargs: Any) -> FakeResponse:
        sent.update(url=url, data=data, headers=headers)
        return FakeResponse(204)

    monkeypatch.setattr(requests, "post", post)
    assert webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None
    assert delivery.last_status_code == 204
    assert sent["url"] == endpoint.url
    assert sent["headers"][EVENT_HEADER] == delivery.event_id
    assert signature_valid(endpoint.secret, sent["headers"][SIGNATURE_HEADER], sent["data"])
    assert json.loads(sent["data"])["statut"] == "PRISE_EN_COMPTE_DESTINATAIRE"
    assert not webhook_deliver(delivery_id=delivery.pk)  # delivered once, never twice


def test_failures_back_off_then_give_up_and_disable_the_endpoint_with_an_e_mail(
    public_dns: None, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = make_structure()
    manager = make_user(email="gestion@fournisseur.test")
    Membership.objects.create(user=manager, structure=supplier, role=MemberRole.PRINCIPAL_MANAGER)
    endpoint = _endpoint(supplier)
    invoice = make_invoice(supplier=supplier)
    invoice_transition(
        invoice_id=invoice.pk, to=S.SERVICE_DONE, actor=system_actor("test"), role=Role.RECIPIENT
    )
    delivery = WebhookDelivery.objects.get()
    monkeypatch.setattr(requests, "post", lambda *a, **k: FakeResponse(503))

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert not webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    assert delivery.next_attempt_at == start + datetime.timedelta(minutes=1)
    with time_machine.travel(start + datetime.timedelta(minutes=1), tick=False):
        webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + datetime.timedelta(minutes=3)  # then 2 min

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise requests.ConnectionError("refused")

    monkeypatch.setattr(requests, "post", fail)
    with (
        time_machine.travel(start + datetime.timedelta(hours=24, minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.gave_up_at is not None
    assert "ConnectionError" in delivery.last_error
    assert not endpoint.is_active
    assert endpoint.disabled_reason
    assert any(manager.email in m.to and endpoint.url in m.body for m in mail.outbox)


def test_a_delivery_can_be_replayed_by_hand(
    public_dns: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    supplier = make_structure()
    _endpoint(supplier)
    invoice = make_invoice(supplier=supplier)
    invoice_transition(
        invoice_id=invoice.pk, to=S.SERVICE_DONE, actor=Actor(user=None), role=Role.RECIPIENT
    )
    delivery = WebhookDelivery.objects.get()
    monkeypatch.setattr(requests, "post", lambda *a, **k: FakeResponse(200))
    webhook_deliver(delivery_id=delivery.pk)
    before = OutboxMessage.objects.count()
    replayed = webhook_delivery_replay(delivery=delivery)
    assert replayed.delivered_at is None
    assert OutboxMessage.objects.count() == before + 1
    assert webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 2
