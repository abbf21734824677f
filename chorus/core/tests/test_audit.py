"""The audit trail records who changed what, also under substitution."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pghistory.models import Events

from chorus.accounts.models import User
from chorus.accounts.services import user_update_profile
from chorus.accounts.tests.factories import make_user
from chorus.core.actor import Actor
from chorus.core.audit import audit_trail_for

pytestmark = pytest.mark.django_db


def test_profile_change_through_the_portal_is_recorded_with_the_acting_user(client: Client):
    user = make_user()
    client.force_login(user)

    client.post(reverse("profile"), {"first_name": "Léa", "last_name": "Durand", "phone": ""})

    event = audit_trail_for(user).filter(pgh_label="update").last()
    assert event is not None
    assert event.pgh_data["first_name"] == "Léa"
    assert event.pgh_context["user"] == user.pk
    assert event.pgh_context["on_behalf_of"] is None
    assert event.pgh_context["url"] == reverse("profile")


def test_change_made_under_substitution_names_the_agent_and_the_user():
    agent: User = make_user(is_support_agent=True)
    supplier: User = make_user()

    user_update_profile(
        actor=Actor(user=agent, on_behalf_of=supplier),
        first_name="Corrigé",
        last_name=supplier.last_name,
        phone="",
    )

    event = audit_trail_for(supplier).filter(pgh_label="update").last()
    assert event is not None
    assert event.pgh_context["user"] == agent.pk
    assert event.pgh_context["on_behalf_of"] == supplier.pk
    supplier.refresh_from_db()
    assert supplier.first_name == "Corrigé"


def test_password_changes_are_recorded_without_the_password():
    user: User = make_user()
    before = Events.objects.tracks(user).filter(pgh_label="password_changed").count()

    user.set_password("A-New-Password-123")
    user.save()

    events = Events.objects.tracks(user).filter(pgh_label="password_changed")
    assert events.count() == before + 1
    assert "password" not in events.order_by("pgh_created_at").last().pgh_data


def test_actor_str_and_effective_user():
    agent = User(email="agent@example.test")
    supplier = User(email="s@example.test")

    actor = Actor(user=agent, on_behalf_of=supplier)

    assert actor.effective_user is supplier
    assert str(actor) == "agent@example.test on behalf of s@example.test"
