"""What support does when one of its circuit's deadlines expires: tell the roles named.

Registered as the support-request circuit's deadline hook (``SupportConfig.ready``); the
kernel's sweeper calls it once per expired deadline, after commit.
"""

from __future__ import annotations

from django.conf import settings

from chorus.circuits.declaration import Deadline
from chorus.circuits.models import CircuitDeadline
from chorus.circuits.roles import Role
from support.models import SupportRequest
from support.services._common import absolute_url, send_mail_now


def support_deadline_expired(deadline: Deadline, row: CircuitDeadline) -> None:
    request = (
        SupportRequest.objects.select_related("requester", "assignee")
        .filter(pk=row.object_id)
        .first()
    )
    if request is None:
        return
    context = {"support_request": request, "deadline": deadline.name, "tacit": deadline.tacit}
    if Role.SUPPORT in deadline.notify:
        recipients = [request.assignee.email] if request.assignee else []
        if not recipients and settings.CHORUS_SUPPORT_TEAM_EMAIL:
            recipients = [settings.CHORUS_SUPPORT_TEAM_EMAIL]
        send_mail_now(
            template="deadline_to_support",
            context={
                **context,
                "url": absolute_url("support:agent_request_detail", number=request.number),
            },
            recipients=recipients,
        )
    if Role.REQUESTER in deadline.notify:
        send_mail_now(
            template="deadline_to_requester",
            context={
                **context,
                "url": absolute_url("support:request_detail", number=request.number),
            },
            recipients=[request.requester.email],
        )
