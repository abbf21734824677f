import csv
import io
from decimal import Decimal

from chorus.core.csvexport import csv_rows, safe_cell


def test_formula_triggers_are_neutralised_and_numbers_stay_numbers():
    text = "".join(
        csv_rows(
            ["Numéro", "Montant"],
            [['=HYPERLINK("http://x")', Decimal("1234.56")], ["+cmd", 3], ["@SUM(A1)", None]],
        )
    )

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "1234,56"]
    assert rows[2] == ["'+cmd", "3"]
    assert rows[3] == ["'@SUM(A1)", ""]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_standard_dialect_keeps_dots_and_commas():
    text = "".join(csv_rows(["a", "b"], [["x", Decimal("1.50")]], french=False))

    assert text.splitlines()[1] == "x,1.50"


def test_negative_number_is_a_number_not_a_formula():
    assert safe_cell(Decimal("-2.00")) == "-2,00"
    assert safe_cell("-2+3") == "'-2+3"
