"""Small real files for upload tests (uploads are checked by content, not by name)."""

from __future__ import annotations

import io

import pikepdf


def tiny_pdf(title: str = "document") -> bytes:
    """A valid one-page PDF (qpdf can open it), a few hundred bytes."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Title"] = title
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
