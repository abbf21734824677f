"""Generated from every declared circuit: the database accepts exactly the declared pairs.

For each family, one document is put in each status (guards lifted, as a fixture does) and
every other status is tried with a raw ``UPDATE``: PostgreSQL must accept the pair if and only
if the declaration lists it. Creation in a non-initial status and any change to an event are
refused too. A new family must add a factory here, or the first test fails.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction

from chorus.accounts.models import JoinRequest
from chorus.accounts.tests.factories import make_user
from chorus.circuits.declaration import Circuit
from chorus.circuits.registry import circuits_all
from chorus.circuits.triggers import status_guard_ignored
from chorus.circuits.writer import document_model, event_model
from chorus.core.actor import Actor
from invoices.choices import InvoiceStatus
from invoices.tests.factories import make_flow, make_invoice, make_structure
from support.models import RequestCategory
from support.services.requests import support_request_create

DatabaseRefusal = (ProgrammingError, InternalError, IntegrityError)


def _invoice() -> Any:
    return make_invoice(status=InvoiceStatus.DEPOSITED)


def _flow() -> Any:
    return make_flow(structure=make_structure())


def _support_request() -> Any:
    return support_request_create(
        actor=Actor(user=make_user()),
        category_id=RequestCategory.objects.get(code="compte").pk,
        subject="Accès",
        body="Je ne peux plus me connecter.",
    )


def _join_request() -> Any:
    return JoinRequest.objects.create(user=make_user(), structure=make_structure())


FACTORIES: dict[str, Callable[[], Any]] = {
    "invoice": _invoice,
    "flow": _flow,
    "support_request": _support_request,
    "join_request": _join_request,
}
CIRCUITS = {circuit.name: circuit for circuit in circuits_all()}


def test_every_declared_circuit_has_a_factory_here():
    assert set(CIRCUITS) == set(FACTORIES)


def _column_update(circuit: Circuit, pk: int, status: str) -> None:
    model = document_model(circuit)
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(circuit.status_field)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [status, pk])  # noqa: S608


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_the_database_accepts_exactly_the_declared_pairs(name: str):
    circuit = CIRCUITS[name]
    document = FACTORIES[name]()
    declared = set(circuit.pairs)
    accepted: set[tuple[str, str]] = set()
    for source, target in itertools.permutations(circuit.statuses.values, 2):
        with status_guard_ignored(circuit):
            _column_update(circuit, document.pk, source)
        try:
            with transaction.atomic():
                _column_update(circuit, document.pk, target)
        except DatabaseRefusal:
            continue
        accepted.add((source, target))

    assert accepted == declared


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_a_document_is_created_only_in_an_initial_status(name: str):
    circuit = CIRCUITS[name]
    document = FACTORIES[name]()
    model = document_model(circuit)
    later = [s for s in circuit.statuses.values if s not in circuit.initial]
    assert later, f"{name} declares every status initial"
    values = {
        f.attname: getattr(document, f.attname)
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.unique
    }
    values[circuit.status_field] = later[0]
    with (
        pytest.raises(DatabaseRefusal, match="cannot be created in status"),
        transaction.atomic(),
    ):
        model._default_manager.create(**values)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_events_are_append_only(name: str):
    circuit = CIRCUITS[name]
    document = FACTORIES[name]()
    events = event_model(circuit)._default_manager
    event = events.create(
        **{circuit.event_document_field: document},
        from_status="",
        to_status=str(getattr(document, circuit.status_field)),
        **circuit.event_defaults,
    )
    with pytest.raises(DatabaseRefusal, match="pgtrigger"), transaction.atomic():
        events.filter(pk=event.pk).update(comment="rewritten")
    with pytest.raises(DatabaseRefusal, match="pgtrigger"), transaction.atomic():
        events.filter(pk=event.pk).delete()
