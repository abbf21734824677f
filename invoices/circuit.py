"""The invoice and deposit-flow circuits, declared for the kernel (``chorus.circuits``).

Reference: shared/reference/chorus-pro.md §4.2. The recipient's processing steps
(PRISE_EN_COMPTE_DESTINATAIRE → SERVICE_FAIT → MANDATEE → MISE_A_DISPOSITION_COMPTABLE →
COMPTABILISEE → MISE_EN_PAIEMENT) are each optional and only go forward: after a suspension is
completed, processing resumes at or after the step reached before it (the one invoice rule the
edges cannot say, :func:`transition_refusal` adds it). The writer is
:func:`invoices.lifecycle.invoice_transition`; the database enforces the same pairs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from chorus.accounts.choices import Area
from chorus.circuits.declaration import Circuit, Group, Party, Refusal
from chorus.circuits.registry import register
from chorus.circuits.roles import Role
from invoices.choices import REFORM_LIFECYCLE_CODE, FlowStatus, InvoiceStatus

S = InvoiceStatus
SUPPLIER, RECIPIENT, PLATFORM = Role.SUPPLIER, Role.RECIPIENT, Role.PLATFORM

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
# Platform-internal routing steps: nobody is notified of them one by one.
QUIET_STATUSES: frozenset[InvoiceStatus] = frozenset({S.DEPOSITED, S.ROUTING})


def _recipient_edges() -> dict[tuple[str, str], frozenset[Role]]:
    only = frozenset({RECIPIENT})
    edges: dict[tuple[str, str], frozenset[Role]] = {}
    for source in RECIPIENT_OPEN:
        lowest = STEP_RANK.get(source.value, -1) + 1
        for step in PROCESSING_STEPS[lowest:]:
            edges[(source, step)] = only
        edges[(source, S.SUSPENDED)] = only
        edges[(source, S.REJECTED)] = only
    # Wrong recipient data is sent back for re-routing before processing has really begun.
    edges[(S.MADE_AVAILABLE, S.TO_RECYCLE)] = only
    edges[(S.TAKEN_INTO_ACCOUNT, S.TO_RECYCLE)] = only
    edges[(S.SUSPENDED, S.REJECTED)] = only
    return edges


TRANSITIONS: dict[tuple[str, str], frozenset[Role]] = {
    (S.DRAFT, S.DEPOSITED): frozenset({SUPPLIER}),
    (S.DEPOSITED, S.ROUTING): frozenset({PLATFORM}),
    (S.ROUTING, S.MADE_AVAILABLE): frozenset({PLATFORM}),
    (S.SUSPENDED, S.COMPLETED): frozenset({SUPPLIER}),
    # Re-routing keeps the invoice number and goes through routing again.
    (S.TO_RECYCLE, S.DEPOSITED): frozenset({SUPPLIER}),
    **_recipient_edges(),
}

INVOICE = register(
    Circuit(
        name="invoice",
        model="invoices.Invoice",
        event_model="invoices.InvoiceEvent",
        event_document_field="invoice",
        statuses=InvoiceStatus,
        # Deposits create invoices in DEPOSEE; a supplier's saved draft starts in BROUILLON.
        initial=frozenset({S.DRAFT, S.DEPOSITED}),
        edges=TRANSITIONS,
        groups={
            Group.TERMINAL: frozenset(TERMINAL),
            Group.OPEN: frozenset(RECIPIENT_OPEN),
            Group.WAITING: frozenset(AWAITING_SUPPLIER),
            Group.QUIET: frozenset(QUIET_STATUSES),
            Group.REASON_REQUIRED: frozenset(REASON_REQUIRED),
        },
        reform_codes=REFORM_LIFECYCLE_CODE,
        parties=(
            Party(SUPPLIER, structure_field="supplier_id", area=Area.INVOICES_ISSUED),
            Party(RECIPIENT, structure_field="recipient_id", area=Area.INVOICES_RECEIVED),
        ),
        noun=gettext_lazy("Invoice"),
        changed_at_field="status_changed_at",
    )
)
TRANSITION_PAIRS = INVOICE.pairs

F = FlowStatus
FLOW_FINAL: frozenset[FlowStatus] = frozenset(
    {F.INTEGRATED, F.PARTIALLY_INTEGRATED, F.REJECTED, F.INCIDENT}
)
FLOW = register(
    Circuit(
        name="flow",
        model="invoices.Flow",
        event_model="invoices.FlowEvent",
        event_document_field="flow",
        statuses=FlowStatus,
        initial=frozenset({F.RECEIVED}),
        # The platform claims a deposit, then ends it once (integration report states, §2).
        edges={
            (F.RECEIVED, F.PROCESSING): frozenset({PLATFORM}),
            **{(F.PROCESSING, final): frozenset({PLATFORM}) for final in FLOW_FINAL},
        },
        groups={
            Group.TERMINAL: FLOW_FINAL,
            Group.OPEN: frozenset({F.RECEIVED, F.PROCESSING}),
            Group.QUIET: frozenset(FlowStatus.values),
        },
        noun=pgettext_lazy("noun", "Deposit"),
    )
)


def transition_refusal(
    *, current: str, target: str, role: Role, highest_step: str | None = None
) -> Refusal | None:
    """Why ``current → target`` taken as ``role`` is refused, or None when it is allowed.

    ``highest_step`` is the furthest processing step the invoice reached before a suspension:
    processing never goes back behind it.
    """
    refusal = INVOICE.refusal(current=current, target=target, roles=[role])
    if refusal is not None:
        return refusal
    if (
        highest_step is not None
        and target in STEP_RANK
        and highest_step in STEP_RANK
        and STEP_RANK[target] < STEP_RANK[highest_step]
    ):
        return Refusal(
            "TRANSITION_BACKWARDS",
            _("The invoice already reached %(step)s; it cannot go back to %(target)s.")
            % {"step": INVOICE.label(highest_step), "target": INVOICE.label(target)},
        )
    return None


def allowed_targets(
    *, current: str, role: Role, highest_step: str | None = None
) -> list[InvoiceStatus]:
    """The statuses ``role`` may set from ``current``, in processing order (for forms)."""
    return [
        InvoiceStatus(target)
        for target in INVOICE.targets(current=current, roles=[role])
        if transition_refusal(current=current, target=target, role=role, highest_step=highest_step)
        is None
    ]
