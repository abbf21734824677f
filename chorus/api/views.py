"""The base of every ``/cpro/`` view: authentication, scope, audit, envelope."""

from __future__ import annotations

import io
import time
from typing import Any, ClassVar

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chorus.api.audit import api_call_record
from chorus.api.authentication import ApiClient, CproAuthentication, api_client
from chorus.api.errors import RETOUR_OK, RETOUR_TOO_LARGE, ApiRefusal, forbidden
from chorus.api.throttling import ClientRateThrottle


def _refuse_oversized(request: Request) -> None:
    """Before the body is read: a file over 120 MB (170 MB of JSON) is refused, not parsed."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    _refuse_oversized_length(length)


def _refuse_oversized_length(length: int) -> None:
    if length > settings.API_MAX_BODY_BYTES:
        raise ApiRefusal(
            413,
            RETOUR_TOO_LARGE,
            "TOO_LARGE",
            _("The request is over the limit (120 MB per file, %(mb)s MB of JSON).")
            % {"mb": settings.API_MAX_BODY_BYTES // (1024 * 1024)},
        )


def _read_body(request: Request) -> None:
    """Read the JSON body within the API's own limit, not the portal's.

    Django refuses bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (5 MB, for the portal's forms)
    with an error the token check turns into a 500; a ``deposer/flux`` carries up to 120 MB
    in base64. The body is read here, bounded by :data:`API_MAX_BODY_BYTES`, and kept where
    Django and DRF look for it.
    """
    django_request = request._request
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if hasattr(django_request, "_body") or getattr(django_request, "_read_started", False):
        return
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if limit is None or length <= limit:
        return
    body = django_request.read(settings.API_MAX_BODY_BYTES + 1)
    django_request._body = body
    django_request._stream = io.BytesIO(body)
    if len(body) > settings.API_MAX_BODY_BYTES:
        _refuse_oversized_length(len(body))


class CproView(APIView):
    """A Chorus Pro-compatible service: POST with a JSON body, answered in its envelope.

    ``scope`` names what the connection must be allowed; subclasses implement ``call``
    with the validated body and the calling :class:`ApiClient`, and return the answer's
    fields (``codeRetour`` 0 and ``libelle`` are added).
    """

    authentication_classes: ClassVar[list[type]] = [CproAuthentication]  # type: ignore[misc]
    permission_classes: ClassVar[list[type]] = []  # type: ignore[misc]
    throttle_classes: ClassVar[list[type]] = [ClientRateThrottle]  # type: ignore[misc]
    scope: ClassVar[str] = ""
    input_serializer: ClassVar[type[serializers.Serializer[Any]] | None] = None
    ok_message: ClassVar[str] = "GCU_MSG_01_000"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self._started = time.perf_counter()
        _refuse_oversized(request)
        _read_body(request)
        super().initial(request, *args, **kwargs)
        client = api_client(request)
        if self.scope and self.scope not in client.scopes:
            raise forbidden(
                "SCOPE",
                _(
                    "This API connection is not allowed to %(scope)s: a manager of the "
                    "structure can add it in the portal."
                )
                % {"scope": self.scope},
            )

    def body(self, request: Request) -> dict[str, Any]:
        if self.input_serializer is None:
            return {}
        data = request.data if isinstance(request.data, dict) else None
        if data is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("The body must be a JSON object.")]}
            )
        serializer = self.input_serializer(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        raise NotImplementedError

    def post(self, request: Request) -> Response:
        answer = self.call(self.body(request), api_client(request))
        return Response({"codeRetour": RETOUR_OK, "libelle": self.ok_message, **answer})

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        api_call_record(request, response, getattr(self, "_started", None))
        return response


class StrictSerializer(serializers.Serializer[Any]):
    """Refuses unknown fields: a misspelt field name is an error, not silently ignored."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


__all__ = ["CproView", "StrictSerializer", "extend_schema"]
