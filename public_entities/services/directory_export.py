"""The directory export (``annuaire``): public structures in Chorus Pro's columns, zipped.

The inverse of :mod:`public_entities.services.directory`: the same columns in the same order
(``STRUCTURE_COLUMNS``), ``;``-separated, UTF-8, a header line, identifier types as their
scheme codes, booleans as ``true``/``false``; one CSV in a zip, as
``telechargerAnnuaireDestinataire`` gives it and as ``import_directory`` reads it back.
Public data only: the structures of the directory (inactive ones flagged), never a private
structure.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

from chorus.accounts.choices import SCHEME_CODES, StructureKind
from chorus.accounts.identifiers import country_choices
from chorus.accounts.models import Structure
from public_entities.services.directory import STRUCTURE_COLUMNS

EXPORT_FILE_NAME = "annuaire_destinataire.csv"
_FIELDS = (
    "identifier_type",
    "identifier",
    "name",
    "public_entity__edi_emitter",
    "public_entity__edi_receiver",
    "public_entity__manages_payment_status",
    "public_entity__commitment_required",
    "public_entity__service_code_required",
    "public_entity__service_or_commitment_required",
    "public_entity__is_moa",
    "public_entity__is_moa_only",
    "is_active",
    "address_line1",
    "address_line2",
    "address_line3",
    "postal_code",
    "city",
    "phone",
    "email",
    "country",
)


def _flag(value: object) -> str:
    return "true" if value else "false"


def directory_export_rows() -> Iterator[list[str]]:
    """The rows of the export (header first), streamed from the database by identifier."""
    countries = {code: name.upper() for code, name in country_choices("fr")}
    yield list(STRUCTURE_COLUMNS)
    rows = (
        Structure.objects.filter(kind=StructureKind.PUBLIC, public_entity__isnull=False)
        .order_by("identifier", "pk")
        .values_list(*_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in rows:
        (type_, identifier, name, *flags, active) = row[:12]
        (address1, address2, address3, postal_code, city, phone, email, country) = row[12:]
        yield [
            SCHEME_CODES.get(type_, type_),
            identifier,
            name,
            *(_flag(flag) for flag in flags),
            _flag(active),
            address1,
            address2,
            address3,
            postal_code,
            city,
            phone,
            email,
            country,
            countries.get(country, country),
        ]


def directory_export_zip() -> bytes:
    """The export as a zip holding one CSV (deflated: the CSV shrinks about six times)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerows(directory_export_rows())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(EXPORT_FILE_NAME, text.getvalue().encode("utf-8"))
    return buffer.getvalue()
