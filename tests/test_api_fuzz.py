"""Property-based fuzzing of the API from its own OpenAPI description (schemathesis).

Every operation is called with generated bodies, valid and not, by an authenticated client
with every scope: no answer may be a 5xx, and every answer must match the description
(status codes, bodies). Bounded (a few examples per operation) so that it runs in
``make test``.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings

from chorus.accounts.tests.organisation_factories import structure_with_principal
from chorus.api.testing import cpro_caller

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("api-fuzz")]

EXAMPLES_PER_OPERATION = 8


def test_no_operation_answers_5xx_or_outside_its_description() -> None:
    headers = cpro_caller(structure_with_principal().structure).headers()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the OpenAPI description lists no operation"
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            case.call_and_validate(headers=headers)

        call()
