"""Invoice documents for deposit tests, built from our own minimal UBL sample."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

SAMPLE = (Path(__file__).parent / "samples" / "ubl_invoice_minimal.xml").read_text("utf-8")
SELLER_SIRET = "73282932000074"
BUYER_SIRET = "11000201100044"
SERVICE_CODE = "SERVICE-42"
COMMITMENT = "EJ-1234567890"


def ubl_invoice(
    *,
    number: str = "F-2025-0001",
    seller: str = SELLER_SIRET,
    buyer: str = BUYER_SIRET,
    service_code: str = SERVICE_CODE,
    commitment: str = COMMITMENT,
    framework: str = "A1",
) -> bytes:
    text = (
        SAMPLE.replace("F-2025-0001", number)
        .replace(SELLER_SIRET, seller)
        .replace(BUYER_SIRET, buyer)
        .replace("<cbc:ProfileID>A1</cbc:ProfileID>", f"<cbc:ProfileID>{framework}</cbc:ProfileID>")
    )
    if service_code:
        text = text.replace(SERVICE_CODE, service_code)
    else:
        text = text.replace(f"<cbc:BuyerReference>{SERVICE_CODE}</cbc:BuyerReference>", "")
    if commitment:
        text = text.replace(COMMITMENT, commitment)
    else:
        text = text.replace(
            f"<cac:OrderReference>\n    <cbc:ID>{COMMITMENT}</cbc:ID>\n  </cac:OrderReference>", ""
        )
    return text.encode("utf-8")


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
