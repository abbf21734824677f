"""Issue #11, point 5: a substitution is read-only until the agent acts for the user, with a
reason; some changes stay refused in every mode; the user sees every change made for them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.choices import Area
from chorus.accounts.models import Membership, User
from chorus.accounts.tests.factories import make_user
from chorus.circuits.roles import Role
from chorus.core.actor import Actor
from chorus.core.audit import audit_trail_for
from invoices.choices import InvoiceStatus
from invoices.lifecycle import invoice_transition
from invoices.models import Invoice, Notification
from invoices.selectors import event_actor_label
from invoices.tests.factories import make_invoice, make_structure
from support.models import SubstitutionActMode, SubstitutionSession
from support.tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def _substituting(agent: User, user: User) -> Client:
    client = logged_in(agent)
    response = client.post(
        reverse("support:substitution_start"), {"user_id": user.pk, "reason": "SOL-2026-000042"}
    )
    assert response.status_code == 302
    return client


def _supplier_member(user: User) -> Invoice:
    structure = make_structure()
    Membership.objects.create(user=user, structure=structure, areas=list(Area.values))
    return make_invoice(supplier=structure, status=InvoiceStatus.REJECTED)


def test_a_substitution_changes_nothing_until_the_agent_acts_with_a_reason(
    agent: User, supplier: User
) -> None:
    invoice = _supplier_member(supplier)
    client = _substituting(agent, supplier)
    acknowledge = reverse("invoices:acknowledge")

    refused = client.post(acknowledge, {"invoice": [str(invoice.public_id)]})
    assert refused.status_code == 403
    assert "lecture seule" in refused.content.decode()  # the 403 page says why
    invoice.refresh_from_db()
    assert invoice.supplier_acknowledged_at is None

    banner = client.get(reverse("dashboard")).content.decode()
    assert 'id="substitution-act-form"' in banner
    client.post(reverse("support:substitution_act"), {"reason": "   "})
    assert not SubstitutionActMode.objects.exists()  # a reason is required

    client.post(reverse("support:substitution_act"), {"reason": "Acquitter le rejet demandé"})
    mode = SubstitutionActMode.objects.get()
    assert mode.reason == "Acquitter le rejet demandé"
    assert 'id="substitution-acting"' in client.get(reverse("dashboard")).content.decode()

    client.post(acknowledge, {"invoice": [str(invoice.public_id)]})
    invoice.refresh_from_db()
    assert invoice.supplier_acknowledged_at is not None
    change = audit_trail_for(invoice).last()
    assert change is not None
    assert change.pgh_context["user"] == agent.pk
    assert change.pgh_context["on_behalf_of"] == supplier.pk


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("profile", {"first_name": "Autre", "last_name": "Nom", "phone": "0600000000"}),
        ("second_factor_invite_dismiss", {}),
    ],
)
def test_profile_changes_stay_refused_even_when_acting(
    agent: User, supplier: User, url_name: str, data: dict[str, str]
) -> None:
    client = _substituting(agent, supplier)
    client.post(reverse("support:substitution_act"), {"reason": "Aide demandée"})
    response = client.post(reverse(url_name), data)
    supplier.refresh_from_db()
    if url_name == "profile":
        assert response.status_code == 403
        assert supplier.first_name != "Autre"
    else:  # a banner the user dismissed is their choice, not a change of their data
        assert response.status_code < 500


def test_the_structures_contact_e_mail_stays_refused_even_when_acting(
    agent: User, supplier: User
) -> None:
    structure = make_structure(email="contact@fournisseur.test")
    Membership.objects.create(
        user=supplier,
        structure=structure,
        role="GESTIONNAIRE_PRINCIPAL",
        areas=list(Area.values),
    )
    client = _substituting(agent, supplier)
    client.post(reverse("support:substitution_act"), {"reason": "Aide demandée"})
    url = reverse("accounts:structure_edit", kwargs={"structure_public_id": structure.public_id})
    response = client.post(url, {"email": "pirate@example.test", "name": structure.name})
    assert response.status_code == 403
    structure.refresh_from_db()
    assert structure.email == "contact@fournisseur.test"


def test_reading_the_users_notifications_leaves_them_unread(agent: User, supplier: User) -> None:
    invoice = make_invoice(status=InvoiceStatus.MADE_AVAILABLE)
    event = invoice_transition(
        invoice_id=invoice.pk,
        to=InvoiceStatus.TAKEN_INTO_ACCOUNT,
        actor=Actor(user=None, system_reason="test"),
        role=Role.RECIPIENT,
    ).event
    Notification.objects.create(user=supplier, invoice=invoice, event=event)
    client = _substituting(agent, supplier)
    assert client.get(reverse("invoices:notifications")).status_code == 200
    assert Notification.objects.get().read_at is None
    logged_in(supplier).get(reverse("invoices:notifications"))  # the user's own reading does
    assert Notification.objects.get().read_at is not None


def test_the_user_sees_each_change_made_for_them_on_the_page_and_in_the_e_mail(
    agent: User, supplier: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = _substituting(agent, supplier)
    client.post(reverse("invoices:notifications"), {"mode": "DAILY"})  # refused: read-only
    client.post(reverse("support:substitution_act"), {"reason": "Régler ses notifications"})
    client.post(reverse("invoices:notifications"), {"mode": "NONE"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("hijack:release"), {"next": "/"})

    session = SubstitutionSession.objects.get()
    assert session.ended_at is not None
    page = logged_in(supplier).get(reverse("support:my_substitutions")).content.decode()
    assert "Régler ses notifications" in page
    assert page.count(reverse("invoices:notifications")) == 1  # the change, not the refusal
    message = next(m for m in mail.outbox if supplier.email in m.to)
    assert reverse("invoices:notifications") in message.body


def test_an_agents_change_shows_as_chorus_support_in_invoice_histories(
    agent: User,
) -> None:
    recipient_user = make_user(
        email="comptable@mairie.test", first_name="Dominique", last_name="Comptable"
    )
    invoice = make_invoice(status=InvoiceStatus.MADE_AVAILABLE)
    result = invoice_transition(
        invoice_id=invoice.pk,
        to=InvoiceStatus.SERVICE_DONE,
        actor=Actor(user=agent, on_behalf_of=recipient_user),
        role=Role.RECIPIENT,
    )
    supplier_view = event_actor_label(result.event, role=Role.SUPPLIER, viewer_id=None)
    recipient_view = event_actor_label(
        result.event, role=Role.RECIPIENT, viewer_id=recipient_user.pk
    )
    for label in (supplier_view, recipient_view):
        assert agent.display_name not in label
        assert label.lower().startswith("support chorus") or label.startswith("Chorus support")
    assert recipient_user.display_name in recipient_view
    assert recipient_user.display_name not in supplier_view
    assert timezone.now() >= result.event.created_at
