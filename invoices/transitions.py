"""The invoice lifecycle as data: one transition table, who may take each edge, and order.

Reference: shared/reference/chorus-pro.md §4.2. The recipient's processing steps
(PRISE_EN_COMPTE_DESTINATAIRE → SERVICE_FAIT → MANDATEE → MISE_A_DISPOSITION_COMPTABLE →
COMPTABILISEE → MISE_EN_PAIEMENT) are each optional and only go forward: after a suspension is
completed, processing resumes at or after the step reached before it. The writer that applies
a transition (row lock, event row, notification on commit) lives next to the models; the
database enforces the same pairs with a trigger built from :data:`TRANSITION_PAIRS`.
The writer that applies a transition is :func:`invoices.lifecycle.invoice_transition`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from invoices.choices import InvoiceStatus

S = InvoiceStatus


class Side(StrEnum):
    """Who may take a transition."""

    SUPPLIER = "supplier"
    RECIPIENT = "recipient"
    SYSTEM = "system"


SIDE_LABELS = {
    Side.SUPPLIER: gettext_lazy("supplier"),
    Side.RECIPIENT: gettext_lazy("recipient"),
    Side.SYSTEM: gettext_lazy("platform"),
}

# The recipient's optional processing steps, in their only allowed order.
PROCESSING_STEPS: tuple[InvoiceStatus, ...] = (
    S.TAKEN_INTO_ACCOUNT,
    S.SERVICE_DONE,
    S.MANDATED,
    S.PASSED_TO_ACCOUNTANT,
    S.ACCOUNTED,
    S.PAYMENT_SENT,
)
STEP_RANK: dict[str, int] = {status.value: rank for rank, status in enumerate(PROCESSING_STEPS)}

# States from which the recipient is processing (or may start processing) the invoice.
RECIPIENT_OPEN: frozenset[InvoiceStatus] = frozenset(
    {S.MADE_AVAILABLE, S.COMPLETED, *PROCESSING_STEPS[:-1]}
)

TERMINAL: frozenset[InvoiceStatus] = frozenset({S.REJECTED, S.PAYMENT_SENT})
# States in which the invoice waits on the supplier (shown in the supplier's work list).
AWAITING_SUPPLIER: frozenset[InvoiceStatus] = frozenset({S.TO_RECYCLE, S.SUSPENDED, S.REJECTED})
# Transitions that need a reason code (and accept a comment).
REASON_REQUIRED: frozenset[InvoiceStatus] = frozenset({S.SUSPENDED, S.REJECTED})


def _recipient_edges() -> dict[tuple[InvoiceStatus, InvoiceStatus], Side]:
    edges: dict[tuple[InvoiceStatus, InvoiceStatus], Side] = {}
    for source in RECIPIENT_OPEN:
        lowest = STEP_RANK.get(source.value, -1) + 1
        for step in PROCESSING_STEPS[lowest:]:
            edges[(source, step)] = Side.RECIPIENT
        edges[(source, S.SUSPENDED)] = Side.RECIPIENT
        edges[(source, S.REJECTED)] = Side.RECIPIENT
    # Wrong recipient data is sent back for re-routing before processing has really begun.
    edges[(S.MADE_AVAILABLE, S.TO_RECYCLE)] = Side.RECIPIENT
    edges[(S.TAKEN_INTO_ACCOUNT, S.TO_RECYCLE)] = Side.RECIPIENT
    edges[(S.SUSPENDED, S.REJECTED)] = Side.RECIPIENT
    return edges


TRANSITIONS: dict[tuple[InvoiceStatus, InvoiceStatus], Side] = {
    (S.DRAFT, S.DEPOSITED): Side.SUPPLIER,
    (S.DEPOSITED, S.ROUTING): Side.SYSTEM,
    (S.ROUTING, S.MADE_AVAILABLE): Side.SYSTEM,
    (S.SUSPENDED, S.COMPLETED): Side.SUPPLIER,
    # Re-routing keeps the invoice number and goes through routing again.
    (S.TO_RECYCLE, S.DEPOSITED): Side.SUPPLIER,
    **_recipient_edges(),
}
TRANSITION_PAIRS: tuple[tuple[str, str], ...] = tuple(
    sorted((source.value, target.value) for source, target in TRANSITIONS)
)


@dataclass(frozen=True)
class Refusal:
    """Why a transition is refused, in words a user understands (codes for the API)."""

    code: str
    message: str


def transition_refusal(
    *,
    current: str,
    target: str,
    side: Side,
    highest_step: str | None = None,
) -> Refusal | None:
    """Return why ``current → target`` by ``side`` is refused, or None when it is allowed.

    ``highest_step`` is the furthest processing step the invoice reached before a suspension:
    processing never goes back behind it.
    """
    edge_side = TRANSITIONS.get((S(current), S(target)))
    if edge_side is None:
        return Refusal(
            "TRANSITION_NOT_ALLOWED",
            _("An invoice in status %(current)s cannot move to %(target)s.")
            % {"current": current, "target": target},
        )
    if edge_side is not side:
        return Refusal(
            "TRANSITION_WRONG_SIDE",
            _("Only the %(side)s can move an invoice from %(current)s to %(target)s.")
            % {"side": SIDE_LABELS[edge_side], "current": current, "target": target},
        )
    if (
        highest_step is not None
        and target in STEP_RANK
        and highest_step in STEP_RANK
        and STEP_RANK[target] < STEP_RANK[highest_step]
    ):
        return Refusal(
            "TRANSITION_BACKWARDS",
            _("The invoice already reached %(step)s; it cannot go back to %(target)s.")
            % {"step": highest_step, "target": target},
        )
    return None


def allowed_targets(
    *, current: str, side: Side, highest_step: str | None = None
) -> list[InvoiceStatus]:
    """The statuses ``side`` may set from ``current``, in processing order (for forms)."""
    order = {status.value: index for index, status in enumerate(InvoiceStatus)}
    targets = [
        target
        for (source, target), edge_side in TRANSITIONS.items()
        if source.value == current
        and edge_side is side
        and transition_refusal(
            current=current, target=target.value, side=side, highest_step=highest_step
        )
        is None
    ]
    return sorted(targets, key=lambda status: order[status.value])
