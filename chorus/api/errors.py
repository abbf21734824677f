"""The API's error answers: one shape, stable codes, never a 500 for bad input.

Chorus Pro answers ``{"codeRetour": ..., "libelle": ...}``; we keep that envelope and add
``codeErreur`` (a stable string a program can test) and, for invalid fields, ``erreurs``
(``[{"champ", "message"}]``). HTTP statuses: 200 with ``codeRetour`` ≠ 0 for a business
refusal of a well-formed call, 400 malformed, 401 no valid token or technical account, 403
outside the connection's scopes or structure, 413 too large, 429 rate limited.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from chorus.core.exceptions import DomainError, PermissionDeniedError

logger = logging.getLogger(__name__)

# codeRetour values (0 is success). Documented in docs/api.md; never renumber.
RETOUR_OK = 0
RETOUR_BUSINESS = 1
RETOUR_INVALID = 2
RETOUR_MALFORMED = 3
RETOUR_UNAUTHENTICATED = 4
RETOUR_TECHNICAL_ACCOUNT = 5
RETOUR_FORBIDDEN = 6
RETOUR_TOO_LARGE = 7
RETOUR_RATE_LIMITED = 8
RETOUR_NOT_FOUND = 9
RETOUR_INTERNAL = 99


class ApiRefusal(Exception):
    """A refusal with its HTTP status, ``codeRetour``, stable code and message."""

    def __init__(self, http_status: int, code_retour: int, code: str, message: str) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.code_retour = code_retour
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"codeRetour": self.code_retour, "libelle": self.message, "codeErreur": self.code}


def business_refusal(code: str, message: str) -> ApiRefusal:
    """A well-formed call the rules refuse: HTTP 200, ``codeRetour`` 1."""
    return ApiRefusal(status.HTTP_200_OK, RETOUR_BUSINESS, code, message)


def not_found(message: str) -> ApiRefusal:
    """Unknown, or another structure's: the same answer, so nothing leaks."""
    return ApiRefusal(status.HTTP_200_OK, RETOUR_NOT_FOUND, "NOT_FOUND", message)


def forbidden(code: str, message: str) -> ApiRefusal:
    return ApiRefusal(status.HTTP_403_FORBIDDEN, RETOUR_FORBIDDEN, code, message)


def _field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix and key != "non_field_errors" else str(key)
            if key == "non_field_errors":
                name = prefix or ""
            out.extend(_field_errors(value, name))
    elif isinstance(detail, list):
        if detail and all(isinstance(item, (str, exceptions.ErrorDetail)) for item in detail):
            out.extend({"champ": prefix, "message": str(item)} for item in detail)
        else:
            for index, item in enumerate(detail):
                out.extend(_field_errors(item, f"{prefix}[{index}]"))
    else:
        out.append({"champ": prefix, "message": str(detail)})
    return out


def cpro_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error of a ``/cpro/`` view in the envelope above."""
    if isinstance(exc, ApiRefusal):
        return Response(exc.body(), status=exc.http_status)
    if isinstance(exc, PermissionDeniedError):
        refusal = forbidden(exc.code or "FORBIDDEN", exc.message)
        return Response(refusal.body(), status=refusal.http_status)
    if isinstance(exc, DomainError):
        return Response(business_refusal(exc.code or "REFUSED", exc.message).body())
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        first = errors[0] if errors else {"champ": "", "message": _("Invalid request.")}
        where = f"{first['champ']}: " if first["champ"] else ""
        body = {
            "codeRetour": RETOUR_INVALID,
            "libelle": f"{where}{first['message']}",
            "codeErreur": "INVALID_FIELDS",
            "erreurs": errors,
        }
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ParseError):
        body = {
            "codeRetour": RETOUR_MALFORMED,
            "libelle": _("The request body is not valid JSON: %(error)s") % {"error": exc.detail},
            "codeErreur": "MALFORMED_JSON",
        }
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        body = {
            "codeRetour": RETOUR_MALFORMED,
            "libelle": _("Send the body as JSON (Content-Type: application/json)."),
            "codeErreur": "UNSUPPORTED_MEDIA_TYPE",
        }
        return Response(body, status=status.HTTP_415_UNSUPPORTED_MEDIA_TYPE)
    if isinstance(exc, exceptions.Throttled):
        wait = int(getattr(exc, "wait", None) or 1)
        body = {
            "codeRetour": RETOUR_RATE_LIMITED,
            "libelle": _("Too many calls: retry in %(seconds)s s.") % {"seconds": wait},
            "codeErreur": "RATE_LIMITED",
        }
        return Response(body, status=429, headers={"Retry-After": str(wait)})
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        code = getattr(exc, "get_codes", lambda: "UNAUTHENTICATED")()
        code = code if isinstance(code, str) and code.isupper() else "UNAUTHENTICATED"
        retour = (
            RETOUR_TECHNICAL_ACCOUNT if code.startswith("TECHNICAL") else RETOUR_UNAUTHENTICATED
        )
        body = {"codeRetour": retour, "libelle": str(exc.detail), "codeErreur": code}
        return Response(body, status=401, headers={"WWW-Authenticate": 'Bearer realm="cpro"'})
    if isinstance(exc, exceptions.PermissionDenied):
        refusal = forbidden("FORBIDDEN", str(exc.detail))
        return Response(refusal.body(), status=refusal.http_status)
    if isinstance(exc, exceptions.MethodNotAllowed):
        body = {"codeRetour": RETOUR_MALFORMED, "libelle": str(exc.detail), "codeErreur": "METHOD"}
        return Response(body, status=405)
    if isinstance(exc, exceptions.NotFound):
        body = {
            "codeRetour": RETOUR_NOT_FOUND,
            "libelle": str(exc.detail),
            "codeErreur": "NOT_FOUND",
        }
        return Response(body, status=404)
    response = exception_handler(exc, context)
    if response is not None:
        return response
    logger.exception("API call failed", exc_info=exc)
    body = {
        "codeRetour": RETOUR_INTERNAL,
        "libelle": _("An internal error stopped this call; support has been told. Retry later."),
        "codeErreur": "INTERNAL",
    }
    return Response(body, status=500)
