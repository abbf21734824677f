"""Invoice pages: wiring, scope (404 across organisations), actions and exports."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chorus.accounts.choices import Area
from chorus.accounts.tests.factories import make_user
from chorus.circuits.roles import Role as CircuitRole
from chorus.circuits.triggers import status_guard_ignored
from chorus.core.actor import Actor
from chorus.testing.files import tiny_pdf
from invoices.choices import FlowStatus, InvoiceStatus
from invoices.circuit import FLOW
from invoices.lifecycle import invoice_transition
from invoices.models import Flow, Invoice
from invoices.tests.documents import BUYER_SIRET, SELLER_SIRET, SERVICE_CODE, ubl_invoice
from invoices.tests.factories import (
    login_member,
    make_flow,
    make_invoice,
    make_recipient,
    make_structure,
)
from public_entities.models import EntityService, PublicEntity

pytestmark = pytest.mark.django_db


_login = login_member


@pytest.fixture
def world():
    supplier = make_structure(identifier=SELLER_SIRET)
    recipient_structure = make_structure(public=True, identifier=BUYER_SIRET)
    PublicEntity.objects.create(structure=recipient_structure)
    service = EntityService.objects.create(
        structure=recipient_structure, code=SERVICE_CODE, name="Finances"
    )
    invoice = make_invoice(supplier=supplier, service=service)
    other_supplier = make_structure()
    _, other_service = make_recipient()
    foreign = make_invoice(supplier=other_supplier, service=other_service)
    return {"supplier": supplier, "service": service, "invoice": invoice, "foreign": foreign}


def test_supplier_lists_and_opens_its_invoices_only(client: Client, world):
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    listing = client.get(reverse("invoices:invoice_list", args=["emises"]))
    assert listing.status_code == 200
    assert world["invoice"].number in listing.content.decode()
    assert world["foreign"].number not in listing.content.decode()

    mine = reverse("invoices:invoice_detail", args=["emises", world["invoice"].public_id])
    theirs = reverse("invoices:invoice_detail", args=["emises", world["foreign"].public_id])
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 404
    assert (
        client.get(
            reverse("invoices:invoice_original", args=["emises", world["foreign"].public_id])
        ).status_code
        == 404
    )
    # The recipient side of its own invoice is not the supplier's to see either.
    assert (
        client.get(
            reverse("invoices:invoice_detail", args=["recues", world["invoice"].public_id])
        ).status_code
        == 404
    )


def test_member_of_another_structure_gets_404_on_every_invoice_page(client: Client, world):
    _login(client, make_structure(), Area.INVOICES_ISSUED, Area.INVOICES_RECEIVED)
    invoice, flow = world["invoice"], world["invoice"].flow

    urls = [
        reverse("invoices:invoice_detail", args=["emises", invoice.public_id]),
        reverse("invoices:invoice_detail", args=["recues", invoice.public_id]),
        reverse("invoices:invoice_original", args=["emises", invoice.public_id]),
        reverse("invoices:flow_detail", args=[flow.public_id]),
        reverse("invoices:flow_report", args=[flow.public_id]),
        reverse("invoices:flow_original", args=[flow.public_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("invoices:invoice_act", args=[invoice.public_id]),
        reverse("invoices:invoice_complete", args=[invoice.public_id]),
        reverse("invoices:invoice_reroute", args=[invoice.public_id]),
    ]
    for url in posts:
        assert client.post(url, {"to": "SERVICE_FAIT"}).status_code == 404, url


def test_recipient_agent_marks_service_done_and_the_supplier_sees_it(client: Client, world):
    invoice = world["invoice"]
    _login(client, world["service"].structure, Area.INVOICES_RECEIVED)
    detail = reverse("invoices:invoice_detail", args=["recues", invoice.public_id])
    assert "Traiter cette facture" in client.get(detail).content.decode()

    response = client.post(
        reverse("invoices:invoice_act", args=[invoice.public_id]),
        {"to": InvoiceStatus.SERVICE_DONE, "expected_status": InvoiceStatus.MADE_AVAILABLE},
    )

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SERVICE_DONE
    supplier_client = Client()
    _login(supplier_client, world["supplier"], Area.INVOICES_ISSUED)
    page = supplier_client.get(
        reverse("invoices:invoice_detail", args=["emises", invoice.public_id])
    ).content.decode()
    assert "Service fait" in page


def test_suspending_without_a_reason_names_the_field(client: Client, world):
    invoice = world["invoice"]
    _login(client, world["service"].structure, Area.INVOICES_RECEIVED)

    response = client.post(
        reverse("invoices:invoice_act", args=[invoice.public_id]),
        {"to": InvoiceStatus.SUSPENDED, "expected_status": InvoiceStatus.MADE_AVAILABLE},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="error-summary"' in content
    assert "Motif" in content
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.MADE_AVAILABLE


def test_stale_action_is_refused_with_a_clear_message(client: Client, world):
    invoice = world["invoice"]
    _login(client, world["service"].structure, Area.INVOICES_RECEIVED)
    invoice_transition(
        invoice_id=invoice.pk,
        to=InvoiceStatus.SERVICE_DONE,
        actor=Actor(user=make_user()),
        role=CircuitRole.RECIPIENT,
    )

    response = client.post(
        reverse("invoices:invoice_act", args=[invoice.public_id]),
        {"to": InvoiceStatus.PAYMENT_SENT, "expected_status": InvoiceStatus.MADE_AVAILABLE},
        follow=True,
    )

    assert "a changé entre-temps" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SERVICE_DONE


def test_supplier_completes_a_suspended_invoice_with_a_document(client: Client, world):
    invoice = world["invoice"]
    invoice_transition(
        invoice_id=invoice.pk,
        to=InvoiceStatus.SUSPENDED,
        actor=Actor(user=make_user()),
        role=CircuitRole.RECIPIENT,
        reason_code="JUSTIF_ABS",
    )
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    response = client.post(
        reverse("invoices:invoice_complete", args=[invoice.public_id]),
        {
            "comment": "Voici le bon de livraison",
            "files": [SimpleUploadedFile("bon.pdf", tiny_pdf("bon"), "application/pdf")],
        },
    )

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.COMPLETED
    assert invoice.attachments.filter(original_name="bon.pdf").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("bon.pdf", b"MZ\x90\x00" + b"\x00" * 60), "program"),
        (SimpleUploadedFile("bon.pdf", b"<html>not a pdf</html>"), "not a PDF file"),
    ],
)
def test_a_completion_document_is_judged_by_its_content(client: Client, world, upload, message):
    invoice = world["invoice"]
    invoice_transition(
        invoice_id=invoice.pk,
        to=InvoiceStatus.SUSPENDED,
        actor=Actor(user=make_user()),
        role=CircuitRole.RECIPIENT,
        reason_code="JUSTIF_ABS",
    )
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    response = client.post(
        reverse("invoices:invoice_complete", args=[invoice.public_id]),
        {"comment": "Voici", "files": [upload]},
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 400  # the page again, with the message
    assert message in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SUSPENDED
    assert not invoice.attachments.exists()


def test_a_repeated_reroute_answers_with_the_page_and_a_message(client: Client, world):
    """A double click: the second post finds the invoice no longer waiting for re-routing."""
    invoice = world["invoice"]  # made available, not (or no longer) to recycle
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    response = client.post(
        reverse("invoices:invoice_reroute", args=[invoice.public_id]),
        {
            "recipient_siret": invoice.recipient.identifier,
            "service_code": "",
            "commitment_number": "",
        },
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith(
        reverse("invoices:invoice_detail", args=["emises", invoice.public_id])
    )
    assert "fr-alert--error" in page


@pytest.mark.parametrize(
    "next_url", ["", "https://elsewhere.example/", "//elsewhere.example/", "/\\elsewhere.example/"]
)
def test_supplier_acknowledges_a_rejection_and_stays_on_the_portal(
    client: Client, world, next_url: str
):
    invoice = world["invoice"]
    invoice_transition(
        invoice_id=invoice.pk,
        to=InvoiceStatus.REJECTED,
        actor=Actor(user=make_user()),
        role=CircuitRole.RECIPIENT,
        reason_code="DOUBLON",
    )
    _login(client, world["supplier"], Area.INVOICES_ISSUED)
    assert invoice.number in client.get(reverse("invoices:acknowledgements")).content.decode()

    response = client.post(
        reverse("invoices:acknowledge"), {"invoice": [str(invoice.public_id)], "next": next_url}
    )

    # An off-site return address (issue #11, open redirect) falls back to the list.
    assert response["Location"] == reverse("invoices:acknowledgements")
    invoice.refresh_from_db()
    assert invoice.supplier_acknowledged_at is not None


def test_acknowledging_a_rejection_returns_to_the_page_it_came_from(client: Client, world):
    _login(client, world["supplier"], Area.INVOICES_ISSUED)
    page = reverse("invoices:invoice_detail", args=["emises", world["invoice"].public_id])

    response = client.post(reverse("invoices:acknowledge"), {"next": page})

    assert response["Location"] == page


def test_payment_is_hidden_from_the_supplier_when_the_recipient_does_not_report_it(
    client: Client, world
):
    invoice = world["invoice"]
    PublicEntity.objects.filter(structure=invoice.recipient).update(manages_payment_status=False)
    invoice_transition(
        invoice_id=invoice.pk,
        to=InvoiceStatus.PAYMENT_SENT,
        actor=Actor(user=make_user()),
        role=CircuitRole.RECIPIENT,
    )
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    page = client.get(
        reverse("invoices:invoice_detail", args=["emises", invoice.public_id])
    ).content.decode()
    listing = client.get(
        reverse("invoices:invoice_list", args=["emises"]), {"status": InvoiceStatus.PAYMENT_SENT}
    ).content.decode()

    assert "Mise en paiement" not in page
    assert invoice.number not in listing


def test_csv_export_has_the_visible_rows_only_and_is_formula_safe(client: Client, world):
    make_invoice(supplier=world["supplier"], service=world["service"], number="=1+1")
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    response = client.get(reverse("invoices:invoice_export", args=["emises"]))

    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    visible = Invoice.objects.filter(supplier=world["supplier"]).count()
    assert len(rows) - 1 == visible
    assert [row[0] for row in rows[1:] if row[0].endswith("1+1")] == ["'=1+1"]
    assert world["foreign"].number not in text


def test_list_filters_by_status_and_number(client: Client, world):
    other = make_invoice(supplier=world["supplier"], service=world["service"], number="XYZ-9")
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    page = client.get(
        reverse("invoices:invoice_list", args=["emises"]), {"number": "XYZ"}
    ).content.decode()

    assert other.number in page
    assert world["invoice"].number not in page


def test_list_query_count_does_not_grow_with_rows(
    client: Client, world, django_assert_max_num_queries
):
    for _ in range(10):
        make_invoice(supplier=world["supplier"], service=world["service"])
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    with django_assert_max_num_queries(15):
        client.get(reverse("invoices:invoice_list", args=["emises"]))


def test_deposit_page_stores_and_processes_an_upload(client: Client, world, settings):
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    response = client.post(
        reverse("invoices:deposit"),
        {"files": [SimpleUploadedFile("nouvelle.xml", ubl_invoice(number="WEB-1"))]},
    )

    flow = Flow.objects.get(original_name="nouvelle.xml")
    assert response.status_code == 302
    assert response["Location"] == reverse("invoices:flow_detail", args=[flow.public_id])
    page = client.get(response["Location"]).content.decode()
    assert flow.number in page


def test_a_deposit_while_the_broker_is_down_is_kept_and_swept_later(
    client: Client, world, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 11 point 3: the broker down at deposit time is not a 500 and loses nothing."""
    from kombu.exceptions import OperationalError

    from invoices import tasks

    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.flow_process_task, "delay", broker_down)
    monkeypatch.setattr(tasks.flows_process_task, "delay", broker_down)
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invoices:deposit"),
            {"files": [SimpleUploadedFile("panne.xml", ubl_invoice(number="WEB-DOWN"))]},
        )

    flow = Flow.objects.get(original_name="panne.xml")
    assert response.status_code == 302
    assert flow.status == FlowStatus.RECEIVED
    assert client.get(response["Location"]).status_code == 200
    swept: list[list[int]] = []
    monkeypatch.setattr(tasks.flows_process_task, "delay", swept.append)
    Flow.objects.filter(pk=flow.pk).update(
        received_at=flow.received_at - datetime.timedelta(minutes=2)
    )
    assert tasks.flow_sweep_task() == 1
    assert swept == [[flow.pk]]


def test_a_multi_file_upload_has_one_outcome_like_the_batch_channel(
    client: Client, world, monkeypatch
):
    _login(client, world["supplier"], Area.INVOICES_ISSUED)
    good = ubl_invoice(number="WEB-2")
    monkeypatch.setattr("invoices.services.deposit.MAX_DEPOSIT_BYTES", len(good) + 10)

    response = client.post(
        reverse("invoices:deposit"),
        {
            "files": [
                SimpleUploadedFile("bonne.xml", good),
                SimpleUploadedFile("enorme.xml", good + b" " * 100),
            ]
        },
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    answer = response.json()
    assert answer["flows"] == []
    assert "enorme.xml" in answer["errors"][0]
    assert not Flow.objects.filter(original_name__in=["bonne.xml", "enorme.xml"]).exists()


def test_flow_page_polls_until_final(client: Client, world):
    _login(client, world["supplier"], Area.INVOICES_ISSUED)
    flow = make_flow(structure=world["supplier"])

    pending = client.get(reverse("invoices:flow_detail", args=[flow.public_id])).content.decode()
    with status_guard_ignored(FLOW):
        Flow.objects.filter(pk=flow.pk).update(
            status=FlowStatus.REJECTED, report={"findings": [], "documents": [], "summary": {}}
        )
    partial = client.get(
        reverse("invoices:flow_detail", args=[flow.public_id]), HTTP_HX_REQUEST="true"
    ).content.decode()

    assert 'hx-trigger="every 2s"' in pending
    assert "hx-trigger" not in partial
    assert "<html" not in partial


def test_user_without_structure_is_sent_to_onboarding(client: Client):
    client.force_login(make_user())

    response = client.get(reverse("invoices:invoice_list", args=["emises"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:onboarding")


def test_overdue_invoice_shows_interest_and_indemnity_on_both_sides(client: Client, world):
    import datetime

    from django.utils import timezone

    invoice = world["invoice"]
    Invoice.objects.filter(pk=invoice.pk).update(
        payment_due_date=timezone.localdate() - datetime.timedelta(days=20)
    )
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    page = client.get(
        reverse("invoices:invoice_detail", args=["emises", invoice.public_id])
    ).content.decode()
    listing = client.get(
        reverse("invoices:invoice_list", args=["emises"]), {"overdue": "on"}
    ).content.decode()

    assert 'id="late-payment"' in page
    assert "40,00" in page or "40.00" in page
    assert invoice.number in listing


def test_dashboard_offers_the_invoice_pages_of_the_member_areas(client: Client, world):
    _login(client, world["supplier"], Area.INVOICES_ISSUED)

    page = client.get(reverse("dashboard")).content.decode()

    assert 'id="invoices-panel"' in page
    assert reverse("invoices:deposit") in page
    assert reverse("invoices:invoice_list", args=["recues"]) not in page
