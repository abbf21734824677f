"""The plain-Python command line: output format and exit codes."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

from invoices.einvoice.cli import bench, main, roundtrip, validate_paths
from invoices.einvoice.writers import write_cii
from invoices.tests.einvoice.conftest import SAMPLES
from invoices.tests.einvoice.strategies import french_b2g_invoice

if TYPE_CHECKING:
    from pathlib import Path

    from invoices.einvoice.model import Invoice

VALID = str(SAMPLES / "ubl_invoice_minimal.xml")
INVALID = str(SAMPLES / "cii_facturx_minimum.xml")


def run(paths: list[str], **kwargs: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = validate_paths(paths, out=out, err=err, **kwargs)  # type: ignore[arg-type]
    return status, out.getvalue(), err.getvalue()


def test_one_json_object_per_file() -> None:
    status, out, _ = run([VALID, INVALID])
    assert status == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [set(obj) for obj in lines] == [
        {"file", "syntax", "profile", "valid", "fatal", "warnings"}
    ] * 2
    assert lines[0]["valid"] is True
    assert lines[0]["fatal"] == []
    assert lines[0]["syntax"] == "ubl-invoice"
    assert lines[0]["profile"] == "EN 16931"
    assert lines[1]["valid"] is False
    assert lines[1]["fatal"] == sorted(set(lines[1]["fatal"]))
    assert "BR-16" in lines[1]["fatal"]


def test_exit_zero_when_all_valid() -> None:
    status, _, _ = run([VALID, str(SAMPLES / "cii_invoice_minimal.xml")])
    assert status == 0


def test_missing_file_is_a_usage_error() -> None:
    status, out, err = run([VALID, "/nonexistent/file.xml"])
    assert status == 2
    assert out == ""
    assert "/nonexistent/file.xml" in err


def test_explain_prints_french_then_english() -> None:
    status, out, _ = run([INVALID], explain=True)
    assert status == 1
    assert "BR-16" in out
    fr = out.index("FR:")
    assert fr < out.index("EN:")


def test_french_rule_set_is_optional() -> None:
    _, out, _ = run([INVALID])
    assert "FR-CPP" not in out
    _, out, _ = run([INVALID], rule_sets=["en16931", "fr"])
    assert "FR-CPP-01" in out


def test_main_entry_point_exit_codes() -> None:
    assert main(["validate", VALID]) == 0
    assert main(["validate", INVALID]) == 1
    assert main(["validate", "/nope.xml"]) == 2
    assert main(["nonsense"]) == 2


def test_bench_reports_the_expected_keys(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_bytes((SAMPLES / "ubl_invoice_minimal.xml").read_bytes())
    (tmp_path / "b.xml").write_bytes((SAMPLES / "cii_invoice_minimal.xml").read_bytes())
    result = bench(tmp_path, repeat=2)
    assert result["files"] == 2
    assert {"invoices_per_second", "p50_ms", "p95_ms", "parse_only_p50_ms"} <= set(result)
    assert 0 < result["floor_p50_ms"] < result["p50_ms"]
    assert result["invoices_per_second"] > 0


def _corpus(tmp_path: Path, invoice: Invoice) -> Path:
    (tmp_path / "cii").mkdir()
    (tmp_path / "cii" / "one.xml").write_bytes(write_cii(invoice))
    (tmp_path / "verdicts.csv").write_text("file,verdict\ncii/one.xml,valid\n", encoding="utf-8")
    return tmp_path


def test_roundtrip_prints_one_figure_line_per_target(tmp_path: Path) -> None:
    out = io.StringIO()
    corpus = _corpus(tmp_path, french_b2g_invoice())
    assert roundtrip(corpus, targets=["cii", "ubl"], out=out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {"target": t, "invoices": 1, "valid": 1, "refused": 0, "invalid": 0, "changed": 0}
        | {"terms": {}}
        for t in ("cii", "ubl")
    ]


def test_roundtrip_counts_a_refusal_by_business_term_and_still_succeeds(tmp_path: Path) -> None:
    invoice = french_b2g_invoice()
    assert invoice.totals is not None
    invoice.totals.vat_total_amount = None  # CII can leave BT-110 out, UBL cannot
    out = io.StringIO()
    status = roundtrip(_corpus(tmp_path, invoice), targets=["ubl"], verbose=True, out=out)
    detail, figures = (json.loads(line) for line in out.getvalue().splitlines())
    assert status == 0
    assert detail["outcome"] == "refused"
    assert (figures["refused"], figures["terms"]) == (1, {"BT-110": 1})


def test_roundtrip_without_verdicts_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["roundtrip", "--corpus", str(tmp_path)]) == 2
