"""The OpenAPI description: generated without warnings, served, documented."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client


def test_the_description_generates_without_warnings(tmp_path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/cpro/transverses/v1/health-check" in text
    assert "cpro-account" in text


@pytest.mark.django_db
def test_the_description_and_its_page_need_no_token() -> None:
    client = Client()
    schema = client.get("/api/schema/", headers={"Accept": "application/vnd.oai.openapi+json"})
    assert schema.status_code == 200
    assert "/cpro/transverses/v1/health-check" in schema.content.decode()
    page = client.get("/api/documentation/")
    assert page.status_code == 200
    assert b"redoc" in page.content.lower()
