"""CSV exports that spreadsheets open safely (no formula injection) and correctly in French.

Text cells starting with a formula trigger get a leading apostrophe (OWASP, ASVS 1.2.10);
numbers stay numbers. The French dialect (UTF-8 with BOM, ``;``, decimal comma) is what
French Excel expects.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")


def safe_cell(value: object, *, decimal_comma: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_rows(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, french: bool = True
) -> Iterator[str]:
    """Yield the CSV text in chunks, so that large exports stream instead of filling memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if french else ",", lineterminator="\r\n")
    if french:
        yield "\ufeff"
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell, decimal_comma=french) for cell in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
