"""The support circuit's deadlines, with time travel: tacit steps and the lateness flag fire
once, on time, and not when the party acted."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from chorus.accounts.models import User
from chorus.circuits.models import CircuitDeadline, DeadlineState
from chorus.circuits.sweeper import deadlines_sweep
from chorus.core.actor import Actor
from chorus.core.exceptions import TransitionNotAllowed
from support.choices import RequestStatus
from support.lifecycle import support_request_transition
from support.models import RequestCategory, SupportRequest
from support.selectors import support_request_deadlines
from support.services.requests import (
    support_request_create,
    support_request_reply,
    support_request_set_status,
)
from support.tests.conftest import logged_in

PARIS = ZoneInfo("Europe/Paris")
FRIDAY = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=PARIS)
S = RequestStatus


def _sweep(at: datetime.datetime, capture) -> int:
    with time_machine.travel(at, tick=False), capture(execute=True):
        return deadlines_sweep()


def _open(user: User, category: RequestCategory) -> SupportRequest:
    with time_machine.travel(FRIDAY, tick=False):
        return support_request_create(
            actor=Actor(user=user), category_id=category.pk, subject="Accès", body="Bloqué."
        )


def _deadline(request: SupportRequest, name: str) -> CircuitDeadline:
    return CircuitDeadline.objects.get(circuit="support_request", object_id=request.pk, name=name)


@override_settings(CHORUS_SUPPORT_TEAM_EMAIL="equipe@support.test")
def test_an_untaken_request_is_flagged_after_two_working_days_and_support_told_once(
    supplier: User, category: RequestCategory, django_capture_on_commit_callbacks
):
    request = _open(supplier, category)
    mail.outbox.clear()
    running = _deadline(request, "first_answer")
    # Friday 10:00 + two working days = Tuesday 10:00 (the weekend does not count).
    assert running.due_at == datetime.datetime(2026, 12, 8, 10, 0, tzinfo=PARIS)

    monday = datetime.datetime(2026, 12, 7, 18, 0, tzinfo=PARIS)
    assert _sweep(monday, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []

    tuesday = datetime.datetime(2026, 12, 8, 10, 1, tzinfo=PARIS)
    assert _sweep(tuesday, django_capture_on_commit_callbacks) == 1
    assert _sweep(tuesday + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == 0

    assert [m.to for m in mail.outbox] == [["equipe@support.test"]]
    assert request.number in mail.outbox[0].subject
    request.refresh_from_db()
    assert request.status == S.NEW  # a flag does not move the request
    assert _deadline(request, "first_answer").state == DeadlineState.FIRED
    [late] = support_request_deadlines(support_request=request)
    assert late.late
    assert "En retard" in late.text


def test_taking_a_request_in_charge_in_time_cancels_the_flag(
    supplier: User, agent: User, category: RequestCategory, django_capture_on_commit_callbacks
):
    request = _open(supplier, category)
    with time_machine.travel(FRIDAY + datetime.timedelta(hours=2), tick=False):
        support_request_set_status(
            actor=Actor(user=agent), request_id=request.pk, status=S.IN_PROGRESS
        )
    mail.outbox.clear()

    assert _sweep(FRIDAY + datetime.timedelta(days=30), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert _deadline(request, "first_answer").state == DeadlineState.CANCELLED


def test_a_request_waiting_on_its_requester_is_solved_then_closed_tacitly_once_each(
    supplier: User, agent: User, category: RequestCategory, django_capture_on_commit_callbacks
):
    request = _open(supplier, category)
    start = FRIDAY + datetime.timedelta(hours=1)
    with time_machine.travel(start, tick=False):
        support_request_set_status(
            actor=Actor(user=agent), request_id=request.pk, status=S.WAITING_FOR_USER
        )
    mail.outbox.clear()

    assert (
        _sweep(start + datetime.timedelta(days=15, minutes=-1), django_capture_on_commit_callbacks)
        == 0
    )
    request.refresh_from_db()
    assert request.status == S.WAITING_FOR_USER

    solved_at = start + datetime.timedelta(days=15, minutes=1)
    assert _sweep(solved_at, django_capture_on_commit_callbacks) == 1
    assert _sweep(solved_at + datetime.timedelta(hours=1), django_capture_on_commit_callbacks) == 0
    request.refresh_from_db()
    assert request.status == S.SOLVED
    event = request.events.filter(to_status=S.SOLVED).get()
    assert event.user is None
    assert event.system_reason == "deadline requester_silent"
    assert [m.to for m in mail.outbox] == [[supplier.email]]

    closed_at = solved_at + datetime.timedelta(days=7, minutes=1)
    assert _sweep(closed_at, django_capture_on_commit_callbacks) == 1
    request.refresh_from_db()
    assert request.status == S.CLOSED
    assert request.events.filter(to_status=S.CLOSED).count() == 1


def test_no_tacit_step_when_the_requester_answered_in_time(
    supplier: User, agent: User, category: RequestCategory, django_capture_on_commit_callbacks
):
    request = _open(supplier, category)
    with time_machine.travel(FRIDAY, tick=False):
        support_request_set_status(
            actor=Actor(user=agent), request_id=request.pk, status=S.WAITING_FOR_USER
        )
    with time_machine.travel(FRIDAY + datetime.timedelta(days=3), tick=False):
        support_request_reply(actor=Actor(user=supplier), request_id=request.pk, body="Voici.")

    assert _sweep(FRIDAY + datetime.timedelta(days=16), django_capture_on_commit_callbacks) == 0
    request.refresh_from_db()
    assert request.status == S.IN_PROGRESS
    assert _deadline(request, "requester_silent").state == DeadlineState.CANCELLED


def test_asking_for_the_current_status_is_refused(agent: User, support_request: SupportRequest):
    with pytest.raises(TransitionNotAllowed) as refused:
        support_request_transition(
            request_id=support_request.pk, to=support_request.status, actor=Actor(user=agent)
        )

    assert refused.value.code == "TRANSITION_NOT_ALLOWED"


def test_both_sides_see_the_running_deadline_beforehand(
    supplier: User, agent: User, support_request: SupportRequest
):
    support_request_set_status(
        actor=Actor(user=agent), request_id=support_request.pk, status=S.WAITING_FOR_USER
    )
    pages = [
        logged_in(supplier).get(reverse("support:request_detail", args=[support_request.number])),
        logged_in(agent).get(
            reverse("support:agent_request_detail", args=[support_request.number])
        ),
    ]

    for page in pages:
        html = page.content.decode()
        assert 'data-deadline="requester_silent"' in html
        assert "considérée comme résolue" in html
