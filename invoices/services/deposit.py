"""Receiving a deposit: the original bytes are stored unchanged before any acknowledgement.

Whatever the channel (portal upload, portal form, API, ``manage.py deposit``), a deposit
becomes one :class:`~invoices.models.Flow` holding the file, its SHA-256, size, channel,
depositor and time; processing is enqueued only once that row is committed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
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
from invoices.services.limits import FLOWS_PER_TASK, MAX_DEPOSIT_BYTES


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
    return flows_receive(actor=actor, structure=structure, mode=mode, files=[(name, content)])[0]


def flows_receive(
    *,
    actor: Actor,
    structure: Structure,
    mode: DepositMode,
    files: Sequence[tuple[str, bytes | IO[bytes]]],
) -> list[Flow]:
    """Store several deposits at once (one flow each) and enqueue their processing in batches.

    For the channels that receive many files in one call (batch command, API, benchmark):
    one transaction and one bulk insert for all, one task per :data:`FLOWS_PER_TASK` flows.
    A refused file (empty, too large) refuses the whole call before anything is stored, so
    the caller never has to guess which files went through.
    """
    depositor = actor.user
    if depositor is None:
        raise PermissionDeniedError(_("A deposit needs a signed-in user."))
    if not structure.is_active:
        raise DepositRefused(
            _("Your structure is inactive: it can no longer deposit invoices."),
            code="STRUCTURE_INACTIVE",
        )
    received: list[tuple[str, bytes]] = []
    for name, content in files:
        data = content if isinstance(content, bytes) else content.read(MAX_DEPOSIT_BYTES + 1)
        if not data:
            raise DepositRefused(_("The file %(name)s is empty.") % {"name": name}, code="EMPTY")
        if len(data) > MAX_DEPOSIT_BYTES:
            raise DepositRefused(
                _("The file %(name)s is larger than 120 MB, the limit of one deposit: split it.")
                % {"name": name},
                code="TOO_LARGE",
            )
        received.append((name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "depot", data))
    with transaction.atomic(), actor_context(actor):
        flows = []
        for clean_name, data in received:
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
            flows.append(flow)
        Flow.objects.bulk_create(flows)
        from invoices.tasks import flow_process_task, flows_process_task

        ids = [flow.pk for flow in flows]
        if len(ids) == 1:
            flow_id = ids[0]
            transaction.on_commit(lambda: flow_process_task.delay(flow_id), robust=True)
        else:
            for start in range(0, len(ids), FLOWS_PER_TASK):
                chunk = ids[start : start + FLOWS_PER_TASK]
                transaction.on_commit(
                    lambda chunk=chunk: flows_process_task.delay(chunk),  # type: ignore[misc]
                    robust=True,
                )
    return flows


def _as_file(data: bytes) -> File[bytes]:
    return ContentFile(data)
