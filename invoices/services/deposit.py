"""Receiving a deposit: the original bytes are stored unchanged before any acknowledgement.

Whatever the channel (portal upload, portal form, API, ``manage.py deposit``), a deposit
becomes one :class:`~invoices.models.Flow` holding the file, its SHA-256, size, channel,
depositor and time; processing is enqueued only once that row is committed.
"""

from __future__ import annotations

import hashlib
from typing import IO

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils.translation import gettext as _

from chorus.accounts.models import Structure
from chorus.core.actor import Actor
from chorus.core.audit import actor_context
from chorus.core.exceptions import DomainError, PermissionDeniedError
from invoices.choices import DepositMode
from invoices.models import Flow
from invoices.services.limits import MAX_DEPOSIT_BYTES


class DepositRefused(DomainError):
    """The upload itself is refused (nothing stored): empty or larger than the limit."""


def flow_receive(
    *,
    actor: Actor,
    structure: Structure,
    mode: DepositMode,
    name: str,
    content: bytes | IO[bytes],
) -> Flow:
    """Store a deposit and enqueue its processing on commit; return the committed flow."""
    depositor = actor.user
    if depositor is None:
        raise PermissionDeniedError(_("A deposit needs a signed-in user."))
    if not structure.is_active:
        raise DepositRefused(
            _("Your structure is inactive: it can no longer deposit invoices."),
            code="STRUCTURE_INACTIVE",
        )
    data = content if isinstance(content, bytes) else content.read(MAX_DEPOSIT_BYTES + 1)
    if not data:
        raise DepositRefused(_("The file %(name)s is empty.") % {"name": name}, code="EMPTY")
    if len(data) > MAX_DEPOSIT_BYTES:
        raise DepositRefused(
            _("The file %(name)s is larger than 120 MB, the limit of one deposit: split it.")
            % {"name": name},
            code="TOO_LARGE",
        )
    clean_name = name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "depot"
    with transaction.atomic(), actor_context(actor):
        flow = Flow(
            mode=mode,
            original_name=clean_name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            depositor=depositor,
            on_behalf_of=actor.on_behalf_of,
            structure=structure,
        )
        flow.file.save(clean_name, _as_file(data), save=False)
        flow.save()
        from invoices.tasks import flow_process_task

        flow_id = flow.pk
        transaction.on_commit(lambda: flow_process_task.delay(flow_id), robust=True)
    return flow


def _as_file(data: bytes) -> File[bytes]:
    return ContentFile(data)
