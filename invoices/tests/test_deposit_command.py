"""The operators' batch channel: ``manage.py deposit``."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership
from chorus.accounts.tests.factories import make_user
from invoices.models import Invoice
from invoices.tests.documents import BUYER_SIRET, SELLER_SIRET, SERVICE_CODE, ubl_invoice
from invoices.tests.factories import make_structure
from public_entities.models import EntityService, PublicEntity

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> str:
    supplier = make_structure(identifier=SELLER_SIRET)
    user = make_user(email="operateur@example.test")
    Membership.objects.create(
        user=user, structure=supplier, role=Role.USER, areas=[Area.INVOICES_ISSUED]
    )
    recipient = make_structure(public=True, identifier=BUYER_SIRET)
    PublicEntity.objects.create(structure=recipient)
    EntityService.objects.create(structure=recipient, code=SERVICE_CODE, name="Finances")
    return user.email


def _run(*args: str) -> tuple[int, list[dict[str, object]]]:
    out = StringIO()
    code = 0
    try:
        call_command("deposit", *args, stdout=out, stderr=StringIO())
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, [json.loads(line) for line in out.getvalue().splitlines() if line]


def test_deposit_prints_the_flow_and_its_result(operator: str, tmp_path: Path):
    good = tmp_path / "bonne.xml"
    good.write_bytes(ubl_invoice(number="CMD-1"))

    code, lines = _run(str(good), "--as", operator)

    assert code == 0
    assert lines[0]["status"] == "IN_INTEGRE"
    assert str(lines[0]["flow"]).startswith("CHO")
    assert Invoice.objects.filter(number="CMD-1").exists()


def test_deposit_exits_one_when_a_file_is_rejected(operator: str, tmp_path: Path):
    bad = tmp_path / "mauvaise.xml"
    bad.write_bytes(ubl_invoice(number="CMD-2", service_code="INCONNU"))

    code, lines = _run(str(bad), "--as", operator)

    assert code == 1
    assert lines[0]["status"] == "IN_REJETE"
    assert lines[0]["documents"][0]["fatal"] == ["CHORUS-SERVICE_NOT_FOUND"]


def test_deposit_usage_errors_exit_two(operator: str, tmp_path: Path):
    assert _run(str(tmp_path / "absent.xml"), "--as", operator)[0] == 2
    assert _run(str(tmp_path / "absent.xml"), "--as", "nobody@example.test")[0] == 2


def test_deposit_waits_for_the_real_outcome_when_a_worker_took_the_flow(
    operator: str, tmp_path: Path, monkeypatch
):
    """A running worker may claim the flow first: the command reports what it decided."""
    from invoices.management.commands import deposit as command
    from invoices.services.processing import flow_process

    def worker_took_it(*, flow_id: int):
        flow_process(flow_id=flow_id)  # the worker processes it...
        # ...so this process could not claim it (flow_process returns None)

    monkeypatch.setattr(command, "flow_process", worker_took_it)
    good = tmp_path / "bonne.xml"
    good.write_bytes(ubl_invoice(number="CMD-9"))

    code, lines = _run(str(good), "--as", operator)

    assert (code, lines[0]["status"]) == (0, "IN_INTEGRE")
