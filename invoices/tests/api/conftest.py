"""API callers for the sample supplier (every scope, or fewer) and its recipient set up."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from chorus.accounts.models import Structure
from chorus.api.choices import Scope
from chorus.api.testing import CproCaller, cpro_caller
from public_entities.models import PublicEntity

DEPOSIT = "/cpro/factures/v1/deposer/flux"
CR = "/cpro/transverses/v1/consulterCR"
CR_DETAILED = "/cpro/transverses/v1/consulterCRDetaille"
UBL = "IN_DP_E1_UBL_INVOICE"


@pytest.fixture
def caller(supplier: Structure, recipient: PublicEntity) -> CproCaller:
    return cpro_caller(supplier)


@pytest.fixture
def reader_only(supplier: Structure) -> CproCaller:
    return cpro_caller(supplier, scopes=[Scope.READ])


@pytest.fixture
def depositor_only(supplier: Structure) -> CproCaller:
    return cpro_caller(supplier, scopes=[Scope.DEPOSIT])


def flux(data: bytes, name: str = "facture.xml", syntaxe: str = UBL, **extra: Any) -> Any:
    return {
        "fichierFlux": base64.b64encode(data).decode(),
        "nomFichier": name,
        "syntaxeFlux": syntaxe,
        "avecSignature": False,
        **extra,
    }
