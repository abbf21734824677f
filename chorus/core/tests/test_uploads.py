"""Uploads are judged by their bytes and their names are never cleaned silently (point 6)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT

from chorus.core.exceptions import DomainError
from chorus.core.uploads import upload_content_check, upload_name_check
from chorus.testing.files import tiny_pdf

WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("facture.pdf", tiny_pdf()),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("devis.docx", _docx()),
        ("liste.csv", "Numéro;Montant\n1;12,50\n".encode()),
        ("notes.txt", b"bonjour"),
    ],
)
def test_real_files_pass(name: str, data: bytes) -> None:
    upload_content_check(name, data)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("facture.pdf", WINDOWS_PROGRAM, "FILE_EXECUTABLE"),
        ("notes.txt", WINDOWS_PROGRAM, "FILE_EXECUTABLE"),
        ("outil.zip", b"\x7fELF\x02\x01\x01" + b"\x00" * 20, "FILE_EXECUTABLE"),
        ("facture.pdf", b"<html><script>alert(1)</script></html>", "FILE_CONTENT_MISMATCH"),
        ("facture.pdf", b"%PDF-1.7 but nothing after", "FILE_CONTENT_MISMATCH"),
        ("photo.png", b"GIF89a", "FILE_CONTENT_MISMATCH"),
        ("devis.docx", b"PK\x03\x04 not really a zip", "FILE_CONTENT_MISMATCH"),
        ("notes.txt", b"\x00\x01\x02binary", "FILE_CONTENT_MISMATCH"),
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused(name, data, code) -> None:
    with pytest.raises(DomainError) as refused:
        upload_content_check(name, data)
    assert refused.value.code == code
    assert name in refused.value.message


@pytest.mark.parametrize("name", ["../facture.pdf", "..\\..\\facture.pdf", "a/b.pdf", ".."])
def test_a_name_with_a_path_is_refused_with_a_message(name: str) -> None:
    with pytest.raises(DomainError) as refused:
        upload_name_check(name)
    assert refused.value.code == "FILE_NAME_PATH"


def test_control_characters_in_a_name_are_refused() -> None:
    with pytest.raises(DomainError) as refused:
        upload_name_check("facture\u202egpj.exe")
    assert refused.value.code == "FILE_NAME_CONTROL"


def test_the_upload_parser_keeps_the_path_visible_instead_of_dropping_it() -> None:
    """Django keeps only ``facture.pdf`` of ``../../facture.pdf``; we keep it refusable."""
    # Written by hand: Django's test client would itself drop the path from the name.
    body = (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="f"; filename="../../facture.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + tiny_pdf()
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    request = HttpRequest()
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    _post, files = MultiPartParser(meta, io.BytesIO(body), request.upload_handlers).parse()
    name = files["f"].name

    assert "facture.pdf" in name
    assert "/" not in name  # harmless for storage...
    with pytest.raises(DomainError) as refused:
        upload_name_check(name)  # ...and refused, the message showing what was sent
    assert "../../facture.pdf" in refused.value.message
