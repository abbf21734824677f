"""What the invoice pages show (docs/invoices.md, "Display rules"): French formats, labels
beside codes, the history from « Déposée », due dates, acknowledgements, the rejection's
confirmation, and the menu entries each kind of member can use."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.choices import Area, Role, StructureKind, default_areas
from chorus.accounts.models import Membership
from chorus.accounts.tests.factories import make_user
from chorus.circuits.roles import Role as CircuitRole
from chorus.core.actor import Actor
from invoices.choices import InvoiceStatus
from invoices.lifecycle import invoice_transition
from invoices.models import Invoice
from invoices.tests.factories import login_member, make_invoice, make_line, make_recipient

pytestmark = pytest.mark.django_db
NB = "\u00a0"


def _text(html: str) -> str:
    """The page's text: tags removed, white space (not no-break spaces) collapsed."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def invoice() -> Invoice:
    _entity, service = make_recipient()
    invoice = make_invoice(
        service=service,
        total_without_vat=Decimal("1000.00"),
        total_vat=Decimal("200.00"),
        total_with_vat=Decimal("1200.00"),
        amount_due=Decimal("1200.00"),
        payment_due_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    make_line(invoice)
    return invoice


def _detail(client: Client, invoice: Invoice, side: str = "emises") -> str:
    response = client.get(reverse("invoices:invoice_detail", args=[side, invoice.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def _agent_acts(
    invoice: Invoice,
    to: InvoiceStatus,
    reason: str = "",
    *,
    role: CircuitRole = CircuitRole.RECIPIENT,
    comment: str = "",
) -> None:
    """A party's user moves ``invoice`` (the recipient's agent unless told)."""
    invoice_transition(
        invoice_id=invoice.pk,
        to=to,
        actor=Actor(user=make_user()),
        role=role,
        reason_code=reason,
        comment=comment,
    )


# --- Point 11: formats and labels ------------------------------------------------------------


def test_detail_shows_french_amounts_and_labels_beside_codes(client: Client, invoice):
    login_member(client, invoice.supplier, Area.INVOICES_ISSUED)

    page = _text(_detail(client, invoice))

    assert f"1{NB}200,00{NB}€" in page
    assert f"1{NB}000,00{NB}€" in page
    assert "heure (HUR)" in page
    assert f"TVA 20{NB}% (S)" in page
    assert f"100,00{NB}€" in page  # unit price: no trailing zeros past the cents
    assert "100,000000" not in page
    assert "S 20,00" not in page
    assert " HUR " not in page
    # The lifecycle code sits beside the label, with a space (not glued as « Rejetée(210) »).
    assert re.search(r"Mise à disposition du destinataire \(203\)", page)


def test_detail_in_english_has_english_labels_dates_and_amounts(client: Client, invoice):
    login_member(client, invoice.supplier, Area.INVOICES_ISSUED)
    _agent_acts(invoice, InvoiceStatus.SUSPENDED, reason="JUSTIF_ABS")
    client.cookies["django_language"] = "en"

    page = _text(_detail(client, invoice))

    assert "€1,200.00" in page
    assert "hour (HUR)" in page
    assert "VAT 20% (S)" in page
    assert "Reason: Supporting document missing (JUSTIF_ABS)" in page
    assert invoice.issue_date.strftime("%m/%d/%Y") in page
    for french in ("Justificatif absent", "Motif", "TVA", "heure", "Déposée"):
        assert french not in page, french


def test_list_shows_french_amounts_and_the_filter_button_reads_filtrer(client: Client, invoice):
    login_member(client, invoice.supplier, Area.INVOICES_ISSUED)

    page = client.get(reverse("invoices:invoice_list", args=["emises"])).content.decode()

    assert f"1{NB}200,00{NB}€" in page
    assert ">Filtrer</button>" in page
    assert "Filtre<" not in page
    assert "{#" not in page  # a template comment never leaks into the page


def test_deposits_list_heading_is_the_noun(client: Client, invoice):
    login_member(client, invoice.supplier, Area.INVOICES_ISSUED)

    page = client.get(reverse("invoices:flow_list")).content.decode()

    assert '<th scope="col">Dépôt</th>' in page
    assert ">Déposer<" not in page.split("<table>", 1)[1]


# --- Point 13: invoice pages -----------------------------------------------------------------


def test_history_starts_at_deposited_on_both_sides(client: Client, invoice):
    supplier_user = login_member(client, invoice.supplier, Area.INVOICES_ISSUED)
    invoice.flow.depositor = supplier_user
    invoice.flow.save(update_fields=["depositor"])
    _agent_acts(invoice, InvoiceStatus.SUSPENDED, reason="JUSTIF_ABS")
    recipient_client = Client()
    login_member(recipient_client, invoice.recipient, Area.INVOICES_RECEIVED)

    for page, who in (
        (_detail(client, invoice), supplier_user.display_name),
        (_detail(recipient_client, invoice, "recues"), f"{invoice.supplier.name} (fournisseur)"),
    ):
        timeline = _text(page.split('id="timeline"', 1)[1])
        assert timeline.index("Déposée (200)") < timeline.index("Suspendue (208)")
        assert who in timeline.split("Suspendue", 1)[0]


def test_a_rejected_invoice_shows_no_payment_due_date(client: Client, invoice):
    login_member(client, invoice.supplier, Area.INVOICES_ISSUED)
    _agent_acts(invoice, InvoiceStatus.REJECTED, reason="DOUBLON")
    invoice.refresh_from_db()
    due = invoice.payment_due_date

    page = _detail(client, invoice)
    listing = client.get(reverse("invoices:invoice_list", args=["emises"])).content.decode()

    assert 'id="payment-due"' not in page
    assert "Paiement attendu" not in page
    assert due is None or due.strftime("%d/%m/%Y") not in listing


def test_lists_show_the_payment_due_date_and_the_days_overdue(client: Client, invoice):
    late = make_invoice(
        supplier=invoice.supplier,
        service=invoice.service,
        payment_due_date=timezone.localdate() - datetime.timedelta(days=12),
    )
    login_member(client, invoice.supplier, Area.INVOICES_ISSUED)
    recipient_client = Client()
    login_member(recipient_client, invoice.recipient, Area.INVOICES_RECEIVED)

    for side, who in (("emises", client), ("recues", recipient_client)):
        page = who.get(reverse("invoices:invoice_list", args=[side])).content.decode()
        assert "Paiement attendu au plus tard le" in page
        assert "En retard" in page
        rows = {
            number: _text(row)
            for row in page.split("<tr>")[2:]
            for number in (invoice.number, late.number)
            if number in row
        }
        assert invoice.payment_due_date.strftime("%d/%m/%Y") in rows[invoice.number]
        assert "jours" not in rows[invoice.number]
        assert "12 jours" in rows[late.number]


def test_acknowledgement_shows_on_both_sides_with_its_date(client: Client, invoice):
    login_member(client, invoice.supplier, Area.INVOICES_ISSUED)
    _agent_acts(invoice, InvoiceStatus.REJECTED, reason="DOUBLON")
    recipient_client = Client()
    login_member(recipient_client, invoice.recipient, Area.INVOICES_RECEIVED)
    assert "Pas encore acquittée par le fournisseur" in _detail(recipient_client, invoice, "recues")

    client.post(reverse("invoices:acknowledge"), {"invoice": [str(invoice.public_id)]})
    invoice.refresh_from_db()
    when = timezone.localtime(invoice.supplier_acknowledged_at).strftime("%d/%m/%Y %H:%M")

    for page in (_detail(client, invoice), _detail(recipient_client, invoice, "recues")):
        assert f"Acquittée par le fournisseur le {when}" in _text(page)


def test_rejecting_asks_for_confirmation_first(client: Client, invoice):
    login_member(client, invoice.recipient, Area.INVOICES_RECEIVED)
    url = reverse("invoices:invoice_act", args=[invoice.public_id])
    data = {
        "to": InvoiceStatus.REJECTED,
        "expected_status": InvoiceStatus.MADE_AVAILABLE,
        "reason": "DOUBLON",
        "comment": "Déjà reçue",
    }

    asked = client.post(url, data)

    invoice.refresh_from_db()
    assert asked.status_code == 200
    assert invoice.status == InvoiceStatus.MADE_AVAILABLE
    page = _text(asked.content.decode())
    assert "Confirmer le rejet" in page
    assert "Motif : Facture en doublon (DOUBLON)" in page
    assert 'name="confirmed" value="on"' in asked.content.decode()

    confirmed = client.post(url, {**data, "confirmed": "on"})

    invoice.refresh_from_db()
    assert confirmed.status_code == 302
    assert invoice.status == InvoiceStatus.REJECTED
    assert invoice.events.get(to_status=InvoiceStatus.REJECTED).comment == "Déjà reçue"


def test_other_actions_need_no_confirmation(client: Client, invoice):
    login_member(client, invoice.recipient, Area.INVOICES_RECEIVED)

    response = client.post(
        reverse("invoices:invoice_act", args=[invoice.public_id]),
        {
            "to": InvoiceStatus.SUSPENDED,
            "expected_status": InvoiceStatus.MADE_AVAILABLE,
            "reason": "JUSTIF_ABS",
        },
    )

    invoice.refresh_from_db()
    assert response.status_code == 302
    assert invoice.status == InvoiceStatus.SUSPENDED


def test_empty_reason_option_reads_choisir_un_motif(client: Client, invoice):
    login_member(client, invoice.recipient, Area.INVOICES_RECEIVED)

    page = _detail(client, invoice, "recues")

    assert '<option value="" selected>Choisir un motif</option>' in page
    assert "---------" not in page


def test_filters_are_a_disclosure_that_says_how_many_are_active(client: Client, invoice):
    login_member(client, invoice.supplier, Area.INVOICES_ISSUED)
    url = reverse("invoices:invoice_list", args=["emises"])

    plain = client.get(url).content.decode()
    filtered = _text(client.get(url, {"q": "F-", "overdue": "on"}).content.decode())

    assert '<details class="list-filters' in plain
    assert "data-fold-on-small-screens" in plain
    assert "Filtres — 2 actifs" in filtered


def _menu(client: Client) -> str:
    page = client.get(reverse("dashboard"), follow=True).content.decode()
    return page.split('id="navigation"', 1)[1].split("</nav>", 1)[0]


def test_menu_has_only_the_entries_each_member_can_use(client: Client, invoice):
    agent = Membership(structure=invoice.recipient, role=Role.USER)
    agent.areas = default_areas(kind=StructureKind.PUBLIC, role=Role.USER)
    login_member(client, invoice.recipient, *agent.areas)
    menu = _menu(client)
    assert "Factures reçues" in menu
    assert "Factures émises" not in menu
    assert "Notifications" not in menu

    supplier_client = Client()
    login_member(supplier_client, invoice.supplier, *default_areas(kind="PRIVEE", role=Role.USER))
    menu = _menu(supplier_client)
    assert "Factures émises" in menu
    assert "Notifications" in menu
    assert "Factures reçues" not in menu

    support_client = Client()
    support_client.force_login(make_user(is_support_agent=True))
    menu = _menu(support_client)
    for entry in ("Factures émises", "Factures reçues", "Notifications"):
        assert entry not in menu
    assert "File des sollicitations" in menu


def test_public_members_do_not_get_the_invoices_issued_area_by_default():
    assert Area.INVOICES_ISSUED not in default_areas(kind=StructureKind.PUBLIC, role=Role.USER)
    assert Area.INVOICES_RECEIVED in default_areas(kind=StructureKind.PUBLIC, role=Role.USER)
    assert Area.INVOICES_ISSUED in default_areas(kind=StructureKind.PRIVATE, role=Role.USER)


def test_detail_query_count_does_not_grow_with_history(
    client: Client, invoice, django_assert_max_num_queries
):
    short = make_invoice(
        supplier=invoice.supplier,
        service=invoice.service,
        payment_due_date=timezone.localdate(),
    )
    _agent_acts(short, InvoiceStatus.SERVICE_DONE)
    _agent_acts(invoice, InvoiceStatus.SUSPENDED, reason="JUSTIF_ABS")
    _agent_acts(invoice, InvoiceStatus.COMPLETED, role=CircuitRole.SUPPLIER, comment="ok")
    _agent_acts(invoice, InvoiceStatus.SERVICE_DONE)
    login_member(client, invoice.recipient, Area.INVOICES_RECEIVED)
    client.get(reverse("invoices:invoice_detail", args=["recues", short.public_id]))

    with django_assert_max_num_queries(20) as one_event:
        _detail(client, short, "recues")
    with django_assert_max_num_queries(len(one_event.captured_queries)):
        _detail(client, invoice, "recues")
