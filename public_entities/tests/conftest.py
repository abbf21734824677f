from __future__ import annotations

from pathlib import Path

import pytest

from public_entities.services.directory import SERVICE_COLUMNS, STRUCTURE_COLUMNS


def csv_text(columns: tuple[str, ...], rows: list[list[str]]) -> str:
    return "\n".join(";".join(r) for r in [list(columns), *rows]) + "\n"


def structure_row(siret: str, name: str = "COMMUNE DE TEST", **overrides: str) -> list[str]:
    values = dict.fromkeys(STRUCTURE_COLUMNS, "")
    values.update(
        {
            "TypeIdentifiant": "1",
            "Identifiant": siret,
            "RaisonSociale": name,
            "EmetteurEdi": "false",
            "RecepteurEdi": "false",
            "GestionStatutMiseEnPaiement": "true",
            "GestionEngagement": "false",
            "GestionService": "false",
            "GestionServiceEngagement": "false",
            "EstMOA": "false",
            "EstMOAUniquement": "false",
            "StructureActive": "true",
            "Adresse": "1 PLACE DE LA MAIRIE",
            "CodePostal": "69001",
            "Ville": "LYON",
            "Courriel": "factures@example.test",
            "CodePays": "FR",
            "LibellePays": "FRANCE",
        }
    )
    values.update(overrides)
    return [values[c] for c in STRUCTURE_COLUMNS]


def service_row(siret: str, code: str, name: str = "Service", **overrides: str) -> list[str]:
    values = dict.fromkeys(SERVICE_COLUMNS, "")
    values.update(
        {
            "TypeIdentifiant": "1",
            "Identifiant": siret,
            "CodeService": code,
            "NomService": name,
            "ServiceActif": "true",
            "DateDebutService": "2017-01-01",
            "DateFinService": "2050-12-31 00:00",
            "GestionEngagement": "false",
            "GestionStatutMiseEnPaiement": "true",
        }
    )
    values.update(overrides)
    return [values[c] for c in SERVICE_COLUMNS]


@pytest.fixture
def write_csv(tmp_path):
    def write(name: str, columns: tuple[str, ...], rows: list[list[str]]) -> Path:
        path = tmp_path / name
        path.write_text(csv_text(columns, rows), encoding="utf-8")
        return path

    return write
