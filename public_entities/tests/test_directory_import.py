"""The directory import: upserts, deactivation, bad rows with line numbers, idempotence."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from chorus.accounts.choices import StructureKind
from chorus.accounts.models import Structure
from chorus.accounts.tests.organisation_factories import StructureFactory, valid_siret
from chorus.core.audit import audit_trail_for
from public_entities.models import EntityService, PublicEntity
from public_entities.sample_directory import write_sample_directory
from public_entities.services.directory import (
    SERVICE_COLUMNS,
    STRUCTURE_COLUMNS,
    directory_import,
)
from public_entities.tests.conftest import csv_text, service_row, structure_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids); the portal's default is French."""
    with translation.override("en"):
        yield


S1, S2, S3 = valid_siret(1, "2"), valid_siret(2, "2"), valid_siret(3, "2")


def run(structures, services=None, **kwargs):
    reports: list[tuple[str, int, str]] = []
    summary = directory_import(
        structures_path=structures,
        services_path=services,
        report=lambda label, line, reason: reports.append((label, line, reason)),
        **kwargs,
    )
    return summary, reports


def test_import_creates_public_structures_parameters_and_services(write_csv):
    structures = write_csv(
        "annuaire.csv",
        STRUCTURE_COLUMNS,
        [
            structure_row(S1, "Commune d'Évry", GestionService="true", GestionEngagement="1"),
            structure_row(S2, "CHU DE LYON", GestionServiceEngagement="oui", CodePostal="69 003"),
        ],
    )
    services = write_csv(
        "services.csv",
        SERVICE_COLUMNS,
        [
            service_row(S1, "FIN", "Finances", GestionEngagement="true"),
            service_row(S1, "FACTURES_PUBLIQUES", "Pseudo"),
            service_row(S2, "ACH", "Achats", DateDebutService="01/02/2020"),
        ],
    )
    summary, reports = run(structures, services)
    assert reports == []
    assert (summary.structures_created, summary.services_created) == (2, 2)
    assert summary.services_ignored == 1
    evry = Structure.objects.get(identifier=S1)
    assert evry.kind == StructureKind.PUBLIC
    assert evry.is_active
    assert evry.search_name == "COMMUNE D EVRY"
    entity = evry.public_entity
    assert entity.in_directory
    assert entity.service_code_required
    assert entity.commitment_required
    assert entity.required_references == "service_and_engagement"
    assert Structure.objects.get(identifier=S2).postal_code == "69003"
    service = EntityService.objects.get(structure=evry)
    assert (service.code, service.commitment_required, service.in_directory) == ("FIN", True, True)
    assert str(service.end_date) == "2050-12-31"
    assert str(EntityService.objects.get(code="ACH").start_date) == "2020-02-01"


def test_a_second_import_of_the_same_files_changes_nothing(write_csv):
    structures = write_csv("a.csv", STRUCTURE_COLUMNS, [structure_row(S1), structure_row(S2)])
    services = write_csv("s.csv", SERVICE_COLUMNS, [service_row(S1, "A"), service_row(S2, "B")])
    run(structures, services)
    ids = dict(Structure.objects.values_list("identifier", "public_id"))
    summary, reports = run(structures, services)
    assert reports == []
    assert (summary.structures_created, summary.structures_updated) == (0, 0)
    assert summary.structures_unchanged == 2
    assert (summary.services_created, summary.services_updated, summary.services_unchanged) == (
        0,
        0,
        2,
    )
    assert dict(Structure.objects.values_list("identifier", "public_id")) == ids


def test_changes_are_applied_and_audited(write_csv):
    run(write_csv("a.csv", STRUCTURE_COLUMNS, [structure_row(S1, "ANCIEN NOM")]))
    summary, _ = run(
        write_csv(
            "b.csv", STRUCTURE_COLUMNS, [structure_row(S1, "NOUVEAU NOM", GestionService="1")]
        )
    )
    assert summary.structures_updated == 1
    structure = Structure.objects.get(identifier=S1)
    assert structure.name == "NOUVEAU NOM"
    assert structure.public_entity.service_code_required
    event = audit_trail_for(structure).last()
    assert event is not None
    assert event.pgh_label == "update"
    assert event.pgh_context["system"] == "import_directory"


def test_structures_and_services_missing_from_the_files_are_deactivated(write_csv):
    run(
        write_csv("a.csv", STRUCTURE_COLUMNS, [structure_row(S) for S in (S1, S2, S3)]),
        write_csv("s.csv", SERVICE_COLUMNS, [service_row(S1, "A"), service_row(S1, "B")]),
    )
    manual = EntityService.objects.create(
        structure=Structure.objects.get(identifier=S1), code="MANUEL", name="Created on the portal"
    )
    summary, _ = run(
        write_csv("b.csv", STRUCTURE_COLUMNS, [structure_row(S1), structure_row(S2)]),
        write_csv("t.csv", SERVICE_COLUMNS, [service_row(S1, "A")]),
    )
    assert summary.structures_deactivated == 1
    assert summary.services_deactivated == 1
    assert not Structure.objects.get(identifier=S3).is_active
    assert not EntityService.objects.get(code="B").is_active
    manual.refresh_from_db()
    assert manual.is_active, "services created on the portal are not the import's to remove"
    # It comes back when the directory lists it again.
    run(write_csv("c.csv", STRUCTURE_COLUMNS, [structure_row(S) for S in (S1, S2, S3)]))
    assert Structure.objects.get(identifier=S3).is_active


def test_a_truncated_file_does_not_switch_the_directory_off(write_csv):
    run(write_csv("a.csv", STRUCTURE_COLUMNS, [structure_row(S) for S in (S1, S2, S3)]))
    summary, reports = run(write_csv("b.csv", STRUCTURE_COLUMNS, [structure_row(S1)]))
    assert summary.deactivation_skipped
    assert summary.structures_deactivated == 0
    assert "none deactivated" in reports[-1][2]
    assert Structure.objects.filter(is_active=True).count() == 3
    forced, _ = run(
        write_csv("c.csv", STRUCTURE_COLUMNS, [structure_row(S1)]), max_deactivate_ratio=1.0
    )
    assert forced.structures_deactivated == 2


def test_bad_rows_are_reported_with_line_and_reason_and_skipped(write_csv):
    good = structure_row(S1)
    rows = [
        good,
        structure_row("73282932000075"),  # line 3: check digit
        structure_row(S2, ""),  # line 4: no name
        structure_row(S3, GestionService="peut-être"),  # line 5: bad boolean
        good[:5],  # line 6: wrong width
        structure_row(S1, "DOUBLON"),  # line 7: duplicate of line 2
        structure_row(valid_siret(4, "2"), Courriel="pas-un-courriel"),  # line 8: warning only
        structure_row(valid_siret(5, "2"), TypeIdentifiant="9"),  # line 9: unknown type
        structure_row(valid_siret(6, "2"), CodePays="DE"),  # line 10: SIRET abroad
    ]
    summary, reports = run(write_csv("annuaire.csv", STRUCTURE_COLUMNS, rows))
    by_line = {line: reason for label, line, reason in reports}
    assert {label for label, _, _ in reports} == {"annuaire.csv"}
    assert "check digit" in by_line[3]
    assert "RaisonSociale is empty" in by_line[4]
    assert "GestionService" in by_line[5]
    assert "expected 21 columns, found 5" in by_line[6]
    assert "already given at line 2" in by_line[7]
    assert by_line[8].startswith("warning: Courriel")
    assert "TypeIdentifiant" in by_line[9]
    assert "France" in by_line[10]
    assert summary.bad_rows == 7
    assert summary.warnings == 1
    assert summary.structures_created == 2
    assert Structure.objects.get(identifier=S1).name == "COMMUNE DE TEST"
    assert Structure.objects.get(identifier=valid_siret(4, "2")).email == ""


def test_bad_service_rows_are_reported(write_csv):
    structures = write_csv("a.csv", STRUCTURE_COLUMNS, [structure_row(S1)])
    unknown = valid_siret(77, "2")
    services = write_csv(
        "services.csv",
        SERVICE_COLUMNS,
        [
            service_row(S1, "OK"),
            service_row(unknown, "X"),  # line 3
            service_row(S1, ""),  # line 4
            service_row(S1, "D", DateDebutService="demain"),  # line 5
            service_row(S1, "E", DateDebutService="2030-01-01", DateFinService="2020-01-01"),
            service_row(S1, "OK", "Doublon"),  # line 7
        ],
    )
    summary, reports = run(structures, services)
    by_line = {line: reason for label, line, reason in reports if label == "services.csv"}
    assert "no such public structure" in by_line[3]
    assert "CodeService is empty" in by_line[4]
    assert "not a date" in by_line[5]
    assert "before" in by_line[6]
    assert "already given at line 2" in by_line[7]
    assert summary.services_created == 1
    assert summary.bad_rows == 5


def test_header_columns_in_any_order_and_files_without_header(tmp_path):
    reordered = list(reversed(STRUCTURE_COLUMNS))
    row = dict(zip(STRUCTURE_COLUMNS, structure_row(S1), strict=True))
    with_header = tmp_path / "h.csv"
    with_header.write_text(
        ";".join(reordered) + "\n" + ";".join(row[c] for c in reordered) + "\n", encoding="utf-8"
    )
    summary, reports = run(with_header)
    assert (summary.structures_created, reports) == (1, [])
    headless = tmp_path / "n.csv"
    headless.write_text(";".join(structure_row(S2)) + "\n", encoding="utf-8")
    summary, reports = run(headless, deactivate=False)
    assert (summary.structures_created, reports) == (1, [])


def test_a_header_missing_a_required_column_cancels_the_import(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("TypeIdentifiant;RaisonSociale\n1;X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Identifiant"):
        call_command("import_directory", str(path))
    assert not Structure.objects.exists()


def test_zipped_export_and_the_command_summary(tmp_path, write_csv, capsys):
    csv_path = write_csv("annuaire.csv", STRUCTURE_COLUMNS, [structure_row(S1), ["x"]])
    archive = tmp_path / "annuaire.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(csv_path, "annuaire.csv")
    call_command("import_directory", str(archive))
    out, err = capsys.readouterr()
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["structures_created"] == 1
    assert summary["bad_rows"] == 1
    assert "annuaire.zip:3: expected 21 columns, found 1" in err


def test_a_supplier_structure_listed_in_the_directory_becomes_public(write_csv):
    supplier = StructureFactory.create(identifier=S1, name="Ancien fournisseur")
    summary, _ = run(write_csv("a.csv", STRUCTURE_COLUMNS, [structure_row(S1)]))
    supplier.refresh_from_db()
    assert supplier.kind == StructureKind.PUBLIC
    assert supplier.name == "COMMUNE DE TEST"
    assert PublicEntity.objects.get(structure=supplier).in_directory
    assert summary.structures_updated == 1


def test_bulk_first_load_rebuilds_indexes_and_keeps_constraints(tmp_path):
    structures, services = tmp_path / "s.csv", tmp_path / "v.csv"
    write_sample_directory(structures, services, structures=300, services_per=2)
    summary, reports = run(structures, services, bulk_min_rows=100)
    assert summary.extra["bulk_load"]
    assert reports == []
    assert (summary.structures_created, summary.services_created) == (300, 600)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'accounts_structure' "
            "AND indexname = 'accounts_structure_name_trgm'"
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = 'public_entities_entityservice'::regclass"
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D' "
            "AND tgrelid = 'accounts_structure'::regclass"
        )
        assert cursor.fetchone()[0] == 0


# --- Encodings (issue 11, point 17) -----------------------------------------------------------


def _bytes_file(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _directory_text(name: str = "COMMUNE DE SAINT-ÉTIENNE") -> str:
    return csv_text(STRUCTURE_COLUMNS, [structure_row(S1, name=name)])


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "latin-1"])
def test_a_byte_order_mark_is_stripped_whatever_the_encoding_given(tmp_path, encoding):
    data = b"\xef\xbb\xbf" + _directory_text().encode("cp1252" if encoding != "utf-8" else "utf-8")
    summary, reports = run(_bytes_file(tmp_path, "a.csv", data), encoding=encoding)
    assert reports == []
    assert summary.structures_created == 1


def test_the_encoding_is_detected_when_not_given(tmp_path):
    data = _directory_text().encode("cp1252")
    summary, reports = run(_bytes_file(tmp_path, "a.csv", data), encoding="auto")
    assert (summary.structures_created, reports) == (1, [])
    assert Structure.objects.get(identifier=S1).name == "COMMUNE DE SAINT-ÉTIENNE"


def test_utf16_with_its_byte_order_mark_is_read(tmp_path):
    data = _directory_text().encode("utf-16")
    summary, reports = run(_bytes_file(tmp_path, "a.csv", data), encoding="auto")
    assert (summary.structures_created, reports) == (1, [])


def test_an_undecodable_file_names_the_encoding_option(tmp_path):
    data = _directory_text().encode("utf-8") + b"\x81\x8d\x8f\x90\x9d"
    path = _bytes_file(tmp_path, "a.csv", data)
    with pytest.raises(CommandError, match="--encoding"):
        call_command("import_directory", str(path), "--encoding", "auto")


def test_the_summary_keeps_sql_timings_for_verbosity_2(write_csv, capsys):
    path = write_csv("annuaire.csv", STRUCTURE_COLUMNS, [structure_row(S1)])
    call_command("import_directory", str(path))
    quiet = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    call_command("import_directory", str(path), "--verbosity", "2")
    verbose = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert "timings" not in quiet
    assert "timings" in verbose
