"""Invoice documents for deposit tests, built with the project's one sample builder."""

from __future__ import annotations

import io
import zipfile

from invoices import demo

BUYER_SIRET = demo.SAMPLE_BUYER
SELLER_SIRET = demo.SAMPLE_SELLER
SERVICE_CODE = demo.SAMPLE_SERVICE
COMMITMENT = demo.SAMPLE_COMMITMENT
ubl_invoice = demo.sample_ubl_invoice


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
