"""Fixtures shared by the deposit tests: the sample supplier and its public recipient."""

from __future__ import annotations

import pytest

from chorus.accounts.models import Structure
from invoices.tests.documents import BUYER_SIRET, SELLER_SIRET, SERVICE_CODE
from invoices.tests.factories import make_structure
from public_entities.models import EntityService, PublicEntity


@pytest.fixture
def supplier() -> Structure:
    """The seller of :func:`invoices.demo.sample_ubl_invoice`."""
    return make_structure(identifier=SELLER_SIRET, vat_number="FR44732829320")


@pytest.fixture
def recipient() -> PublicEntity:
    """The buyer of the sample invoice, with its service."""
    structure = make_structure(public=True, identifier=BUYER_SIRET, name="Ministère Exemple")
    entity = PublicEntity.objects.create(structure=structure)
    EntityService.objects.create(structure=structure, code=SERVICE_CODE, name="Finances")
    return entity
