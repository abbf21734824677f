"""The access rule: a supplier never sees another's invoices; a service only its own."""

from __future__ import annotations

import pytest
from django.http import Http404

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership, Structure
from chorus.accounts.tests.factories import make_user
from invoices.selectors import (
    invoice_get_for_recipient,
    invoice_get_for_supplier,
    invoice_list_for_recipient,
    invoice_list_for_supplier,
)
from invoices.tests.factories import make_invoice, make_recipient, make_structure
from public_entities.models import EntityService

pytestmark = pytest.mark.django_db


def _member(structure: Structure, *areas: str) -> Membership:
    return Membership.objects.create(
        user=make_user(), structure=structure, role=Role.USER, areas=list(areas)
    )


def test_supplier_sees_only_its_own_invoices():
    supplier_a, supplier_b = make_structure(), make_structure()
    mine = make_invoice(supplier=supplier_a)
    theirs = make_invoice(supplier=supplier_b)
    member = _member(supplier_a, Area.INVOICES_ISSUED)

    assert list(invoice_list_for_supplier(membership=member)) == [mine]
    assert invoice_get_for_supplier(membership=member, public_id=mine.public_id) == mine
    with pytest.raises(Http404):
        invoice_get_for_supplier(membership=member, public_id=theirs.public_id)


def test_supplier_member_without_the_issued_area_sees_nothing():
    supplier = make_structure()
    make_invoice(supplier=supplier)
    member = _member(supplier, Area.MY_ACCOUNT)

    assert not invoice_list_for_supplier(membership=member).exists()


def test_recipient_sees_invoices_addressed_to_it_not_to_others():
    _, service = make_recipient()
    _, other_service = make_recipient()
    mine = make_invoice(service=service)
    make_invoice(service=other_service)
    member = _member(service.structure, Area.INVOICES_RECEIVED)

    assert list(invoice_list_for_recipient(membership=member)) == [mine]


def test_member_limited_to_a_service_sees_only_that_service():
    _, service_1 = make_recipient()
    service_2 = EntityService.objects.create(
        structure=service_1.structure, code="S2", name="Second"
    )
    in_1 = make_invoice(service=service_1)
    in_2 = make_invoice(service=service_2)
    member = _member(service_1.structure, Area.INVOICES_RECEIVED)
    service_1.members.add(member)

    assert list(invoice_list_for_recipient(membership=member)) == [in_1]
    with pytest.raises(Http404):
        invoice_get_for_recipient(membership=member, public_id=in_2.public_id)


def test_a_supplier_membership_does_not_open_the_recipient_side():
    _, service = make_recipient()
    invoice = make_invoice(service=service)
    member = _member(invoice.supplier, Area.INVOICES_ISSUED, Area.INVOICES_RECEIVED)

    with pytest.raises(Http404):
        invoice_get_for_recipient(membership=member, public_id=invoice.public_id)


def test_list_query_count_is_constant(django_assert_num_queries):
    supplier = make_structure()
    for _ in range(5):
        make_invoice(supplier=supplier)
    member = _member(supplier, Area.INVOICES_ISSUED)

    with django_assert_num_queries(1):
        rows = [
            (i.number, i.recipient.name, i.service.code)
            for i in invoice_list_for_supplier(membership=member)
        ]
    assert len(rows) == 5
