"""``transverses/v1`` services that belong to no document family: the health check."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from chorus.api.errors import RETOUR_OK
from chorus.api.views import CproView


class HealthCheckOut(serializers.Serializer[Any]):
    codeRetour = serializers.IntegerField()
    libelle = serializers.CharField()


class HealthCheckView(CproView):
    """``GET transverses/v1/health-check``: the token and technical account are accepted."""

    http_method_names = ["get"]

    @extend_schema(responses=HealthCheckOut, operation_id="healthCheck")
    def get(self, request: Request) -> Response:
        return Response({"codeRetour": RETOUR_OK, "libelle": "GCU_MSG_01_000"})
