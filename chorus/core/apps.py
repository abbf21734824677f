"""Cross-cutting code: the Actor, the audit trail, e-mail delivery, base helpers.

``chorus.core`` imports no domain app; every app may import it.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "chorus.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from chorus.core.uploads import keep_path_visible

        keep_path_visible()
