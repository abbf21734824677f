"""Requests: lifecycle, replies both ways, notes, notifications, escalation, visibility."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from chorus.accounts.models import User
from chorus.core.actor import Actor
from chorus.core.exceptions import DomainError, PermissionDeniedError, TransitionNotAllowed
from chorus.testing.files import tiny_pdf
from support.choices import RequestStatus, SupportLevel
from support.lifecycle import ALLOWED, support_request_transition
from support.models import RequestCategory, SupportRequest
from support.selectors import (
    QueueFilters,
    support_request_get_for_requester,
    support_request_queue,
)
from support.services.requests import (
    support_request_assign,
    support_request_close,
    support_request_create,
    support_request_escalate,
    support_request_reply,
)
from support.tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_opening_a_request_numbers_it_and_acknowledges_by_email(
    supplier: User, category: RequestCategory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = support_request_create(
            actor=Actor(user=supplier),
            category_id=category.pk,
            subject="Question",
            body="Bonjour",
            document_reference="F-2026-0042",
            document_url="/factures/42/",
        )
        second = support_request_create(
            actor=Actor(user=supplier), category_id=category.pk, subject="Autre", body="…"
        )

    assert re.fullmatch(r"SOL-\d{4}-\d{6}", first.number)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
    assert first.status == RequestStatus.NEW
    assert first.document_reference == "F-2026-0042"
    assert [m.to for m in mail.outbox] == [[supplier.email], [supplier.email]]
    assert first.number in mail.outbox[0].subject


def test_category_default_level_routes_the_request(supplier: User):
    api = RequestCategory.objects.get(code="raccordement")
    support_request = support_request_create(
        actor=Actor(user=supplier), category_id=api.pk, subject="API", body="…"
    )
    assert support_request.level == SupportLevel.LEVEL_2


def test_full_lifecycle_with_replies_both_ways_and_email_notifications(
    supplier: User, agent: User, support_request: SupportRequest, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        support_request_assign(
            actor=Actor(user=agent), request_id=support_request.pk, assignee_id=agent.pk
        )
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.IN_PROGRESS

    with django_capture_on_commit_callbacks(execute=True):
        support_request_reply(
            actor=Actor(user=agent),
            request_id=support_request.pk,
            body="Pouvez-vous préciser ?",
            new_status=RequestStatus.WAITING_FOR_USER,
        )
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.WAITING_FOR_USER
    assert support_request.first_response_at is not None
    assert mail.outbox[-1].to == [supplier.email]

    with django_capture_on_commit_callbacks(execute=True):
        support_request_reply(actor=Actor(user=supplier), request_id=support_request.pk, body="Oui")
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.IN_PROGRESS
    assert mail.outbox[-1].to == [agent.email]

    support_request_reply(
        actor=Actor(user=agent),
        request_id=support_request.pk,
        body="C'est réglé.",
        new_status=RequestStatus.SOLVED,
    )
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.SOLVED
    assert support_request.solved_at is not None

    support_request_close(actor=Actor(user=supplier), request_id=support_request.pk)
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.CLOSED
    with pytest.raises(DomainError):
        support_request_reply(actor=Actor(user=supplier), request_id=support_request.pk, body="?")
    kinds = list(support_request.events.values_list("kind", flat=True))
    assert kinds[0] == "CREATED"
    assert "ASSIGNED" in kinds


def test_unsatisfied_requester_reopens_a_solved_request_by_replying(
    supplier: User, agent: User, support_request: SupportRequest
):
    support_request_reply(
        actor=Actor(user=agent),
        request_id=support_request.pk,
        body="Réglé",
        new_status=RequestStatus.SOLVED,
    )
    support_request_reply(
        actor=Actor(user=supplier), request_id=support_request.pk, body="Toujours bloqué"
    )
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.IN_PROGRESS
    assert support_request.solved_at is None


def test_internal_notes_are_hidden_from_the_requester_and_never_emailed(
    supplier: User, agent: User, support_request: SupportRequest, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        support_request_reply(
            actor=Actor(user=agent),
            request_id=support_request.pk,
            body="NOTE-INTERNE-SECRETE",
            internal=True,
        )

    assert mail.outbox == []
    support_request.refresh_from_db()
    assert support_request.first_response_at is None
    page = logged_in(supplier).get(reverse("support:request_detail", args=[support_request.number]))
    assert "NOTE-INTERNE-SECRETE" not in page.content.decode()
    agent_page = logged_in(agent).get(
        reverse("support:agent_request_detail", args=[support_request.number])
    )
    assert "NOTE-INTERNE-SECRETE" in agent_page.content.decode()


def test_requester_cannot_write_internal_notes_or_set_a_status(
    supplier: User, support_request: SupportRequest
):
    with pytest.raises(PermissionDeniedError):
        support_request_reply(
            actor=Actor(user=supplier), request_id=support_request.pk, body="x", internal=True
        )
    with pytest.raises(TransitionNotAllowed):
        support_request_transition(
            request_id=support_request.pk, to=RequestStatus.SOLVED, actor=Actor(user=supplier)
        )


def test_other_users_cannot_reply_nor_see_the_request(
    other_user: User, support_request: SupportRequest
):
    with pytest.raises(PermissionDeniedError):
        support_request_reply(actor=Actor(user=other_user), request_id=support_request.pk, body="x")
    with pytest.raises(Http404):
        support_request_get_for_requester(
            actor=Actor(user=other_user), number=support_request.number
        )
    response = logged_in(other_user).get(
        reverse("support:request_detail", args=[support_request.number])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("from_status", list(RequestStatus))
@pytest.mark.parametrize("to_status", list(RequestStatus))
def test_transition_table_is_enforced(
    agent: User, support_request: SupportRequest, from_status: str, to_status: str
):
    SupportRequest.objects.filter(pk=support_request.pk).update(status=from_status)
    if from_status == to_status:
        return
    if to_status in ALLOWED[from_status]:
        support_request_transition(
            request_id=support_request.pk, to=to_status, actor=Actor(user=agent)
        )
        support_request.refresh_from_db()
        assert support_request.status == to_status
    else:
        with pytest.raises(TransitionNotAllowed):
            support_request_transition(
                request_id=support_request.pk, to=to_status, actor=Actor(user=agent)
            )


def test_escalation_keeps_the_thread_and_moves_to_level_2(
    supplier: User, agent: User, agent_l2: User, support_request: SupportRequest
):
    support_request_assign(
        actor=Actor(user=agent), request_id=support_request.pk, assignee_id=agent.pk
    )
    support_request_reply(actor=Actor(user=agent), request_id=support_request.pk, body="Je regarde")
    messages_before = support_request.messages.count()

    support_request_escalate(
        actor=Actor(user=agent), request_id=support_request.pk, reason="Problème technique"
    )

    support_request.refresh_from_db()
    assert support_request.level == SupportLevel.LEVEL_2
    assert support_request.assignee is None
    assert support_request.messages.count() == messages_before + 1
    last = support_request.messages.last()
    assert last is not None
    assert last.is_internal_note
    level2 = support_request_queue(actor=Actor(user=agent_l2), filters=QueueFilters(level=2))
    assert support_request in level2
    level1 = support_request_queue(actor=Actor(user=agent), filters=QueueFilters(level=1))
    assert support_request not in level1
    with pytest.raises(DomainError):
        support_request_escalate(actor=Actor(user=agent), request_id=support_request.pk, reason="x")


def test_queue_filters(agent: User, supplier: User, support_request: SupportRequest):
    actor = Actor(user=agent)
    assert support_request in support_request_queue(actor=actor, filters=QueueFilters())
    assert support_request in support_request_queue(
        actor=actor, filters=QueueFilters(text=support_request.number)
    )
    assert support_request in support_request_queue(
        actor=actor, filters=QueueFilters(text="fanny@")
    )
    assert support_request not in support_request_queue(
        actor=actor, filters=QueueFilters(assignee="me")
    )
    assert support_request in support_request_queue(
        actor=actor, filters=QueueFilters(assignee="none", status=RequestStatus.NEW)
    )
    assert support_request not in support_request_queue(
        actor=actor, filters=QueueFilters(status=RequestStatus.SOLVED)
    )
    with pytest.raises(Http404):
        support_request_queue(actor=Actor(user=supplier), filters=QueueFilters())


def test_only_agents_can_be_assigned(agent: User, supplier: User, support_request: SupportRequest):
    with pytest.raises(DomainError):
        support_request_assign(
            actor=Actor(user=agent), request_id=support_request.pk, assignee_id=supplier.pk
        )
    with pytest.raises(PermissionDeniedError):
        support_request_assign(
            actor=Actor(user=supplier), request_id=support_request.pk, assignee_id=agent.pk
        )


def test_attachment_rules(supplier: User, category: RequestCategory):
    def create(upload: SimpleUploadedFile) -> SupportRequest:
        return support_request_create(
            actor=Actor(user=supplier),
            category_id=category.pk,
            subject="PJ",
            body="…",
            attachments=[upload],
        )

    with pytest.raises(DomainError):
        create(SimpleUploadedFile("virus.exe", b"MZ"))
    with pytest.raises(DomainError):
        create(SimpleUploadedFile("a" * 47 + ".pdf", tiny_pdf()))
    with pytest.raises(DomainError):
        create(SimpleUploadedFile("vide.pdf", b""))
    with pytest.raises(DomainError):
        create(SimpleUploadedFile("gros.pdf", b"0" * (10 * 1024 * 1024)))
    ok = create(SimpleUploadedFile("facture.pdf", tiny_pdf("test")))
    assert ok.messages.get().attachments.get().original_name == "facture.pdf"


def test_attachments_are_downloadable_by_the_requester_and_agents_only(
    supplier: User, other_user: User, agent: User, category: RequestCategory
):
    support_request = support_request_create(
        actor=Actor(user=supplier),
        category_id=category.pk,
        subject="PJ",
        body="…",
        attachments=[SimpleUploadedFile("facture.pdf", tiny_pdf("test"))],
    )
    attachment = support_request.messages.get().attachments.get()
    url = reverse("support:attachment_download", args=[attachment.pk])

    assert logged_in(supplier).get(url).status_code == 200
    assert logged_in(agent).get(url).status_code == 200
    assert logged_in(other_user).get(url).status_code == 404


def test_request_form_prefills_the_document_concerned(supplier: User):
    client = logged_in(supplier)
    page = client.get(
        reverse("support:request_create")
        + "?document=F-2026-0042&document_url=/factures/42/&from=/factures/42/"
    )
    assert page.status_code == 200
    assert page.context["form"].initial["document_reference"] == "F-2026-0042"
    assert page.context["form"].initial["document_url"] == "/factures/42/"

    evil = client.get(reverse("support:request_create") + "?document_url=//evil.example/")
    assert evil.context["form"].initial["document_url"] == ""


def test_request_opened_through_the_portal(supplier: User, category: RequestCategory):
    client = logged_in(supplier)
    response = client.post(
        reverse("support:request_create"),
        {
            "category": category.pk,
            "subject": "Connexion",
            "body": "Je suis bloqué",
            "attachments": [SimpleUploadedFile("capture.png", b"\x89PNG\r\n\x1a\n....")],
        },
    )
    support_request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("support:request_detail", args=[support_request.number])
    assert support_request.requester == supplier


def test_agent_reply_through_the_portal(agent: User, support_request: SupportRequest):
    client = logged_in(agent)
    response = client.post(
        reverse("support:agent_request_detail", args=[support_request.number]),
        {"body": "Voici la réponse", "new_status": RequestStatus.SOLVED},
    )
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.SOLVED
    assert support_request.assignee == agent
