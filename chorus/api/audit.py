"""The call log: every ``/cpro/`` call, authenticated or not, with its outcome and duration."""

from __future__ import annotations

import logging
import time
from typing import Any

from chorus.api.authentication import ApiClient
from chorus.api.models import ApiCall
from chorus.core.client_ip import client_ip

logger = logging.getLogger(__name__)


def api_call_record(request: Any, response: Any, started: float | None) -> None:
    """Write one :class:`ApiCall`; a failure to log is logged, never fails the call."""
    auth = getattr(request, "auth", None)
    client = auth if isinstance(auth, ApiClient) else None
    data = getattr(response, "data", None)
    code_retour = data.get("codeRetour") if isinstance(data, dict) else None
    error_code = data.get("codeErreur", "") if isinstance(data, dict) else ""
    duration = int((time.perf_counter() - started) * 1000) if started is not None else 0
    try:
        ApiCall.objects.create(
            connection=client.connection if client else None,
            structure_id=client.connection.structure_id if client else None,
            technical_login=client.account.login if client else "",
            client_id=client.connection.application.client_id
            if isinstance(client, ApiClient)
            else "",
            method=request.method[:8],
            service=request.path[:200],
            status_code=response.status_code,
            code_retour=code_retour if isinstance(code_retour, int) else None,
            error_code=str(error_code)[:64],
            duration_ms=max(0, duration),
            client_ip=client_ip(request),
        )
    except Exception:
        logger.exception("could not record an API call")
