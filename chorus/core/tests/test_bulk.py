"""rows_update: many rows, several column types, one statement."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chorus.accounts.tests.factories import make_user
from chorus.core.bulk import rows_insert, rows_update
from invoices.models import Flow
from invoices.tests.factories import make_flow, make_structure

pytestmark = pytest.mark.django_db


def test_updates_json_text_and_timestamps_of_each_row():
    user = make_user()
    structure = make_structure()
    flows = [make_flow(structure=structure, depositor=user) for _ in range(3)]
    moment = timezone.now() - datetime.timedelta(hours=1)
    tricky = 'quote " backslash \\ accent é {braces} [1,2]'

    changed = rows_update(
        Flow,
        columns=["last_error", "finished_at", "report"],
        rows=[
            [flow.pk, f"{tricky} {index}", moment, {"n": index, "text": tricky}]
            for index, flow in enumerate(flows)
        ],
    )

    assert changed == 3
    for index, flow in enumerate(flows):
        flow.refresh_from_db()
        assert flow.last_error == f"{tricky} {index}"
        assert flow.finished_at == moment
        assert flow.report == {"n": index, "text": tricky}


def test_no_row_no_statement():
    with CaptureQueriesContext(connection) as queries:
        assert rows_update(Flow, columns=["last_error"], rows=[]) == 0
    assert len(queries) == 0


def test_a_reverse_relation_is_not_a_column():
    with pytest.raises(ValueError, match="not a column"):
        rows_update(Flow, columns=["invoices"], rows=[[1, None]])


def test_rows_insert_sets_keys_defaults_and_every_column_type():
    from decimal import Decimal

    from invoices.models import InvoiceEvent, InvoiceLine
    from invoices.tests.factories import make_invoice

    invoice = make_invoice()
    lines = [
        InvoiceLine(
            invoice=invoice,
            line_id=str(index),
            description='Prestation "spéciale" \\ n°' + str(index),
            quantity=Decimal("1.5"),
            unit="C62",
            unit_price=Decimal("10.00"),
            net_amount=Decimal("15.00"),
            vat_category="S",
            vat_rate=None if index else Decimal("20"),
        )
        for index in range(3)
    ]

    rows_insert(lines)

    assert all(line.pk for line in lines)
    stored = InvoiceLine.objects.filter(invoice=invoice).order_by("pk")
    assert [line.pk for line in stored] == [line.pk for line in lines]
    assert stored[0].description == 'Prestation "spéciale" \\ n°0'
    assert stored[0].vat_rate == Decimal("20")
    assert stored[1].vat_rate is None
    assert stored[2].quantity == Decimal("1.5")
    event = InvoiceEvent(invoice=invoice, from_status="", to_status=invoice.status)
    rows_insert([event])
    assert InvoiceEvent.objects.get(pk=event.pk).created_at is not None
