"""The transition table: every pair allowed or refused, by the right side, in order."""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation

from chorus.circuits.roles import Role
from invoices.choices import REFORM_LIFECYCLE_CODE, InvoiceStatus
from invoices.circuit import (
    PROCESSING_STEPS,
    TERMINAL,
    TRANSITION_PAIRS,
    TRANSITIONS,
    allowed_targets,
    transition_refusal,
)

S = InvoiceStatus
ALL_PAIRS = list(itertools.product(InvoiceStatus, InvoiceStatus))


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_every_pair_is_allowed_exactly_when_the_table_says(current, target):
    roles = TRANSITIONS.get((current, target), frozenset())

    for candidate in Role:
        refusal = transition_refusal(current=current, target=target, role=candidate)
        assert (refusal is None) == (candidate in roles)


def test_terminal_states_have_no_way_out():
    for status in TERMINAL:
        assert not any(source == status for source, _ in TRANSITIONS)


def test_ordinary_path_from_draft_to_payment():
    path = [
        (S.DRAFT, S.DEPOSITED, Role.SUPPLIER),
        (S.DEPOSITED, S.ROUTING, Role.PLATFORM),
        (S.ROUTING, S.MADE_AVAILABLE, Role.PLATFORM),
        (S.MADE_AVAILABLE, S.SERVICE_DONE, Role.RECIPIENT),
        (S.SERVICE_DONE, S.MANDATED, Role.RECIPIENT),
        (S.MANDATED, S.PAYMENT_SENT, Role.RECIPIENT),
    ]
    for current, target, role in path:
        assert transition_refusal(current=current, target=target, role=role) is None


def test_processing_steps_only_go_forward():
    assert transition_refusal(current=S.MANDATED, target=S.SERVICE_DONE, role=Role.RECIPIENT)
    for earlier, later in itertools.combinations(PROCESSING_STEPS, 2):
        if earlier in TERMINAL:
            continue
        assert transition_refusal(current=earlier, target=later, role=Role.RECIPIENT) is None
        assert transition_refusal(current=later, target=earlier, role=Role.RECIPIENT)


def test_after_completion_processing_resumes_at_the_step_reached_before():
    refusal = transition_refusal(
        current=S.COMPLETED,
        target=S.SERVICE_DONE,
        role=Role.RECIPIENT,
        highest_step=S.MANDATED,
    )

    assert refusal is not None
    assert refusal.code == "TRANSITION_BACKWARDS"
    assert (
        transition_refusal(
            current=S.COMPLETED, target=S.MANDATED, role=Role.RECIPIENT, highest_step=S.MANDATED
        )
        is None
    )


def test_supplier_cannot_take_recipient_actions_and_says_why():
    with translation.override("en"):
        refusal = transition_refusal(
            current=S.MADE_AVAILABLE, target=S.REJECTED, role=Role.SUPPLIER
        )

    assert refusal is not None
    assert refusal.code == "TRANSITION_WRONG_SIDE"
    assert "recipient" in refusal.message


def test_rejected_invoice_cannot_be_suspended():
    refusal = transition_refusal(current=S.REJECTED, target=S.SUSPENDED, role=Role.RECIPIENT)

    assert refusal is not None
    assert refusal.code == "TRANSITION_NOT_ALLOWED"


def test_allowed_targets_for_a_recipient_on_a_new_invoice():
    targets = allowed_targets(current=S.MADE_AVAILABLE, role=Role.RECIPIENT)

    assert targets == [
        S.TAKEN_INTO_ACCOUNT,
        S.SERVICE_DONE,
        S.MANDATED,
        S.PASSED_TO_ACCOUNTANT,
        S.ACCOUNTED,
        S.PAYMENT_SENT,
        S.TO_RECYCLE,
        S.SUSPENDED,
        S.REJECTED,
    ]


def test_pairs_for_the_database_trigger_match_the_table():
    assert len(TRANSITION_PAIRS) == len(TRANSITIONS)
    assert ("SUSPENDUE", "COMPLETEE") in TRANSITION_PAIRS


def test_reform_codes_exist_for_the_ordinary_path():
    assert REFORM_LIFECYCLE_CODE[S.DEPOSITED] == "200"
    assert REFORM_LIFECYCLE_CODE[S.REJECTED] == "210"
    assert REFORM_LIFECYCLE_CODE[S.PAYMENT_SENT] == "211"
    assert S.TO_RECYCLE not in REFORM_LIFECYCLE_CODE
