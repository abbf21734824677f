"""Command line for the e-invoice core, without Django.

    python -m invoices.einvoice.cli validate PATH... [--explain] [--rule-set fr]
    python -m invoices.einvoice.cli bench --corpus DIR [--repeat N]
    python -m invoices.einvoice.cli roundtrip --corpus DIR [--target cii|ubl|facturx] [-v]

``validate`` prints one JSON object per file and per line::

    {"file": ..., "syntax": ..., "profile": ..., "valid": ..., "fatal": [...], "warnings": [...]}

(``--explain`` prints the messages, French then English, instead; the French comes from
the portal's compiled catalogue, ``make messages``). Exit status: 0 when every file is
valid, 1 otherwise, 2 on usage errors (missing file).

``roundtrip`` writes every officially valid corpus invoice as CII, UBL and Factur-X and
prints one JSON object of figures per target (``-v``: one line per invoice that is not
valid after the round trip); exit 1 when a written invoice is invalid or reads back
changed (a refusal is not a failure). The Django management commands
``validate_invoice``, ``bench_validate`` and ``roundtrip_writers`` call the same functions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from invoices.einvoice.i18n import catalogue_translator

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from invoices.einvoice.validation.core import ValidationReport


class Writer(Protocol):
    """Anything with ``write(str)``: a text file, ``sys.stdout``, Django's OutputWrapper."""

    def write(self, text: str, /) -> object: ...


__all__ = [
    "Writer",
    "bench",
    "collect_corpus",
    "main",
    "report_json",
    "roundtrip",
    "validate_paths",
]

EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def report_json(path: str, report: ValidationReport) -> dict[str, Any]:
    """The one-line JSON summary of a report."""
    return {
        "file": path,
        "syntax": report.syntax.value,
        "profile": report.profile.value,
        "valid": report.valid,
        "fatal": report.fatal_rule_ids,
        "warnings": report.warning_rule_ids,
    }


def _explain(path: str, report: ValidationReport, out: Writer) -> None:
    french = catalogue_translator("fr")
    verdict = "VALIDE / VALID" if report.valid else "INVALIDE / INVALID"
    out.write(f"{path}: {verdict} ({report.syntax.value}, {report.profile.value})\n")
    ordered = sorted(report.findings, key=lambda f: (f.severity != "fatal", f.rule_id))
    for finding in ordered:
        label = "BLOQUANT / FATAL" if finding.severity == "fatal" else "AVERTISSEMENT / WARNING"
        out.write(f"  [{label}] {finding.rule_id} ({finding.location})\n")
        out.write(f"    FR: {finding.text(french)}\n")
        out.write(f"    EN: {finding.text()}\n")


def validate_paths(
    paths: Sequence[str],
    *,
    explain: bool = False,
    rule_sets: Iterable[str] = ("en16931",),
    out: Writer | None = None,
    err: Writer | None = None,
) -> int:
    """Validate files, print one line per file; return the exit status."""
    from invoices.einvoice.validation import validate_invoice

    out = out or sys.stdout
    err = err or sys.stderr
    missing = [p for p in paths if not Path(p).is_file()]
    if not paths or missing:
        for p in missing:
            err.write(f"validate_invoice: fichier introuvable / file not found: {p}\n")
        if not paths:
            err.write("validate_invoice: aucun fichier / no file given\n")
        return EXIT_USAGE
    rule_sets = tuple(rule_sets)
    all_valid = True
    for path in paths:
        data = Path(path).read_bytes()
        report = validate_invoice(data, filename=path, rule_sets=rule_sets)
        all_valid = all_valid and report.valid
        if explain:
            _explain(path, report, out)
        else:
            out.write(json.dumps(report_json(path, report), ensure_ascii=False) + "\n")
    return EXIT_VALID if all_valid else EXIT_INVALID


_INVOICE_SUFFIXES = {".xml", ".pdf"}


def collect_corpus(directory: str | Path) -> list[Path]:
    """Every ``.xml`` / ``.pdf`` file below ``directory`` (sorted)."""
    root = Path(directory)
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in _INVOICE_SUFFIXES
    )


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _parse_only(data: bytes) -> None:
    from lxml import etree

    if data[:5] == b"%PDF-":
        from invoices.einvoice.pdf import extract_invoice_xml

        xml = extract_invoice_xml(data).xml
        if xml is None:
            return
        data = xml
    with contextlib.suppress(etree.XMLSyntaxError):
        etree.fromstring(data)


def _floor(data: bytes) -> None:
    """What every validation must pay before any rule: extraction, hardened parse, XSD."""
    from invoices.einvoice.schemas import schema_for
    from invoices.einvoice.syntax import syntax_from_root_tag
    from invoices.einvoice.xmlsafe import parse_xml

    if data[:5] == b"%PDF-":
        from invoices.einvoice.pdf import extract_invoice_xml

        xml = extract_invoice_xml(data).xml
        if xml is None:
            return
        data = xml
    try:
        root = parse_xml(data)
    except Exception:  # rejected input: its cost is the parse attempt
        return
    syntax = syntax_from_root_tag(root.tag)
    if syntax.is_xml_invoice:
        schema_for(syntax).validate(root)


def bench(directory: str | Path, *, repeat: int = 3) -> dict[str, Any]:
    """Time ``validate_invoice`` over a corpus, in this process (one core)."""
    from invoices.einvoice.validation import validate_invoice

    files = [(p, p.read_bytes()) for p in collect_corpus(directory)]
    if not files:
        raise ValueError(f"no .xml or .pdf file under {directory}")
    for _, data in files:  # warm-up: schemas, code paths
        validate_invoice(data)
    per_call: list[float] = []
    per_call_cpu: list[float] = []
    parse_only: list[float] = []
    clock = time.perf_counter
    cpu = time.process_time
    started, started_cpu = clock(), cpu()
    for _ in range(max(1, repeat)):
        for _, data in files:
            t0, c0 = clock(), cpu()
            validate_invoice(data)
            per_call.append(clock() - t0)
            per_call_cpu.append(cpu() - c0)
    total, total_cpu = clock() - started, cpu() - started_cpu
    floor: list[float] = []
    for _ in range(max(1, repeat)):
        for _, data in files:
            t0 = cpu()
            _parse_only(data)
            parse_only.append(cpu() - t0)
            t0 = cpu()
            _floor(data)
            floor.append(cpu() - t0)
    p50_cpu = statistics.median(per_call_cpu)
    parse_p50 = statistics.median(parse_only)
    return {
        "files": len(files),
        "repeat": max(1, repeat),
        "invoices_per_second": round(len(per_call) / total, 1),
        "p50_ms": round(statistics.median(per_call) * 1000, 4),
        "p95_ms": round(_percentile(per_call, 0.95) * 1000, 4),
        "mean_ms": round(statistics.fmean(per_call) * 1000, 4),
        "parse_only_p50_ms": round(parse_p50 * 1000, 4),
        # CPU time of this process: what one core costs, whatever else runs on the machine
        "cpu_invoices_per_second": round(len(per_call_cpu) / total_cpu, 1) if total_cpu else None,
        "cpu_p50_ms": round(p50_cpu * 1000, 4),
        "cpu_p95_ms": round(_percentile(per_call_cpu, 0.95) * 1000, 4),
        "p50_over_parse_only_p50": round(p50_cpu / parse_p50, 2) if parse_p50 else None,
        # the same files through PDF extraction, hardened parse and XSD only (no rule): no
        # validator built on this pipeline can go below it on this machine
        "floor_p50_ms": round(statistics.median(floor) * 1000, 4),
        "floor_invoices_per_second": (round(len(floor) / sum(floor), 1) if sum(floor) else None),
    }


def roundtrip(
    corpus: str | Path,
    *,
    targets: Sequence[str] = ("cii", "ubl", "facturx"),
    verbose: bool = False,
    out: Writer | None = None,
) -> int:
    """Round-trip the valid corpus invoices; print the figures; 1 if a writer failed."""
    from invoices.einvoice.roundtrip import TARGETS, round_trip_corpus, summarise

    out = out or sys.stdout
    chosen = [t for t in TARGETS if t in targets]
    results = list(round_trip_corpus(Path(corpus), chosen))
    for result in results:
        if verbose and result.outcome != "valid":
            line = {"file": result.file, "target": result.target, "outcome": result.outcome}
            out.write(json.dumps({**line, "detail": result.detail}, ensure_ascii=False) + "\n")
    for target, figures in summarise(results).items():
        out.write(json.dumps({"target": target, **figures}) + "\n")
    failed = any(r.outcome in ("invalid", "changed") for r in results)
    return EXIT_INVALID if failed else EXIT_VALID


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m invoices.einvoice.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    val = sub.add_parser("validate", help="validate invoice files (UBL, CII, Factur-X PDF)")
    val.add_argument("paths", nargs="+", metavar="PATH")
    val.add_argument("--explain", action="store_true", help="print the messages (FR, EN)")
    val.add_argument(
        "--rule-set",
        action="append",
        default=None,
        choices=["en16931", "fr"],
        help="rule sets to apply (default: en16931)",
    )
    ben = sub.add_parser("bench", help="benchmark validation over a corpus folder")
    ben.add_argument("--corpus", required=True)
    ben.add_argument("--repeat", type=int, default=3)
    rtp = sub.add_parser(
        "roundtrip", help="write the valid corpus invoices as CII, UBL, Factur-X and re-read"
    )
    rtp.add_argument("--corpus", required=True)
    rtp.add_argument("--target", action="append", choices=["cii", "ubl", "facturx"], default=None)
    rtp.add_argument("-v", "--verbose", action="store_true", help="one line per non-valid")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_VALID
    if args.command == "validate":
        rule_sets = args.rule_set or ["en16931"]
        return validate_paths(args.paths, explain=args.explain, rule_sets=rule_sets)
    needed = "verdicts.csv" if args.command == "roundtrip" else "."
    if not (Path(args.corpus) / needed).exists():
        sys.stderr.write(f"{args.command}: dossier introuvable / folder not found: {args.corpus}\n")
        return EXIT_USAGE
    if args.command == "roundtrip":
        targets = args.target or ["cii", "ubl", "facturx"]
        return roundtrip(args.corpus, targets=targets, verbose=args.verbose)
    sys.stdout.write(json.dumps(bench(args.corpus, repeat=args.repeat)) + "\n")
    return EXIT_VALID


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
