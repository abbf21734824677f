"""Receiving a deposit: the original bytes are stored unchanged before any acknowledgement.

Whatever the channel (portal upload, portal form, API, ``manage.py deposit``), a deposit
becomes one :class:`~invoices.models.Flow` holding the file, its SHA-256, size, channel,
depositor and time; processing is enqueued only once that row is committed.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import Structure
from chorus.core.actor import Actor
from chorus.core.audit import actor_context
from chorus.core.exceptions import DomainError, PermissionDeniedError
from invoices.choices import DepositMode, FlowStatus
from invoices.models import DepositKey, Flow
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
    syntax: str = "",
) -> Flow:
    """Store a deposit and enqueue its processing on commit; return the committed flow.

    ``syntax`` is the ``syntaxeFlux`` the depositor declared (API), shown until processing
    records the syntax it read.
    """
    return flows_receive(
        actor=actor, structure=structure, mode=mode, files=[(name, content)], syntax=syntax
    )[0]


def flows_receive(
    *,
    actor: Actor,
    structure: Structure,
    mode: DepositMode,
    files: Sequence[tuple[str, bytes | IO[bytes]]],
    syntax: str = "",
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
        received.append((_clean_name(name), data))
    with transaction.atomic(), actor_context(actor):
        flows = []
        for clean_name, data in received:
            flow = Flow(
                mode=mode,
                syntax=syntax,
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


# How long a re-posted deposit answers the first one (issue 12 item 6).
IDEMPOTENCY_WINDOW = datetime.timedelta(hours=24)
# A deposit that ended like this is to be sent again: re-posting it makes a new flow.
RESEND_STATUSES = (FlowStatus.REJECTED, FlowStatus.INCIDENT)


@dataclass(frozen=True)
class Receipt:
    """The flow a deposit made, or the earlier one it repeats (``replayed``)."""

    flow: Flow
    replayed: bool


def deposit_keys(*, name: str, data: bytes, idempotency_key: str = "") -> dict[str, str]:
    """The keys that make two deposits of one structure the same one."""
    digest = hashlib.sha256(hashlib.sha256(data).digest() + name.encode()).hexdigest()
    keys = {"content": f"content:{digest}"}
    if idempotency_key:
        keys["header"] = f"header:{idempotency_key}"
    return keys


def flow_receive_once(
    *,
    actor: Actor,
    structure: Structure,
    mode: DepositMode,
    name: str,
    content: bytes,
    syntax: str = "",
    idempotency_key: str = "",
) -> Receipt:
    """:func:`flow_receive`, unless the same deposit came within 24 h: then its first flow.

    The same deposit is the same bytes under the same name, or the same
    ``idempotency_key``; a key already used for other bytes is refused rather than
    answered with a flow that is not the caller's. Race-safe through
    :class:`~invoices.models.DepositKey`'s unique index (see there).
    """
    keys = deposit_keys(name=name, data=content, idempotency_key=idempotency_key)
    sha256 = hashlib.sha256(content).hexdigest()
    for _attempt in range(3):
        earlier = _earlier_deposit(structure, keys, sha256=sha256, name=name)
        if earlier is not None:
            return Receipt(flow=earlier, replayed=True)
        try:
            with transaction.atomic():
                now = timezone.now()
                DepositKey.objects.filter(structure=structure, key__in=keys.values()).filter(
                    Q(created_at__lt=now - IDEMPOTENCY_WINDOW) | Q(flow__status__in=RESEND_STATUSES)
                ).delete()
                DepositKey.objects.bulk_create(
                    [DepositKey(structure=structure, key=k, created_at=now) for k in keys.values()]
                )
                flow = flow_receive(
                    actor=actor,
                    structure=structure,
                    mode=mode,
                    name=name,
                    content=content,
                    syntax=syntax,
                )
                DepositKey.objects.filter(structure=structure, key__in=keys.values()).update(
                    flow=flow
                )
        except IntegrityError:
            continue  # a concurrent identical deposit won: answer its flow
        return Receipt(flow=flow, replayed=False)
    raise DomainError(
        _("This deposit is being received by another call: ask again in a moment."),
        code="DEPOSIT_IN_PROGRESS",
    )


def _earlier_deposit(
    structure: Structure, keys: dict[str, str], *, sha256: str, name: str
) -> Flow | None:
    found = {
        row.key: row.flow
        for row in DepositKey.objects.filter(
            structure=structure,
            key__in=keys.values(),
            flow__isnull=False,
            created_at__gte=timezone.now() - IDEMPOTENCY_WINDOW,
        )
        .exclude(flow__status__in=RESEND_STATUSES)
        .select_related("flow")
    }
    header = found.get(keys.get("header", ""))
    if header is not None:
        if header.sha256 != sha256 or header.original_name != _clean_name(name):
            raise DomainError(
                _(
                    "This Idempotency-Key was already used for another file (deposit "
                    "%(number)s): use a new key for a new deposit."
                )
                % {"number": header.number},
                code="IDEMPOTENCY_KEY_REUSED",
            )
        return header
    return found.get(keys["content"])


def _clean_name(name: str) -> str:
    """The name a flow keeps of an uploaded file: no folders, at most 255 characters."""
    return name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "depot"


def _as_file(data: bytes) -> File[bytes]:
    return ContentFile(data)
