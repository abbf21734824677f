"""Public entities (structures publiques), their services and parameters: the directory."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicEntitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public_entities"
    verbose_name = _("Structures publiques")
