"""Requests (sollicitations): open, reply both ways, notes, assignment, priority, escalation."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.circuits.writer import document_created
from chorus.core.exceptions import DomainError, PermissionDeniedError
from chorus.core.uploads import upload_content_check, upload_name_check
from support.choices import (
    ConversationOutcome,
    RequestEventKind,
    RequestPriority,
    RequestStatus,
    SupportLevel,
)
from support.circuit import SUPPORT_REQUEST
from support.lifecycle import support_request_transition
from support.models import (
    AssistantConversation,
    RequestCategory,
    SupportAttachment,
    SupportMessage,
    SupportRequest,
    SupportRequestEvent,
)
from support.permissions import actor_is_support, is_support_agent
from support.services._common import absolute_url, acting_agent, acting_user, send_on_commit

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from chorus.core.actor import Actor

# Chorus Pro's attachment rules (reference §2.3): extension list, name ≤ 50, < 10 MB, not empty.
ALLOWED_EXTENSIONS = frozenset(
    {
        "bmp",
        "gif",
        "fax",
        "odt",
        "ppt",
        "tiff",
        "xls",
        "bz2",
        "gz",
        "jpeg",
        "p7s",
        "rtf",
        "txt",
        "xml",
        "csv",
        "gzip",
        "jpg",
        "pdf",
        "svg",
        "xhtml",
        "xlsx",
        "doc",
        "htm",
        "odp",
        "png",
        "tgz",
        "xlc",
        "zip",
        "docx",
        "html",
        "ods",
        "pps",
        "tif",
        "xlm",
        "pptx",
    }
)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAX_NAME_LENGTH = 50


def attachment_check(upload: UploadedFile) -> None:
    """Raise :class:`DomainError` with a message naming the file when a rule is broken."""
    name = upload_name_check(upload.name or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise DomainError(_("%(name)s: this type of file is not accepted.") % {"name": name})
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(
            _("%(name)s: the file name must be 50 characters or fewer.") % {"name": name}
        )
    if not upload.size:
        raise DomainError(_("%(name)s: the file is empty.") % {"name": name})
    if upload.size >= MAX_ATTACHMENT_BYTES:
        raise DomainError(_("%(name)s: each file must be under 10 MB.") % {"name": name})
    upload.seek(0)
    upload_content_check(name, upload.read())
    upload.seek(0)


def _number_next() -> str:
    year = timezone.localdate().year
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO support_requestnumbercounter (year, last) VALUES (%s, 1) "
            "ON CONFLICT (year) DO UPDATE SET last = support_requestnumbercounter.last + 1 "
            "RETURNING last",
            [year],
        )
        (last,) = cursor.fetchone()
    return f"SOL-{year}-{last:06d}"


def _add_message(
    *,
    support_request: SupportRequest,
    actor: Actor,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    from_support: bool,
    internal: bool = False,
) -> SupportMessage:
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(_("At most 5 files per message."))
    for upload in attachments:
        attachment_check(upload)
    author = actor.user or actor.effective_user
    assert author is not None  # noqa: S101 (acting_user checked it)
    message = SupportMessage.objects.create(
        request=support_request,
        author=author,
        on_behalf_of=actor.on_behalf_of,
        from_support=from_support,
        is_internal_note=internal,
        body=body,
    )
    for upload in attachments:
        SupportAttachment.objects.create(
            message=message,
            file=upload,
            original_name=PurePosixPath(upload.name or "").name,
            content_type=(getattr(upload, "content_type", "") or "")[:100],
            size=upload.size or 0,
        )
    return message


def _event(
    support_request: SupportRequest,
    actor: Actor,
    kind: str,
    from_value: object = "",
    to_value: object = "",
    note: str = "",
) -> None:
    """A timeline entry that is not a status change (those are the kernel's)."""
    SupportRequestEvent.objects.create(
        request=support_request,
        kind=kind,
        from_status=str(from_value or ""),
        to_status=str(to_value or ""),
        user=actor.user,
        on_behalf_of=actor.on_behalf_of,
        system_reason=actor.system_reason,
        comment=note,
    )


def _notify(message: SupportMessage) -> None:
    """E-mail the other side of the thread after commit; internal notes are never sent."""
    if message.is_internal_note:
        return
    support_request = message.request
    if message.from_support:
        send_on_commit(
            template="reply_to_requester",
            context={
                "support_request": support_request,
                "url": absolute_url("support:request_detail", number=support_request.number),
            },
            recipients=[support_request.requester.email],
        )
        return
    recipients = [support_request.assignee.email] if support_request.assignee else []
    if not recipients and settings.CHORUS_SUPPORT_TEAM_EMAIL:
        recipients = [settings.CHORUS_SUPPORT_TEAM_EMAIL]
    send_on_commit(
        template="reply_to_support",
        context={
            "support_request": support_request,
            "url": absolute_url("support:agent_request_detail", number=support_request.number),
        },
        recipients=recipients,
    )


@transaction.atomic
def support_request_create(
    *,
    actor: Actor,
    category_id: int,
    subject: str,
    body: str,
    subcategory_id: int | None = None,
    structure_id: int | None = None,
    attachments: Sequence[UploadedFile] = (),
    document_reference: str = "",
    document_url: str = "",
    source_url: str = "",
    conversation_id: int | None = None,
) -> SupportRequest:
    """Open a request for the actor's (effective) user, acknowledged by e-mail."""
    requester = acting_user(actor)
    category = RequestCategory.objects.filter(
        pk=category_id, parent__isnull=True, is_active=True
    ).first()
    if category is None:
        raise DomainError(_("Choose a category."), code="category")
    subcategory = None
    if subcategory_id is not None:
        subcategory = RequestCategory.objects.filter(
            pk=subcategory_id, parent=category, is_active=True
        ).first()
        if subcategory is None:
            raise DomainError(_("This sub-category does not belong to the category."))
    subject = " ".join(subject.split())
    if not subject or not body.strip():
        raise DomainError(_("A subject and a message are required."))
    conversation = None
    if conversation_id is not None:
        conversation = (
            AssistantConversation.objects.select_for_update(of=("self",))
            .filter(pk=conversation_id, user=requester, support_request__isnull=True)
            .first()
        )
        if conversation is None:
            raise DomainError(_("This assistant conversation cannot be handed over."))
    level = (subcategory or category).default_level
    support_request = SupportRequest.objects.create(
        number=_number_next(),
        requester=requester,
        structure_id=structure_id,
        category=category,
        subcategory=subcategory,
        subject=subject[:200],
        level=level,
        document_reference=document_reference[:120],
        document_url=document_url[:500],
        source_url=source_url[:500],
        conversation=conversation,
    )
    _event(support_request, actor, RequestEventKind.CREATED, to_value=RequestStatus.NEW)
    document_created(SUPPORT_REQUEST, support_request)
    text = body.strip()
    if conversation is not None:
        transcript = "\n".join(
            f"— {turn.question}" + (_(" (not solved)") if turn.solved is False else "")
            for turn in conversation.turns.all()
        )
        text = f"{text}\n\n{_('Conversation with the assistant:')}\n{transcript}"
        conversation.outcome = ConversationOutcome.HANDED_OVER
        conversation.ended_at = timezone.now()
        conversation.save(update_fields=["outcome", "ended_at"])
    message = _add_message(
        support_request=support_request,
        actor=actor,
        body=text,
        attachments=attachments,
        from_support=False,
    )
    send_on_commit(
        template="request_created",
        context={
            "support_request": support_request,
            "url": absolute_url("support:request_detail", number=support_request.number),
        },
        recipients=[requester.email],
    )
    _notify(message)
    return support_request


@transaction.atomic
def support_request_reply(
    *,
    actor: Actor,
    request_id: int,
    body: str,
    attachments: Sequence[UploadedFile] = (),
    internal: bool = False,
    new_status: str = "",
) -> SupportMessage:
    """Add a reply (or, for agents, an internal note) and move the status accordingly.

    The requester's reply re-opens a request waiting for them or solved; an agent's first
    public reply sets the first-response time and takes the request if nobody had it.
    """
    support_request = SupportRequest.objects.select_for_update().get(pk=request_id)
    if support_request.status == RequestStatus.CLOSED:
        raise DomainError(_("This request is closed; open a new one."), code="closed")
    if not body.strip():
        raise DomainError(_("Write a message."))
    from_support = actor_is_support(actor)
    if not from_support:
        user = acting_user(actor)
        if user.pk != support_request.requester_id:
            raise PermissionDeniedError(_("You cannot reply to this request."))
        if internal or new_status:
            raise PermissionDeniedError(_("Only support can do this."))
    message = _add_message(
        support_request=support_request,
        actor=actor,
        body=body.strip(),
        attachments=attachments,
        from_support=from_support,
        internal=internal,
    )
    now = timezone.now()
    support_request.updated_at = now
    fields = ["updated_at"]
    if from_support and not internal:
        if support_request.first_response_at is None:
            support_request.first_response_at = now
            fields.append("first_response_at")
        if support_request.assignee_id is None:
            support_request.assignee = actor.user
            fields.append("assignee")
    support_request.save(update_fields=fields)
    target = new_status
    if not target and support_request.status == RequestStatus.NEW and from_support:
        target = RequestStatus.IN_PROGRESS
    if not from_support and support_request.status in {
        RequestStatus.WAITING_FOR_USER,
        RequestStatus.SOLVED,
    }:
        target = RequestStatus.IN_PROGRESS
    if target and target != support_request.status:
        support_request_transition(request_id=support_request.pk, to=target, actor=actor)
    _notify(message)
    return message


@transaction.atomic
def support_request_close(*, actor: Actor, request_id: int) -> SupportRequest:
    return support_request_transition(request_id=request_id, to=RequestStatus.CLOSED, actor=actor)


@transaction.atomic
def support_request_set_status(*, actor: Actor, request_id: int, status: str) -> SupportRequest:
    acting_agent(actor)
    return support_request_transition(request_id=request_id, to=status, actor=actor)


@transaction.atomic
def support_request_assign(
    *, actor: Actor, request_id: int, assignee_id: int | None
) -> SupportRequest:
    """Give the request to an agent (or to nobody); a new request becomes in progress."""
    acting_agent(actor)
    support_request = SupportRequest.objects.select_for_update().get(pk=request_id)
    assignee = None
    if assignee_id is not None:
        assignee = User.objects.filter(pk=assignee_id).first()
        if not is_support_agent(assignee):
            raise DomainError(_("Requests can only be assigned to support agents."))
    if support_request.assignee_id == (assignee.pk if assignee else None):
        return support_request
    _event(
        support_request,
        actor,
        RequestEventKind.ASSIGNED,
        support_request.assignee.email if support_request.assignee else "",
        assignee.email if assignee else "",
    )
    support_request.assignee = assignee
    support_request.updated_at = timezone.now()
    support_request.save(update_fields=["assignee", "updated_at"])
    if assignee is not None and support_request.status == RequestStatus.NEW:
        support_request = support_request_transition(
            request_id=request_id, to=RequestStatus.IN_PROGRESS, actor=actor
        )
    return support_request


@transaction.atomic
def support_request_set_priority(*, actor: Actor, request_id: int, priority: int) -> SupportRequest:
    acting_agent(actor)
    if priority not in RequestPriority.values:
        raise DomainError(_("Unknown priority."))
    support_request = SupportRequest.objects.select_for_update().get(pk=request_id)
    if support_request.priority != priority:
        _event(
            support_request, actor, RequestEventKind.PRIORITY, support_request.priority, priority
        )
        support_request.priority = priority
        support_request.updated_at = timezone.now()
        support_request.save(update_fields=["priority", "updated_at"])
    return support_request


@transaction.atomic
def support_request_escalate(*, actor: Actor, request_id: int, reason: str) -> SupportRequest:
    """Send a level-1 request to level 2: same request, same thread, an internal note why."""
    acting_agent(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the request goes to level 2."), code="reason")
    support_request = SupportRequest.objects.select_for_update().get(pk=request_id)
    if support_request.level == SupportLevel.LEVEL_2:
        raise DomainError(_("This request is already at level 2."))
    if support_request.status == RequestStatus.CLOSED:
        raise DomainError(_("This request is closed."))
    _event(support_request, actor, RequestEventKind.ESCALATED, 1, 2, note=reason)
    _add_message(
        support_request=support_request,
        actor=actor,
        body=_("Escalated to level 2: %(reason)s") % {"reason": reason},
        from_support=True,
        internal=True,
    )
    support_request.level = SupportLevel.LEVEL_2
    support_request.assignee = None
    support_request.updated_at = timezone.now()
    support_request.save(update_fields=["level", "assignee", "updated_at"])
    if support_request.status in {RequestStatus.SOLVED, RequestStatus.WAITING_FOR_USER}:
        support_request = support_request_transition(
            request_id=request_id, to=RequestStatus.IN_PROGRESS, actor=actor
        )
    return support_request
