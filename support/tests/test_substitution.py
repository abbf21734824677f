"""Substitution: permission matrix, reason, audit, time limit, sensitive pages, user's view."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chorus.accounts.models import Membership, User
from chorus.accounts.tests.factories import make_user
from chorus.core.actor import Actor
from chorus.core.exceptions import DomainError, PermissionDeniedError
from invoices.tests.factories import make_structure
from support.choices import SubstitutionEndCause
from support.models import SubstitutionEvent, SubstitutionSession, SupportRequest
from support.permissions import hijack_permission_check, may_substitute
from support.services.substitution import (
    substitution_end,
    substitution_expire_overdue,
    substitution_start,
)
from support.tests.conftest import logged_in

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db


def _start(
    client: Client, user: User, reason: str = "SOL-2026-000001"
) -> _MonkeyPatchedWSGIResponse:
    return client.post(
        reverse("support:substitution_start"), {"user_id": user.pk, "reason": reason}
    )


# --- Permission matrix (H1, H2) -------------------------------------------------------------


def test_agent_may_substitute_an_ordinary_active_user(agent: User, supplier: User):
    assert may_substitute(agent=agent, target=supplier)


@pytest.mark.parametrize(
    "target_fields",
    [
        {"is_staff": True},
        {"is_superuser": True},
        {"is_support_agent": True},
        {"is_active": False},
    ],
    ids=["staff", "superuser", "other-agent", "inactive"],
)
def test_agent_may_never_substitute_staff_admins_agents_or_inactive_users(
    agent: User, target_fields: dict[str, bool]
):
    target = make_user(**target_fields)

    assert not may_substitute(agent=agent, target=target)
    with pytest.raises(PermissionDeniedError):
        substitution_start(actor=Actor(user=agent), user_id=target.pk, reason="SOL-2026-000001")
    assert not SubstitutionSession.objects.exists()


def test_non_agents_and_inactive_agents_may_not_substitute(supplier: User, other_user: User):
    admin = make_user(is_staff=True, is_superuser=True)
    inactive_agent = make_user(is_support_agent=True, is_active=False)
    for hijacker in (supplier, admin, inactive_agent):
        assert not may_substitute(agent=hijacker, target=other_user)


def test_agent_cannot_substitute_themselves(agent: User):
    assert not may_substitute(agent=agent, target=agent)


def test_hijack_check_refuses_anything_not_started_by_support_start_view(
    agent: User, supplier: User
):
    assert not hijack_permission_check(hijacker=agent, hijacked=supplier)


def test_posting_straight_to_hijack_acquire_is_refused(agent: User, supplier: User):
    client = logged_in(agent)

    response = client.post(reverse("hijack:acquire"), {"user_pk": supplier.pk})

    assert response.status_code == 403
    assert "hijack_history" not in client.session


def test_supplier_cannot_start_a_substitution(supplier: User, other_user: User):
    client = logged_in(supplier)

    response = _start(client, other_user)

    assert response.status_code == 404
    assert not SubstitutionSession.objects.exists()


def test_start_is_post_only(agent: User, supplier: User):
    client = logged_in(agent)
    assert client.get(reverse("support:substitution_start")).status_code == 405


def test_start_requires_a_csrf_token(agent: User, supplier: User):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent, backend="django.contrib.auth.backends.ModelBackend")

    response = _start(client, supplier)

    assert response.status_code == 403
    assert not SubstitutionSession.objects.exists()


# --- Reason, audit row, browser session -----------------------------------------------------


def test_substitution_without_reason_is_refused(agent: User, supplier: User):
    with pytest.raises(DomainError):
        substitution_start(actor=Actor(user=agent), user_id=supplier.pk, reason="   ")
    client = logged_in(agent)

    response = _start(client, supplier, reason="")

    assert response.status_code == 302
    assert "hijack_history" not in client.session
    assert not SubstitutionSession.objects.exists()


def test_start_through_the_portal_records_the_session_and_acts_as_the_user(
    agent: User, supplier: User, support_request: SupportRequest
):
    client = logged_in(agent)

    response = _start(client, supplier, reason=f"Ticket {support_request.number}")

    assert response.status_code == 302
    session = SubstitutionSession.objects.get()
    assert (session.agent, session.user) == (agent, supplier)
    assert session.support_request == support_request
    assert session.ends_at - session.started_at == timedelta(minutes=30)
    assert client.session["hijack_history"] == [str(agent.pk)]
    page = client.get(reverse("dashboard"))
    assert page.context["user"] == supplier
    banner = page.content.decode()
    assert 'id="substitution-banner"' in banner
    assert support_request.number in banner
    assert reverse("hijack:release") in banner


def test_the_agent_is_not_held_by_the_users_missing_second_factor(agent: User):
    """The agent logged in with their own second factor; the user's obligation is theirs."""
    public_member = make_user(email="agent.public@mairie.test")
    Membership.objects.create(user=public_member, structure=make_structure(public=True))
    client = logged_in(agent)
    _start(client, public_member)

    page = client.get(reverse("dashboard"))

    assert page.status_code == 200
    assert page.context["user"] == public_member
    # Nor does a supplier's invitation to set one up show to the agent.
    assert 'id="second-factor-invite"' not in page.content.decode()


def test_an_agent_without_a_second_factor_cannot_start_a_substitution(supplier: User):
    agent = make_user(is_support_agent=True, second_factor=False)
    client = logged_in(agent)

    response = _start(client, supplier)

    assert response["Location"] == reverse("second_factor_required")
    assert not SubstitutionSession.objects.exists()


def test_every_page_and_change_is_recorded_as_an_event(agent: User, supplier: User):
    client = logged_in(agent)
    _start(client, supplier)

    client.get(reverse("dashboard"))
    client.post(reverse("invoices:notifications"), {"mode": "DAILY"})  # read-only: refused
    client.post(reverse("support:substitution_act"), {"reason": "Régler ses notifications"})
    client.post(reverse("invoices:notifications"), {"mode": "DAILY"})

    events = list(
        SubstitutionEvent.objects.order_by("pk").values_list("method", "path", "is_change")
    )
    assert (("GET", reverse("dashboard"), False)) in events
    notifications = [e for e in events if e[1] == reverse("invoices:notifications")]
    assert [e[2] for e in notifications] == [False, True]  # the refused one changed nothing


@pytest.mark.parametrize(
    "url_name",
    [
        "account_change_password",
        "account_set_password",
        "account_email",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_generate_recovery_codes",
        "support:queue",
    ],
)
def test_sensitive_pages_are_refused_during_substitution(
    agent: User, supplier: User, url_name: str
):
    client = logged_in(agent)
    _start(client, supplier)

    assert client.get(reverse(url_name)).status_code in {403, 404}
    assert client.post(reverse(url_name), {}).status_code in {403, 404}


def test_nested_substitution_is_refused(agent: User, supplier: User, other_user: User):
    client = logged_in(agent)
    _start(client, supplier)

    response = _start(client, other_user)

    assert response.status_code == 403
    assert SubstitutionSession.objects.count() == 1


# --- End: release, time limit, logout -------------------------------------------------------


@pytest.mark.parametrize("evil", ["https://elsewhere.example/", "//elsewhere.example/"])
def test_release_never_redirects_off_site(agent: User, supplier: User, evil: str):
    client = logged_in(agent)
    _start(client, supplier)

    response = client.post(reverse("hijack:release"), {"next": evil})

    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert "elsewhere" not in response["Location"]


def test_release_ends_the_session_and_notifies_the_user(
    agent: User, supplier: User, django_capture_on_commit_callbacks
):
    client = logged_in(agent)
    _start(client, supplier)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hijack:release"), {"next": reverse("support:queue")})

    assert response.status_code == 302
    assert "hijack_history" not in client.session or not client.session["hijack_history"]
    session = SubstitutionSession.objects.get()
    assert session.ended_at is not None
    assert session.end_cause == SubstitutionEndCause.RELEASED
    assert [m.to for m in mail.outbox] == [[supplier.email]]
    assert session.reason in mail.outbox[0].body
    assert client.get(reverse("support:queue")).status_code == 200  # the agent again


def test_release_requires_post(agent: User, supplier: User):
    client = logged_in(agent)
    _start(client, supplier)
    assert client.get(reverse("hijack:release")).status_code == 405


def test_substitution_ends_by_itself_after_the_time_limit(agent: User, supplier: User):
    client = logged_in(agent)
    _start(client, supplier)

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    session = SubstitutionSession.objects.get()
    assert session.end_cause == SubstitutionEndCause.EXPIRED
    assert session.ended_at == session.ends_at
    assert not client.session.get("hijack_history")
    assert client.get(reverse("support:queue")).status_code == 200


def test_time_limit_follows_the_setting(agent: User, supplier: User, settings):
    settings.CHORUS_SUBSTITUTION_MINUTES = 5
    session = substitution_start(actor=Actor(user=agent), user_id=supplier.pk, reason="x")
    assert session.ends_at - session.started_at == timedelta(minutes=5)


def test_overdue_sessions_are_swept_once(agent: User, supplier: User):
    session = substitution_start(actor=Actor(user=agent), user_id=supplier.pk, reason="x")

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert substitution_expire_overdue() == 1
        assert substitution_expire_overdue() == 0

    session.refresh_from_db()
    assert session.end_cause == SubstitutionEndCause.EXPIRED


def test_ending_twice_notifies_once(
    agent: User, supplier: User, django_capture_on_commit_callbacks
):
    session = substitution_start(actor=Actor(user=agent), user_id=supplier.pk, reason="x")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert substitution_end(session_id=session.pk, cause=SubstitutionEndCause.RELEASED)
        assert not substitution_end(session_id=session.pk, cause=SubstitutionEndCause.EXPIRED)

    assert len(mail.outbox) == 1


def test_logout_during_substitution_ends_it(agent: User, supplier: User):
    client = logged_in(agent)
    _start(client, supplier)

    client.post(reverse("account_logout"))

    assert SubstitutionSession.objects.get().end_cause == SubstitutionEndCause.LOGOUT


# --- Append-only audit (H7) -----------------------------------------------------------------


def test_audit_rows_cannot_be_rewritten_or_deleted(agent: User, supplier: User):
    session = substitution_start(actor=Actor(user=agent), user_id=supplier.pk, reason="x")
    event = SubstitutionEvent.objects.create(
        session=session, method="GET", path="/", status_code=200
    )

    for statement, params in [
        ("UPDATE support_substitutionsession SET reason = 'autre' WHERE id = %s", [session.pk]),
        ("DELETE FROM support_substitutionsession WHERE id = %s", [session.pk]),
        ("UPDATE support_substitutionevent SET path = '/x' WHERE id = %s", [event.pk]),
        ("DELETE FROM support_substitutionevent WHERE id = %s", [event.pk]),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)


def test_end_of_a_session_is_written_once(agent: User, supplier: User):
    session = substitution_start(actor=Actor(user=agent), user_id=supplier.pk, reason="x")
    substitution_end(session_id=session.pk, cause=SubstitutionEndCause.RELEASED)

    with pytest.raises(DatabaseError), transaction.atomic():
        SubstitutionSession.objects.filter(pk=session.pk).update(ended_at=timezone.now())


# --- What the user sees ---------------------------------------------------------------------


def test_user_sees_support_actions_on_their_account(agent: User, supplier: User, other_user: User):
    session = substitution_start(actor=Actor(user=agent), user_id=supplier.pk, reason="SOL-X")
    substitution_end(session_id=session.pk, cause=SubstitutionEndCause.RELEASED)

    page = logged_in(supplier).get(reverse("support:my_substitutions")).content.decode()
    other = logged_in(other_user).get(reverse("support:my_substitutions")).content.decode()

    assert "SOL-X" in page
    assert agent.display_name in page
    assert "SOL-X" not in other
