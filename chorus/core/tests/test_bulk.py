"""rows_update: many rows, several column types, one statement."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chorus.accounts.tests.factories import make_user
from chorus.core.bulk import rows_update
from invoices.models import Flow
from invoices.tests.factories import make_flow, make_structure

pytestmark = pytest.mark.django_db


def test_updates_json_text_and_timestamps_of_each_row():
    user = make_user()
    structure = make_structure()
    flows = [make_flow(structure=structure, depositor=user) for _ in range(3)]
    moment = timezone.now() - datetime.timedelta(hours=1)
    tricky = 'quote " backslash \\ accent é {braces} [1,2]'

    changed = rows_update(
        Flow,
        columns=["last_error", "finished_at", "report"],
        rows=[
            [flow.pk, f"{tricky} {index}", moment, {"n": index, "text": tricky}]
            for index, flow in enumerate(flows)
        ],
    )

    assert changed == 3
    for index, flow in enumerate(flows):
        flow.refresh_from_db()
        assert flow.last_error == f"{tricky} {index}"
        assert flow.finished_at == moment
        assert flow.report == {"n": index, "text": tricky}


def test_no_row_no_statement():
    with CaptureQueriesContext(connection) as queries:
        assert rows_update(Flow, columns=["last_error"], rows=[]) == 0
    assert len(queries) == 0


def test_a_reverse_relation_is_not_a_column():
    with pytest.raises(ValueError, match="not a column"):
        rows_update(Flow, columns=["invoices"], rows=[[1, None]])
