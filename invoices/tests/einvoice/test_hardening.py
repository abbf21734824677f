"""Hostile and broken input: every case gets its own finding, nothing escapes.

The malicious documents are generated here, at test time (no bombs in the repository).
"""

from __future__ import annotations

import io
import time

import pytest

from invoices.einvoice import xmlsafe
from invoices.einvoice.syntax import Syntax
from invoices.einvoice.validation import validate_invoice
from invoices.tests.einvoice.conftest import sample

CII = sample("cii_invoice_minimal.xml")


def only_rule(data: bytes) -> set[str]:
    report = validate_invoice(data)
    assert not report.valid
    return set(report.fatal_rule_ids)


def test_external_entity_xxe_is_refused_before_parsing(tmp_path: pytest.TempPathFactory) -> None:
    canary = tmp_path / "canary.txt"  # type: ignore[operator]
    canary.write_text("CANARY-SECRET")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{canary}">]>'
        '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:'
        'CrossIndustryInvoice:100">&x;</rsm:CrossIndustryInvoice>'
    ).encode()
    report = validate_invoice(data)
    assert report.fatal_rule_ids == ["CHORUS-XML-DTD"]
    assert "CANARY-SECRET" not in repr(report)


def test_billion_laughs_is_refused_quickly() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{"&a" + str(i - 1) + ";" * 1}' + f'{("&a" + str(i - 1) + ";") * 9}">'
        for i in range(1, 10)
    )
    data = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><lolz>&a9;</lolz>'.encode()
    started = time.perf_counter()
    assert only_rule(data) == {"CHORUS-XML-DTD"}
    assert time.perf_counter() - started < 1.0


def test_external_dtd_is_refused() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>'
    assert only_rule(data) == {"CHORUS-XML-DTD"}


def test_undefined_entity_without_dtd_is_malformed() -> None:
    assert only_rule(b"<r>&nope;</r>") == {"CHORUS-XML-MALFORMED"}


def test_invalid_utf8_is_an_encoding_error() -> None:
    data = CII.replace("Ministère".encode(), "Minist\xe8re".encode("latin-1"))
    assert only_rule(data) == {"CHORUS-XML-ENCODING"}


def test_declared_latin1_is_refused_without_transcoding() -> None:
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?><r>\xe9</r>'
    assert only_rule(data) == {"CHORUS-XML-ENCODING"}


def test_utf16_is_refused() -> None:
    data = CII.decode().encode("utf-16")
    assert only_rule(data) == {"CHORUS-XML-ENCODING"}


def test_utf8_bom_is_accepted() -> None:
    assert validate_invoice(b"\xef\xbb\xbf" + CII).valid


def test_xml_1_1_is_refused() -> None:
    assert only_rule(b'<?xml version="1.1"?><r/>') == {"CHORUS-XML-VERSION"}


def test_control_characters_are_refused() -> None:
    assert only_rule(CII.replace(b"Ramettes", b"Ram\x01ettes")) == {"CHORUS-XML-ENCODING"}


def test_depth_bomb_is_refused() -> None:
    depth = xmlsafe.MAX_DEPTH + 50
    data = b"<a>" * depth + b"</a>" * depth
    assert only_rule(data) == {"CHORUS-XML-DEPTH"}


def test_too_large_xml_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlsafe, "MAX_XML_BYTES", 1000)
    assert only_rule(CII) == {"CHORUS-XML-TOO-LARGE"}


def test_empty_file_is_refused() -> None:
    assert only_rule(b"") == {"CHORUS-XML-EMPTY"}
    assert only_rule(b"   \n") == {"CHORUS-XML-EMPTY"}


def test_wrong_root_element_is_refused() -> None:
    report = validate_invoice(sample("zugferd1_root.xml"))
    assert report.fatal_rule_ids == ["CHORUS-ROOT"]
    assert report.syntax is Syntax.OTHER_XML


def test_comment_inside_a_value_reads_like_xpath_string() -> None:
    from invoices.einvoice.readers import read_invoice

    data = CII.replace(b"<ram:ID>F-2025-0002</ram:ID>", b"<ram:ID>F-2025<!-- x -->-0002</ram:ID>")
    assert read_invoice(data).number == "F-2025-0002"


def _pdf(*attachments: tuple[str, bytes], encrypt: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    for name, content in attachments:
        writer.add_attachment(name, content)
    if encrypt:
        writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_factur_x_pdf_is_read_through_its_embedded_xml() -> None:
    report = validate_invoice(_pdf(("factur-x.xml", CII)))
    assert report.syntax is Syntax.FACTURX_PDF
    assert report.valid, report.findings


def test_pdf_without_xml_gets_no_xml_finding() -> None:
    report = validate_invoice(_pdf(("notes.txt", b"hello")))
    assert report.fatal_rule_ids == ["CHORUS-PDF-NO-XML"]
    assert report.syntax is Syntax.PDF_WITHOUT_XML


def test_pdf_with_two_invoice_xml_is_ambiguous() -> None:
    report = validate_invoice(_pdf(("factur-x.xml", CII), ("zugferd-invoice.xml", CII)))
    assert report.fatal_rule_ids == ["CHORUS-PDF-MULTIPLE-XML"]


def test_pdf_with_an_additional_non_invoice_xml_is_fine() -> None:
    extra = b"<logistics><item/></logistics>"
    report = validate_invoice(_pdf(("factur-x.xml", CII), ("additional.xml", extra)))
    assert report.valid, report.fatal_rule_ids


def test_truncated_pdf_is_unreadable() -> None:
    data = _pdf(("factur-x.xml", CII))
    report = validate_invoice(data[: len(data) // 3])
    assert report.fatal_rule_ids in (["CHORUS-PDF-UNREADABLE"], ["CHORUS-PDF-NO-XML"])


def test_garbage_after_pdf_magic_is_unreadable() -> None:
    assert only_rule(b"%PDF-1.7\n" + bytes(range(256)) * 4) <= {
        "CHORUS-PDF-UNREADABLE",
        "CHORUS-PDF-NO-XML",
    }


def test_encrypted_pdf_is_refused() -> None:
    assert only_rule(_pdf(("factur-x.xml", CII), encrypt=True)) == {"CHORUS-PDF-ENCRYPTED"}


def test_pdf_embedding_broken_xml_reports_the_xml_problem() -> None:
    report = validate_invoice(_pdf(("factur-x.xml", b"<rsm:oops")))
    assert report.fatal_rule_ids == ["CHORUS-XML-MALFORMED"]


def test_random_bytes_never_raise() -> None:
    import random

    rng = random.Random(4)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        report = validate_invoice(data)
        assert not report.valid
        assert report.findings


def test_flate_bomb_attachment_is_not_inflated(monkeypatch: pytest.MonkeyPatch) -> None:
    from invoices.einvoice import pdf

    monkeypatch.setattr(pdf, "MAX_ATTACHMENT_BYTES", 4096)
    padded = CII.replace(b"<ram:Name>Ramettes", b"<!--" + b" " * 20000 + b"--><ram:Name>Ramettes")
    report = validate_invoice(_pdf(("factur-x.xml", padded)))
    assert "CHORUS-PDF-ATTACHMENT-TOO-LARGE" in report.fatal_rule_ids
    assert not report.valid
