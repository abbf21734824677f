from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The machine-to-machine access: API connections, technical accounts, the call log."""

    name = "chorus.api"
    label = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from chorus.api import schema  # noqa: F401  (registers the OpenAPI security scheme)
