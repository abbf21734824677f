"""A synthetic directory export, for tests, the benchmark and demonstrations.

Deterministic for a seed; SIRETs are valid (Luhn) and unique; names and cities are made of
a realistic vocabulary so that searches hit a realistic share of rows. Written as a stream:
memory does not grow with the number of structures.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path

from chorus.accounts.identifiers import siret_build
from public_entities.services.directory import SERVICE_COLUMNS, STRUCTURE_COLUMNS

KINDS = (
    "COMMUNE DE",
    "MAIRIE DE",
    "COMMUNAUTE DE COMMUNES DE",
    "CENTRE HOSPITALIER DE",
    "CENTRE COMMUNAL D ACTION SOCIALE DE",
    "LYCEE PROFESSIONNEL DE",
    "COLLEGE PUBLIC DE",
    "SYNDICAT INTERCOMMUNAL DES EAUX DE",
    "OFFICE DE TOURISME DE",
    "EHPAD PUBLIC DE",
    "SERVICE DEPARTEMENTAL D INCENDIE ET DE SECOURS DE",
    "DIRECTION DEPARTEMENTALE DES TERRITOIRES DE",
)
SYLLABLES = (
    "BEAU", "MONT", "VAL", "SAINT", "VILLE", "NEUF", "CHAMP", "FONT", "ROCHE", "BOIS",
    "LA", "MER", "PONT", "BOURG", "MARTIN", "SUR", "LOIRE", "RIVE", "CLAIR", "DOM",
    "FOR", "GRAND", "LES", "MOU", "TIN", "VERT", "CHA", "TEAU", "LIEU", "SAL",
)  # fmt: skip
SERVICE_NAMES = (
    ("FIN", "Direction des finances"),
    ("ACH", "Service des achats"),
    ("TEC", "Services techniques"),
    ("RH", "Ressources humaines"),
    ("SCO", "Affaires scolaires"),
    ("INF", "Systemes d information"),
)


def siret_for(index: int) -> str:
    """A valid, unique SIRET for ``index`` (< 10,000,000); public SIRENs start with 2."""
    return siret_build(f"2{index:07d}", f"{index % 7 + 1:04d}")


MAX_CITIES = 12_000  # well below the 27,900 names the syllables can make


def city_names(rng: random.Random, count: int) -> list[str]:
    count = min(count, MAX_CITIES)
    names: set[str] = set()
    while len(names) < count:
        parts = [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))]
        name = "".join(parts[:2]) + (f"-{parts[2]}" if len(parts) == 3 else "")
        names.add(name)
    return sorted(names)


def structure_rows(count: int, seed: int = 2026) -> Iterator[tuple[str, list[str]]]:
    """(siret, row) for ``count`` structures, in the export's column order."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    cities = city_names(rng, max(50, min(MAX_CITIES, count // 4)))
    for index in range(count):
        city = cities[index % len(cities)]
        department = 1 + (index * 7) % 95
        postal_code = f"{department:02d}{rng.randint(0, 999):03d}"
        kind = KINDS[index % len(KINDS)]
        name = f"{kind} {city}" if index < len(cities) * len(KINDS) else f"{kind} {city} {index}"
        service_mode = index % 5
        siret = siret_for(index)
        yield (
            siret,
            [
                "1",
                siret,
                name,
                "false",
                "true" if index % 3 == 0 else "false",
                "true" if index % 4 else "false",
                "true" if service_mode == 1 else "false",
                "true" if service_mode == 2 else "false",
                "true" if service_mode == 3 else "false",
                "true" if index % 11 == 0 else "false",
                "false",
                "true",
                f"{rng.randint(1, 120)} RUE DE LA MAIRIE",
                "",
                "",
                postal_code,
                city,
                "",
                f"factures{index}@example.test",
                "FR",
                "FRANCE",
            ],
        )


def write_sample_directory(
    structures_path: Path,
    services_path: Path | None,
    *,
    structures: int,
    services_per: int,
    seed: int = 2026,
) -> tuple[int, int]:
    """Write the structures file (and the services file); return the row counts."""
    service_count = 0
    with structures_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(STRUCTURE_COLUMNS)
        services_handle = (
            services_path.open("w", encoding="utf-8", newline="") if services_path else None
        )
        try:
            services_writer = (
                csv.writer(services_handle, delimiter=";") if services_handle else None
            )
            if services_writer is not None:
                services_writer.writerow(SERVICE_COLUMNS)
            for index, (siret, row) in enumerate(structure_rows(structures, seed)):
                writer.writerow(row)
                if services_writer is None:
                    continue
                for number in range(services_per):
                    prefix, label = SERVICE_NAMES[(index + number) % len(SERVICE_NAMES)]
                    services_writer.writerow(
                        [
                            "1",
                            siret,
                            f"{prefix}{number + 1:02d}",
                            label,
                            "true",
                            "2017-01-01",
                            "2050-12-31",
                            "true" if number == 0 and index % 2 else "false",
                            "true",
                        ]
                    )
                    service_count += 1
        finally:
            if services_handle is not None:
                services_handle.close()
    return structures, service_count
