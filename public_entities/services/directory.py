"""Loading the Chorus Pro directory export (``annuaire``) into structures and services.

Streamed and set-based, so that 130,000 structures load in seconds with flat memory:

1. each CSV row is parsed and validated in Python; a bad row is reported (line number and
   reason) and skipped, never aborting the import;
2. good rows are streamed with ``COPY`` into a temporary staging table;
3. a few SQL statements then upsert structures (on identifier), their public-entity
   parameters and services (on structure + service code), touching only rows that changed,
   and deactivate what the directory no longer lists.

Everything after parsing runs in one transaction under an advisory lock: a failure leaves the
database as it was, and two imports never interleave. Column formats: docs/organisations.md.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import operator
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from chorus.accounts.choices import SCHEME_CODES, IdentifierType, StructureKind
from chorus.accounts.identifiers import compact, identifier_check, search_normalize
from chorus.accounts.models import Structure
from chorus.core.actor import system_actor
from chorus.core.audit import actor_context
from chorus.core.exceptions import DomainError
from public_entities.choices import PSEUDO_SERVICE_CODES
from public_entities.models import EntityService, PublicEntity

# Columns of the directory export (reference §13), in the export's order.
STRUCTURE_COLUMNS: tuple[str, ...] = (
    "TypeIdentifiant",
    "Identifiant",
    "RaisonSociale",
    "EmetteurEdi",
    "RecepteurEdi",
    "GestionStatutMiseEnPaiement",
    "GestionEngagement",
    "GestionService",
    "GestionServiceEngagement",
    "EstMOA",
    "EstMOAUniquement",
    "StructureActive",
    "Adresse",
    "ComplementAdresse1",
    "ComplementAdresse2",
    "CodePostal",
    "Ville",
    "NumTelephone",
    "Courriel",
    "CodePays",
    "LibellePays",
)
# Our own services file (the official services export is unconfirmed): docs/organisations.md.
SERVICE_COLUMNS: tuple[str, ...] = (
    "TypeIdentifiant",
    "Identifiant",
    "CodeService",
    "NomService",
    "ServiceActif",
    "DateDebutService",
    "DateFinService",
    "GestionEngagement",
    "GestionStatutMiseEnPaiement",
)
REQUIRED_STRUCTURE_COLUMNS = ("TypeIdentifiant", "Identifiant", "RaisonSociale")
REQUIRED_SERVICE_COLUMNS = ("Identifiant", "CodeService", "NomService")

_TRUE = frozenset({"1", "true", "vrai", "oui", "o", "y", "yes", "t"})
_FALSE = frozenset({"0", "false", "faux", "non", "n", "no", "f"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TYPE_BY_CODE = {code: value for value, code in SCHEME_CODES.items()}
_LIMITS = {
    "name": 255,
    "address_line1": 255,
    "address_line2": 255,
    "address_line3": 255,
    "postal_code": 16,
    "city": 255,
    "phone": 40,
    "code": 100,
    "service_name": 255,
}
_ADVISORY_LOCK = 7_347_001
BULK_MIN_ROWS = 20_000
BULK_RATIO = 0.5  # any constant: serialises directory imports


class BadRow(Exception):
    """A row that cannot be imported; the message says why."""


@dataclass
class ImportSummary:
    structures_read: int = 0
    structures_created: int = 0
    structures_updated: int = 0
    structures_unchanged: int = 0
    structures_deactivated: int = 0
    services_read: int = 0
    services_created: int = 0
    services_updated: int = 0
    services_unchanged: int = 0
    services_deactivated: int = 0
    services_ignored: int = 0
    bad_rows: int = 0
    warnings: int = 0
    deactivation_skipped: bool = False
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "extra"}
        data["seconds"] = round(self.seconds, 3)
        return {**data, **self.extra}


Reporter = Callable[[str, int, str], None]  # (file label, line number, reason)


_BOOLS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}


def _bool(value: str, column: str, default: bool) -> bool:
    if not value:
        return default
    parsed = _BOOLS.get(value.strip().lower())
    if parsed is None:
        if not value.strip():
            return default
        raise BadRow(f"{column}: '{value[:20]}' is not a boolean (true/false, 1/0, oui/non)")
    return parsed


def _date(value: str, column: str) -> datetime.date | None:
    text = value.strip()
    if not text:
        return None
    if len(text) >= 10 and text[4] == "-":  # fast path: ISO date, optionally with a time
        try:
            return datetime.date.fromisoformat(text[:10])
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise BadRow(f"{column}: '{text[:20]}' is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _text(value: str, limit: int, column: str) -> str:
    text = value.strip()
    if len(text) > limit:
        raise BadRow(f"{column}: longer than {limit} characters")
    return text


def _identifier_type(value: str) -> str:
    text = value.strip().upper()
    if text in _TYPE_BY_CODE:
        return _TYPE_BY_CODE[text]
    if text in IdentifierType.values:
        return text
    raise BadRow(f"TypeIdentifiant: unknown value '{value[:20]}'")


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
AUTO = "auto"
FALLBACK_ENCODING = "cp1252"  # what spreadsheets on Windows save a CSV as


def _is_utf8(raw: IO[bytes]) -> bool:
    """Whether the whole stream decodes as UTF-8 (read in chunks, never all in memory)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := raw.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _text_stream(open_raw: Callable[[], IO[bytes]], encoding: str) -> IO[str]:
    """Decode the file with its byte-order mark stripped, whatever ``encoding`` was given.

    With ``auto``, a byte-order mark says the encoding; without one, UTF-8 when the whole
    file is valid UTF-8, else Windows-1252. A given encoding is used as given, after the
    mark (spreadsheets put a UTF-8 mark in front of files they save in other encodings).
    """
    raw = open_raw()
    head = raw.read(4)
    given = encoding.lower().replace("_", "-")
    chosen = "utf-8" if given in ("utf-8-sig", "utf8") else encoding
    skip = 0
    for bom, bom_encoding in _BOMS:
        if head.startswith(bom):
            skip = len(bom)
            if given == AUTO or bom_encoding != "utf-8":
                chosen = bom_encoding
            break
    else:
        if given == AUTO:
            raw.seek(0)
            chosen = "utf-8" if _is_utf8(raw) else FALLBACK_ENCODING
    raw.seek(skip)
    return io.TextIOWrapper(raw, encoding=chosen, newline="")


@contextmanager
def open_text(path: Path, encoding: str) -> Iterator[IO[str]]:
    """The CSV as a text stream; a ``.zip`` (as the API delivers it) holding one file too."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            if len(names) != 1:
                raise DomainError(f"{path.name}: the archive must hold exactly one file")
            with _text_stream(lambda: _seekable(archive, names[0]), encoding) as handle:
                yield handle
        return
    with _text_stream(lambda: path.open("rb"), encoding) as handle:
        yield handle


def _seekable(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A zip member that can be read twice (detection, then import) without holding it all."""
    spooled = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (closed by caller)
    with archive.open(name) as member:
        shutil.copyfileobj(member, spooled)
    spooled.seek(0)
    return spooled


class _Rows:
    """Streams CSV records as tuples in our column order, with their line numbers.

    With a header, columns are found by name (any order, optional ones may be missing);
    without one, the documented order is assumed. A record of the wrong width yields the
    reason as a string; a blank line yields ``""``.
    """

    def __init__(
        self, handle: IO[str], columns: tuple[str, ...], required: tuple[str, ...], delimiter: str
    ) -> None:
        self.reader = csv.reader(handle, delimiter=delimiter)
        self.first: list[str] | None = next(self.reader, None)
        header = [c.strip().lstrip("\ufeff") for c in self.first or []]
        lowered = {name.lower(): i for i, name in enumerate(header)}
        if any(name.lower() in lowered for name in required):
            missing = [name for name in required if name.lower() not in lowered]
            if missing:
                raise DomainError(f"missing column(s) in the header: {', '.join(missing)}")
            self.width = len(header)
            # A missing optional column reads the empty cell appended at index ``width``.
            self.pad = any(name.lower() not in lowered for name in columns)
            indexes = [lowered.get(name.lower(), self.width) for name in columns]
            self.first = None  # it was a header, not data
        else:
            self.width = len(columns)
            self.pad = False
            indexes = list(range(len(columns)))
        self.getter = operator.itemgetter(*indexes)

    def __iter__(self) -> Iterator[tuple[int, tuple[str, ...] | str]]:
        if self.first is not None:
            yield 1, self._map(self.first)
        reader = self.reader
        for record in reader:
            yield reader.line_num, self._map(record)

    def _map(self, record: list[str]) -> tuple[str, ...] | str:
        if len(record) != self.width:
            if not record or all(not cell.strip() for cell in record):
                return ""  # blank line: skipped silently
            return f"expected {self.width} columns, found {len(record)}"
        if self.pad:
            record.append("")
        values: tuple[str, ...] = self.getter(record)
        return values


def _structure_row(values: tuple[str, ...], warn: Callable[[str], None]) -> tuple[Any, ...]:
    (
        type_code,
        identifier,
        name,
        edi_emitter,
        edi_receiver,
        payment_status,
        commitment,
        service,
        service_or_commitment,
        moa,
        moa_only,
        active,
        address1,
        address2,
        address3,
        postal_code,
        city,
        phone,
        email,
        country,
        _country_label,
    ) = values
    identifier_type = _identifier_type(type_code)
    try:
        checked = identifier_check(
            identifier_type=identifier_type,
            identifier=identifier,
            country=country.strip().upper() or "FR",
        )
    except ValidationError as exc:
        reasons = "; ".join(str(m) for m in exc.messages)
        raise BadRow(f"Identifiant '{identifier[:20]}': {reasons}") from None
    name = " ".join(name.split())
    if not name:
        raise BadRow("RaisonSociale is empty")
    if len(name) > _LIMITS["name"]:
        raise BadRow(f"RaisonSociale: longer than {_LIMITS['name']} characters")
    email = email.strip()
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        warn(f"Courriel '{email[:40]}' is not an e-mail address: left empty")
        email = ""
    city = _text(city, _LIMITS["city"], "Ville")
    return (
        checked.identifier_type,
        checked.identifier,
        checked.country,
        name,
        search_normalize(name),
        _text(address1, _LIMITS["address_line1"], "Adresse"),
        _text(address2, _LIMITS["address_line2"], "ComplementAdresse1"),
        _text(address3, _LIMITS["address_line3"], "ComplementAdresse2"),
        _text(postal_code, _LIMITS["postal_code"], "CodePostal").replace(" ", ""),
        city,
        search_normalize(city),
        _text(phone, _LIMITS["phone"], "NumTelephone"),
        email.lower(),
        _bool(active, "StructureActive", True),
        _bool(edi_emitter, "EmetteurEdi", False),
        _bool(edi_receiver, "RecepteurEdi", False),
        _bool(payment_status, "GestionStatutMiseEnPaiement", False),
        _bool(commitment, "GestionEngagement", False),
        _bool(service, "GestionService", False),
        _bool(service_or_commitment, "GestionServiceEngagement", False),
        _bool(moa, "EstMOA", False),
        _bool(moa_only, "EstMOAUniquement", False),
    )


_STRUCTURE_STAGE = """
CREATE TEMPORARY TABLE directory_stage (
    line integer NOT NULL,
    identifier_type text NOT NULL, identifier text NOT NULL, country text NOT NULL,
    name text NOT NULL, search_name text NOT NULL,
    address_line1 text NOT NULL, address_line2 text NOT NULL, address_line3 text NOT NULL,
    postal_code text NOT NULL, city text NOT NULL, search_city text NOT NULL,
    phone text NOT NULL, email text NOT NULL, is_active boolean NOT NULL,
    edi_emitter boolean NOT NULL, edi_receiver boolean NOT NULL,
    manages_payment_status boolean NOT NULL, commitment_required boolean NOT NULL,
    service_code_required boolean NOT NULL, service_or_commitment_required boolean NOT NULL,
    is_moa boolean NOT NULL, is_moa_only boolean NOT NULL
) ON COMMIT DROP
"""
_STRUCTURE_STAGE_COLUMNS = (
    "line, identifier_type, identifier, country, name, search_name, address_line1, "
    "address_line2, address_line3, postal_code, city, search_city, phone, email, is_active, "
    "edi_emitter, edi_receiver, manages_payment_status, commitment_required, "
    "service_code_required, service_or_commitment_required, is_moa, is_moa_only"
)
_SERVICE_STAGE = """
CREATE TEMPORARY TABLE directory_service_stage (
    line integer NOT NULL,
    identifier_type text NOT NULL, identifier text NOT NULL,
    code text NOT NULL, name text NOT NULL, is_active boolean NOT NULL,
    start_date date, end_date date,
    commitment_required boolean NOT NULL, manages_payment_status boolean NOT NULL
) ON COMMIT DROP
"""
_SERVICE_STAGE_COLUMNS = (
    "line, identifier_type, identifier, code, name, is_active, start_date, end_date, "
    "commitment_required, manages_payment_status"
)


def _service_row(values: tuple[str, ...]) -> tuple[Any, ...] | None:
    (
        type_code,
        identifier,
        code,
        name,
        active,
        start_text,
        end_text,
        commitment,
        payment_status,
    ) = values
    identifier_type = _identifier_type(type_code or "1")
    identifier = compact(identifier)
    if not identifier:
        raise BadRow("Identifiant is empty")
    code = _text(code, _LIMITS["code"], "CodeService")
    if not code:
        raise BadRow("CodeService is empty")
    if code.upper() in PSEUDO_SERVICE_CODES:
        return None
    name = _text(name, _LIMITS["service_name"], "NomService")
    if not name:
        raise BadRow("NomService is empty")
    start = _date(start_text, "DateDebutService")
    end = _date(end_text, "DateFinService")
    if start and end and end < start:
        raise BadRow("DateFinService is before DateDebutService")
    return (
        identifier_type,
        identifier,
        code,
        name,
        _bool(active, "ServiceActif", True),
        start,
        end,
        _bool(commitment, "GestionEngagement", False),
        _bool(payment_status, "GestionStatutMiseEnPaiement", False),
    )


class _TimedCursor:
    """Adds up the time of each statement (``summary.extra["timings"]``, for the benchmark)."""

    def __init__(self, cursor: Any, timings: dict[str, float]) -> None:
        self._cursor = cursor
        self._timings = timings

    def execute(self, sql: str, params: Any = None) -> None:
        label = " ".join(sql.split())[:60]
        begin = time.monotonic()
        self._cursor.execute(sql, params)
        self._timings[label] = round(self._timings.get(label, 0.0) + time.monotonic() - begin, 3)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


_TRIGGERS_IGNORED = (
    # Row-by-row insert events would double the cost of a first load of 500,000 rows; the
    # import is itself the provenance of what it creates (docs/decisions.md). Updates and
    # deactivations it makes are recorded as usual.
    "accounts.Structure:insert_insert",
    "public_entities.PublicEntity:insert_insert",
    "public_entities.EntityService:insert_insert",
)
_DROP_STAGES = (
    "DROP TABLE IF EXISTS directory_stage, directory_changed, directory_service_stage, "
    "directory_services"
)


def directory_import(
    *,
    structures_path: Path,
    services_path: Path | None = None,
    report: Reporter,
    encoding: str = AUTO,
    delimiter: str = ";",
    deactivate: bool = True,
    max_deactivate_ratio: float = 0.5,
    bulk_min_rows: int = BULK_MIN_ROWS,
) -> ImportSummary:
    """Import the directory export (and our services file). See the module docstring.

    ``report(file_label, line, reason)`` is called for every bad row (and warnings), as soon
    as it is found. Deactivation of vanished structures is skipped (and said so in the
    summary) when it would hit more than ``max_deactivate_ratio`` of the directory: a
    truncated or wrong file must not switch the directory off.
    """
    started = time.monotonic()
    summary = ImportSummary()
    timings: dict[str, float] = {}
    summary.extra["timings"] = timings
    # The savepoint is the innermost block: a failure rolls back before the audit context and
    # the trigger switch (which both run a statement on exit) are left.
    with (
        actor_context(system_actor("import_directory")),
        pgtrigger.ignore(*_TRIGGERS_IGNORED),
        transaction.atomic(),
        connection.cursor() as raw_cursor,
    ):
        cursor: Any = _TimedCursor(raw_cursor, timings)
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
        # Check foreign keys row by row rather than queueing 500,000 deferred checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # ON COMMIT DROP does not fire while an outer transaction is open: drop explicitly.
        cursor.execute(_DROP_STAGES)
        valid = _stage_structures(cursor, structures_path, summary, report, encoding, delimiter)
        _upsert_structures(cursor, summary, valid, bulk_min_rows)
        if deactivate:
            _deactivate_structures(
                cursor, summary, report, structures_path.name, valid, max_deactivate_ratio
            )
        if services_path is not None:
            _import_services(
                cursor,
                services_path,
                summary,
                report,
                encoding=encoding,
                delimiter=delimiter,
                deactivate=deactivate,
                bulk_min_rows=bulk_min_rows,
            )
        cursor.execute(_DROP_STAGES)
    summary.seconds = time.monotonic() - started
    return summary


def _tables() -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    return (
        quote(Structure._meta.db_table),
        quote(PublicEntity._meta.db_table),
        quote(EntityService._meta.db_table),
    )


def _copy_structures(
    rows: _Rows, copy: Any, summary: ImportSummary, report: Reporter, label: str
) -> None:
    for line, row in rows:
        if row == "":
            continue
        summary.structures_read += 1
        if isinstance(row, str):
            summary.bad_rows += 1
            report(label, line, row)
            continue

        def warn(reason: str, line: int = line) -> None:
            summary.warnings += 1
            report(label, line, f"warning: {reason}")

        try:
            values = _structure_row(row, warn)
        except BadRow as exc:
            summary.bad_rows += 1
            report(label, line, str(exc))
            continue
        copy.write_row((line, *values))


def _stage_structures(
    cursor: Any,
    path: Path,
    summary: ImportSummary,
    report: Reporter,
    encoding: str,
    delimiter: str,
) -> int:
    """Parse, validate and COPY the structures into ``directory_stage``; return its size."""
    label = path.name
    cursor.execute(_STRUCTURE_STAGE)
    parse_started = time.monotonic()
    with open_text(path, encoding) as handle:
        rows = _Rows(handle, STRUCTURE_COLUMNS, REQUIRED_STRUCTURE_COLUMNS, delimiter)
        copy_sql = f"COPY directory_stage ({_STRUCTURE_STAGE_COLUMNS}) FROM STDIN"
        with cursor.copy(copy_sql) as copy:
            _copy_structures(rows, copy, summary, report, label)
    summary.extra["timings"]["parse and COPY structures"] = round(
        time.monotonic() - parse_started, 3
    )
    cursor.execute("ANALYZE directory_stage")
    # Duplicates: the first occurrence wins, later ones are bad rows.
    cursor.execute(
        """
        WITH ranked AS (
            SELECT line, identifier, min(line) OVER (
                PARTITION BY identifier_type, country, identifier) AS first_line
            FROM directory_stage
        )
        DELETE FROM directory_stage d USING ranked r
        WHERE d.line = r.line AND r.line <> r.first_line
        RETURNING d.line, d.identifier, r.first_line
        """
    )
    for line, identifier, first_line in sorted(cursor.fetchall()):
        summary.bad_rows += 1
        report(label, line, f"Identifiant {identifier} already given at line {first_line}")
    cursor.execute("SELECT count(*) FROM directory_stage")
    return int(cursor.fetchone()[0])


_STRUCTURE_FIELDS = (
    "name",
    "address_line1",
    "address_line2",
    "address_line3",
    "postal_code",
    "city",
    "phone",
    "email",
    "is_active",
)
_ENTITY_FIELDS = (
    "commitment_required",
    "service_code_required",
    "service_or_commitment_required",
    "manages_payment_status",
    "edi_emitter",
    "edi_receiver",
    "is_moa",
    "is_moa_only",
)
_SERVICE_FIELDS = (
    "name",
    "is_active",
    "start_date",
    "end_date",
    "commitment_required",
    "manages_payment_status",
)


def _changed(target: str, source: str, names: tuple[str, ...]) -> str:
    left = ", ".join(f"{target}.{n}" for n in names)
    right = ", ".join(f"{source}.{n}" for n in names)
    return f"({left}) IS DISTINCT FROM ({right})"


def _assign(source: str, names: tuple[str, ...]) -> str:
    return ", ".join(f"{n} = {source}.{n}" for n in names)


@contextmanager
def _bulk_load(cursor: Any, table: str, *, enabled: bool) -> Iterator[None]:
    """For a first load, apply PostgreSQL's bulk-loading advice to ``table``.

    Secondary indexes and foreign keys are dropped and rebuilt once at the end (validated in
    one pass), and the audit insert trigger is disabled, instead of maintaining all three row
    by row: about three times faster. The exclusive lock this takes lasts until the import
    commits, which is why it is only done when the import brings at least ``BULK_MIN_ROWS``
    new rows and ``BULK_RATIO`` of the table's size (a first load, not a weekly refresh).
    """
    if not enabled:
        yield
        return
    quote = connection.ops.quote_name
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT x.indisunique",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
        "AND NOT tgisinternal AND tgname LIKE %s",
        [table, "pgtrigger_insert_insert_%"],
    )
    triggers = [row[0] for row in cursor.fetchall()]
    for name, _definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    for name in triggers:
        cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(name)}")
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for name in triggers:
        cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(name)}")


def _is_bulk(cursor: Any, table: str, new_rows: int, min_rows: int) -> bool:
    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
    existing = int(cursor.fetchone()[0])
    return new_rows >= min_rows and new_rows >= BULK_RATIO * existing


def _upsert_structures(cursor: Any, summary: ImportSummary, valid: int, bulk_min_rows: int) -> None:
    """Update the structures that changed, insert the new ones (+ public-entity rows).

    Two plain statements rather than ``INSERT ... ON CONFLICT``: a first load inserts
    ~40 % faster without speculative insertion, and the advisory lock already keeps other
    imports out.
    """
    s_table, pe_table, _ = _tables()
    key = (
        "s.identifier_type = d.identifier_type AND s.country = d.country "
        "AND s.identifier = d.identifier"
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE directory_changed (id bigint PRIMARY KEY, inserted boolean)"
        " ON COMMIT DROP"
    )
    cursor.execute(
        f"""
        WITH updated AS (
            UPDATE {s_table} s SET kind = %s, {_assign("d", _STRUCTURE_FIELDS)},
                search_name = d.search_name, search_city = d.search_city, updated_at = now()
            FROM directory_stage d
            WHERE {key} AND (s.kind <> %s OR {_changed("s", "d", _STRUCTURE_FIELDS)})
            RETURNING s.id
        )
        INSERT INTO directory_changed SELECT id, false FROM updated
        """,  # noqa: S608  (table and column names from code, values as parameters)
        [StructureKind.PUBLIC, StructureKind.PUBLIC],
    )
    cursor.execute(
        f"SELECT count(*) FROM directory_stage d WHERE NOT EXISTS "  # noqa: S608
        f"(SELECT 1 FROM {s_table} s WHERE {key})"
    )
    new_rows = int(cursor.fetchone()[0])
    bulk = _is_bulk(cursor, s_table, new_rows, bulk_min_rows)
    summary.extra["bulk_load"] = bulk
    with _bulk_load(cursor, Structure._meta.db_table, enabled=bulk):
        cursor.execute(
            f"""
        WITH inserted AS (
            INSERT INTO {s_table} (
                public_id, kind, identifier_type, identifier, country, name, vat_number,
                address_line1, address_line2, address_line3, postal_code, city, phone,
                email, is_active, search_name, search_city, created_at, updated_at)
            SELECT gen_random_uuid(), %s, identifier_type, identifier, country, name, '',
                address_line1, address_line2, address_line3, postal_code, city, phone,
                email, is_active, search_name, search_city, now(), now()
            FROM directory_stage d
            WHERE NOT EXISTS (SELECT 1 FROM {s_table} s WHERE {key})
            RETURNING id
        )
        INSERT INTO directory_changed SELECT id, true FROM inserted
        """,  # noqa: S608
            [StructureKind.PUBLIC],
        )
    # Public-entity parameters: update those that changed, create the missing rows.
    cursor.execute(
        f"""
        WITH updated AS (
            UPDATE {pe_table} pe SET {_assign("d", _ENTITY_FIELDS)},
                in_directory = true, directory_updated_at = now()
            FROM directory_stage d JOIN {s_table} s ON {key}
            WHERE pe.structure_id = s.id
              AND (NOT pe.in_directory OR {_changed("pe", "d", _ENTITY_FIELDS)})
            RETURNING pe.structure_id
        )
        INSERT INTO directory_changed SELECT structure_id, false FROM updated
        ON CONFLICT (id) DO NOTHING
        """  # noqa: S608
    )
    with _bulk_load(cursor, PublicEntity._meta.db_table, enabled=bulk):
        cursor.execute(
            f"""
            INSERT INTO {pe_table} (
                structure_id, category, {", ".join(_ENTITY_FIELDS)}, is_delegated_validator,
                in_directory, directory_updated_at)
            SELECT s.id, 'AUTRE', {", ".join(f"d.{n}" for n in _ENTITY_FIELDS)}, false, true,
                now()
            FROM directory_stage d JOIN {s_table} s ON {key}
            WHERE NOT EXISTS (SELECT 1 FROM {pe_table} pe WHERE pe.structure_id = s.id)
            """  # noqa: S608
        )
    # A structure that only gained a public-entity row (it was a supplier) changed too.
    cursor.execute(
        "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
        "FROM directory_changed"
    )
    created, updated = cursor.fetchone()
    summary.structures_created = created
    summary.structures_updated = updated
    summary.structures_unchanged = valid - created - updated


def _deactivate_structures(
    cursor: Any,
    summary: ImportSummary,
    report: Reporter,
    label: str,
    valid: int,
    max_ratio: float,
) -> None:
    s_table, pe_table, _ = _tables()
    vanished_sql = f"""
        FROM {pe_table} pe JOIN {s_table} s ON s.id = pe.structure_id
        WHERE pe.in_directory AND s.is_active AND NOT EXISTS (
            SELECT 1 FROM directory_stage d WHERE d.identifier_type = s.identifier_type
            AND d.country = s.country AND d.identifier = s.identifier)
    """  # noqa: S608
    cursor.execute(f"SELECT count(*) {vanished_sql}")
    vanished = cursor.fetchone()[0]
    if not vanished:
        return
    cursor.execute(f"SELECT count(*) FROM {pe_table} WHERE in_directory")  # noqa: S608
    in_directory = cursor.fetchone()[0]
    if valid == 0 or vanished > max_ratio * in_directory:
        summary.deactivation_skipped = True
        report(
            label,
            0,
            f"warning: {vanished} of {in_directory} directory structures are missing from "
            "this file; none deactivated (use --force-deactivate if intended)",
        )
        return
    cursor.execute(
        f"UPDATE {s_table} SET is_active = false, updated_at = now() "  # noqa: S608
        f"WHERE id IN (SELECT s.id {vanished_sql})"
    )
    summary.structures_deactivated = cursor.rowcount


def _copy_services(
    rows: _Rows, copy: Any, summary: ImportSummary, report: Reporter, label: str
) -> None:
    for line, row in rows:
        if row == "":
            continue
        summary.services_read += 1
        if isinstance(row, str):
            summary.bad_rows += 1
            report(label, line, row)
            continue
        try:
            values = _service_row(row)
        except BadRow as exc:
            summary.bad_rows += 1
            report(label, line, str(exc))
            continue
        if values is None:
            summary.services_ignored += 1
            continue
        copy.write_row((line, *values))


def _import_services(
    cursor: Any,
    path: Path,
    summary: ImportSummary,
    report: Reporter,
    *,
    encoding: str,
    delimiter: str,
    deactivate: bool,
    bulk_min_rows: int,
) -> None:
    s_table, pe_table, es_table = _tables()
    label = path.name
    cursor.execute(_SERVICE_STAGE)
    parse_started = time.monotonic()
    with open_text(path, encoding) as handle:
        rows = _Rows(handle, SERVICE_COLUMNS, REQUIRED_SERVICE_COLUMNS, delimiter)
        copy_sql = f"COPY directory_service_stage ({_SERVICE_STAGE_COLUMNS}) FROM STDIN"
        with cursor.copy(copy_sql) as copy:
            _copy_services(rows, copy, summary, report, label)
    summary.extra["timings"]["parse and COPY services"] = round(time.monotonic() - parse_started, 3)
    # Resolve each service's structure among the public entities (one hash join).
    cursor.execute("ANALYZE directory_service_stage")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE directory_services ON COMMIT DROP AS
        SELECT d.line, d.identifier, d.code, d.name, d.is_active, d.start_date, d.end_date,
            d.commitment_required, d.manages_payment_status, s.id AS structure_id
        FROM directory_service_stage d
        LEFT JOIN ({s_table} s JOIN {pe_table} pe ON pe.structure_id = s.id)
            ON s.identifier_type = d.identifier_type AND s.identifier = d.identifier
        """  # noqa: S608
    )
    cursor.execute(
        "DELETE FROM directory_services WHERE structure_id IS NULL RETURNING line, identifier"
    )
    for line, identifier in sorted(cursor.fetchall()):
        summary.bad_rows += 1
        report(label, line, f"Identifiant {identifier}: no such public structure")
    cursor.execute("ANALYZE directory_services")
    cursor.execute(
        """
        WITH ranked AS (
            SELECT line, code, min(line) OVER (PARTITION BY structure_id, code) AS first_line
            FROM directory_services
        )
        DELETE FROM directory_services d USING ranked r
        WHERE d.line = r.line AND r.line <> r.first_line
        RETURNING d.line, d.code, r.first_line
        """
    )
    for line, code, first_line in sorted(cursor.fetchall()):
        summary.bad_rows += 1
        report(label, line, f"CodeService {code} already given at line {first_line}")
    cursor.execute("SELECT count(*) FROM directory_services")
    valid = int(cursor.fetchone()[0])
    cursor.execute(
        f"""
        UPDATE {es_table} es SET {_assign("d", _SERVICE_FIELDS)},
            in_directory = true, updated_at = now()
        FROM directory_services d
        WHERE es.structure_id = d.structure_id AND es.code = d.code
          AND (NOT es.in_directory OR {_changed("es", "d", _SERVICE_FIELDS)})
        """  # noqa: S608
    )
    summary.services_updated = cursor.rowcount
    new_services = (
        f"FROM directory_services d WHERE NOT EXISTS (SELECT 1 FROM {es_table} es "  # noqa: S608
        "WHERE es.structure_id = d.structure_id AND es.code = d.code)"
    )
    cursor.execute(f"SELECT count(*) {new_services}")
    bulk = _is_bulk(cursor, es_table, int(cursor.fetchone()[0]), bulk_min_rows)
    with _bulk_load(cursor, EntityService._meta.db_table, enabled=bulk):
        cursor.execute(
            f"""
            INSERT INTO {es_table} (
                public_id, structure_id, code, name, description, is_active, start_date,
                end_date, commitment_required, manages_payment_status, in_directory,
                created_at, updated_at)
            SELECT gen_random_uuid(), structure_id, code, name, '', is_active, start_date,
                end_date, commitment_required, manages_payment_status, true, now(), now()
            {new_services}
            """
        )
        summary.services_created = cursor.rowcount
    summary.services_unchanged = valid - summary.services_created - summary.services_updated
    if deactivate and not summary.deactivation_skipped:
        cursor.execute(
            f"""
            UPDATE {es_table} es SET is_active = false, updated_at = now()
            FROM {pe_table} pe
            WHERE pe.structure_id = es.structure_id AND pe.in_directory
              AND es.in_directory AND es.is_active
              AND NOT EXISTS (SELECT 1 FROM directory_services d
                              WHERE d.structure_id = es.structure_id AND d.code = es.code)
            """  # noqa: S608
        )
        summary.services_deactivated = cursor.rowcount
