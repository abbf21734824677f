"""How the OpenAPI description states the two credentials of every call."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class CproAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "chorus.api.authentication.CproAuthentication"
    name = ["oauth2", "cproAccount"]

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        return [
            {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "/api/oauth/token",
                        "scopes": {"openid": "Chorus Pro API (PISTE)"},
                    }
                },
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "cpro-account",
                "description": "base64 of the technical account's login:password",
            },
        ]


class ErrorItemOut(serializers.Serializer[Any]):
    champ = serializers.CharField()
    message = serializers.CharField()


class ErrorOut(serializers.Serializer[Any]):
    """The envelope of every refusal (chorus.api.errors)."""

    codeRetour = serializers.IntegerField()
    libelle = serializers.CharField()
    codeErreur = serializers.CharField()
    erreurs = ErrorItemOut(many=True, required=False)


# Statuses any /cpro/ call may answer besides its success, with the error envelope.
ERROR_STATUSES = ("400", "401", "403", "405", "413", "415", "429")


# What ``str.strip()`` (DRF's trimming) removes, spelt out: ``\\s`` differs between regex
# engines (U+001F, U+0085), and the generated clients and the fuzz test must agree with DRF.
_SPACES = "".join(f"\\u{ord(c):04x}" for c in map(chr, range(0x3001)) if c.isspace())
NOT_BLANK = rf"^[{_SPACES}]*[^{_SPACES}\x00][^\x00]*$"


class CproAutoSchema(AutoSchema):
    """Adds the error answers every ``/cpro/`` service can give to its description."""

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        """Patterns saying what DRF really refuses, so generated clients (and the fuzz test)
        send what is accepted: a decimal's digits (drf-spectacular's pattern also admits "-"
        and "."), no NUL character in text."""
        parent: Any = super()._map_serializer_field
        schema: dict[str, Any] = parent(field, direction, bypass_extensions)
        if direction != "request":  # what we answer is described as it is, not constrained
            return schema
        if isinstance(field, serializers.RegexField):
            # The field's own expression (a list of allowed sort columns, for instance).
            regex = next(
                (
                    str(getattr(v.regex, "pattern", v.regex))
                    for v in field.validators
                    if isinstance(v, RegexValidator)
                ),
                None,
            )
            if regex is not None:
                for part in schema.get("oneOf", [schema]):
                    if part.get("type") == "string" and part.get("maxLength") != 0:
                        part["pattern"] = regex
            return schema
        if (
            isinstance(field, serializers.DecimalField)
            and "pattern" in schema
            and field.max_whole_digits is not None
        ):
            whole = max(field.max_whole_digits, 1)
            schema["pattern"] = rf"^-?\d{{1,{whole}}}(?:\.\d{{1,{field.decimal_places}}})?$"
        elif (
            isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & set(schema)
        ):
            # DRF refuses the NUL character in any text, and blank text where not allowed
            # (after trimming the spaces around it).
            blank_refused = not field.allow_blank and field.trim_whitespace
            schema["pattern"] = NOT_BLANK if blank_refused else r"^[^\x00]*$"
        return schema

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> dict[str, Any]:
        """A strict body (unknown fields refused) says so: ``additionalProperties: false``."""
        from chorus.api.views import StrictSerializer

        parent: Any = super()._map_basic_serializer
        schema: dict[str, Any] = parent(serializer, direction)
        if isinstance(serializer, StrictSerializer) or (
            isinstance(serializer, type) and issubclass(serializer, StrictSerializer)
        ):
            schema["additionalProperties"] = False
        return schema

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if not self.path.startswith("/cpro/"):
            return responses
        for status in ERROR_STATUSES:
            if status not in responses:
                build: Any = self._get_response_for_code
                responses[status] = build(ErrorOut, status, direction=direction)
        return responses
