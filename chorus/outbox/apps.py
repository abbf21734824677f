"""The transactional outbox: task messages written with the business rows, published after."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "chorus.outbox"
    label = "outbox"
    verbose_name = _("Messages à publier")
    default_auto_field = "django.db.models.BigAutoField"
