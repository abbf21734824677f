"""Stored integration reports are shown in the reader's language, old rows included."""

from __future__ import annotations

from django.utils import translation

from invoices.einvoice.findings import Finding, Location
from invoices.einvoice.validation.messages import message_for
from invoices.reports import report_findings


def test_a_stored_finding_is_translated_when_it_is_shown() -> None:
    stored = [Finding("BR-02", "fatal", Location(bt="BT-1"), message_for("BR-02")).as_report()]

    with translation.override("fr"):
        (french,) = report_findings(stored)
    with translation.override("en"):
        (english,) = report_findings(stored)

    assert french["message"] == "Le numéro de facture (BT-1) manque : renseignez-le."
    assert english["message"] == "The invoice number (BT-1) is missing: fill it in."
    assert french["location"] == "BT-1"


def test_reports_stored_before_messages_became_text_plus_parameters_still_read() -> None:
    legacy = [{"rule_id": "BR-02", "severity": "fatal", "message_fr": "FR", "message_en": "EN"}]

    with translation.override("fr"):
        assert report_findings(legacy)[0]["message"] == "FR"
    with translation.override("en"):
        assert report_findings(legacy)[0]["message"] == "EN"
