"""Public entities (structures publiques), their services and parameters: the directory."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicEntitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public_entities"
    verbose_name = _("Structures publiques")

    def ready(self) -> None:
        from chorus.accounts.demo import demo_hooks
        from chorus.accounts.services import structure_copy_hooks
        from public_entities.demo import demo_public_entity
        from public_entities.services import public_entity_copy

        if public_entity_copy not in structure_copy_hooks:
            structure_copy_hooks.append(public_entity_copy)
        if demo_public_entity not in demo_hooks:
            demo_hooks.append(demo_public_entity)
