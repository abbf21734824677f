"""Status webhooks: a structure's HTTPS endpoints told of every status change of its documents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "chorus.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")
