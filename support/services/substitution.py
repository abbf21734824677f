"""Substitution: a support agent acting as a user, time-boxed and audited (security.md H1-H7).

The browser side (django-hijack's login swap) lives in ``support.substitution``; these
services own the audit rows: the session (who, for whom, why, until when, how it ended) and
the append-only events (every page and change made while it lasted).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.core.exceptions import DomainError, PermissionDeniedError
from support.choices import SubstitutionEndCause
from support.models import (
    SubstitutionActMode,
    SubstitutionEvent,
    SubstitutionSession,
    SupportRequest,
)
from support.permissions import may_substitute
from support.services._common import absolute_url, acting_agent, render_mail

if TYPE_CHECKING:
    from chorus.core.actor import Actor

REQUEST_NUMBER_RE = re.compile(r"\bSOL-\d{4}-\d{6}\b", re.IGNORECASE)


def substitution_duration() -> timedelta:
    return timedelta(minutes=int(settings.CHORUS_SUBSTITUTION_MINUTES))


@transaction.atomic
def substitution_start(*, actor: Actor, user_id: int, reason: str) -> SubstitutionSession:
    """Open the audit session of ``actor``'s agent acting as ``user_id``.

    Refused unless the agent is an active support agent acting as themselves and the target
    is an active ordinary user (not staff, administrator or agent); a reason is required.
    Any session the agent left open is closed first: one substitution at a time.
    """
    agent = acting_agent(actor)
    target = User.objects.select_for_update().filter(pk=user_id).first()
    if target is None or not may_substitute(agent=agent, target=target):
        raise PermissionDeniedError(_("You may not act on behalf of this user."))
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError(_("Give the reason for acting on behalf of this user."), code="reason")
    now = timezone.now()
    for open_session in SubstitutionSession.objects.filter(agent=agent, ended_at__isnull=True):
        substitution_end(session_id=open_session.pk, cause=SubstitutionEndCause.INVALID)
    match = REQUEST_NUMBER_RE.search(reason)
    support_request = (
        SupportRequest.objects.filter(number=match.group(0).upper()).first() if match else None
    )
    return SubstitutionSession.objects.create(
        agent=agent,
        user=target,
        reason=reason[:255],
        support_request=support_request,
        started_at=now,
        ends_at=now + substitution_duration(),
    )


def substitution_end(*, session_id: int, cause: str) -> bool:
    """End the session once (compare-and-set); the user is told by e-mail after commit.

    Returns False when it had already ended. An overdue session ends at its planned time.
    """
    with transaction.atomic():
        session = SubstitutionSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None or session.ended_at is not None:
            return False
        now = timezone.now()
        session.ended_at = min(now, session.ends_at)
        session.end_cause = cause
        session.save(update_fields=["ended_at", "end_cause"])
        transaction.on_commit(lambda: substitution_notify_user(session_id=session_id))
    return True


def substitution_end_for_pair(*, agent_id: int, user_id: int, cause: str) -> int:
    """End every open session of ``agent_id`` acting as ``user_id`` (release, logout)."""
    ids = list(
        SubstitutionSession.objects.filter(
            agent_id=agent_id, user_id=user_id, ended_at__isnull=True
        ).values_list("pk", flat=True)
    )
    return sum(substitution_end(session_id=pk, cause=cause) for pk in ids)


def substitution_expire_overdue(*, batch_size: int = 200) -> int:
    """End sessions past their time whose agent never came back (closed browser)."""
    ids = list(
        SubstitutionSession.objects.filter(
            ended_at__isnull=True, ends_at__lte=timezone.now()
        ).values_list("pk", flat=True)[:batch_size]
    )
    return sum(substitution_end(session_id=pk, cause=SubstitutionEndCause.EXPIRED) for pk in ids)


def substitution_notify_user(*, session_id: int) -> bool:
    """Tell the user support acted on their account; at most once per session."""
    claimed = SubstitutionSession.objects.filter(
        pk=session_id, ended_at__isnull=False, notified_at__isnull=True
    ).update(notified_at=timezone.now())
    if not claimed:
        return False
    session = SubstitutionSession.objects.select_related("agent", "user").get(pk=session_id)
    changes = list(session.events.filter(is_change=True))
    subject, body = render_mail(
        "substitution_ended",
        {
            "session": session,
            "changes": changes,
            "history_url": absolute_url("support:my_substitutions"),
        },
    )
    send_mail(subject, body, None, [session.user.email])
    return True


def substitution_act_for_user(
    *, session: SubstitutionSession, agent_id: int, reason: str
) -> SubstitutionActMode:
    """Switch an open substitution from read-only to "act for the user", once, with a reason."""
    reason = reason.strip()[:255]
    if not reason:
        raise DomainError(
            _("Give the reason for changing data on behalf of this user."), code="REASON_REQUIRED"
        )
    if session.agent_id != agent_id or not session.is_active:
        raise PermissionDeniedError(_("This substitution is over."), code="SUBSTITUTION_OVER")
    mode, _created = SubstitutionActMode.objects.get_or_create(
        session=session, defaults={"reason": reason}
    )
    return mode


def substitution_record_event(
    *, session_id: int, method: str, path: str, status_code: int, refused: bool = False
) -> SubstitutionEvent:
    """Append a page visited (GET) or a change made (any other method that was not
    ``refused`` before reaching its view, nor answered with an error)."""
    changed = method.upper() not in {"GET", "HEAD", "OPTIONS", "TRACE"}
    return SubstitutionEvent.objects.create(
        session_id=session_id,
        method=method[:10],
        path=path[:500],
        status_code=status_code,
        is_change=changed and not refused and status_code < 400,
    )
