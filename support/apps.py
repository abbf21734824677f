"""Support: requests, assistant, hypervision and substitution."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "support"
    verbose_name = _("Support")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out
        from hijack.signals import hijack_ended

        from chorus.accounts.demo import demo_hooks
        from support.demo import demo_support
        from support.signals import substitution_close_on_logout, substitution_close_on_release

        hijack_ended.connect(substitution_close_on_release, dispatch_uid="support_release")
        user_logged_out.connect(substitution_close_on_logout, dispatch_uid="support_logout")
        from chorus.circuits.registry import on_deadline
        from support.circuit import SUPPORT_REQUEST
        from support.services.deadlines import support_deadline_expired

        on_deadline(SUPPORT_REQUEST.name, support_deadline_expired)
        if demo_support not in demo_hooks:
            demo_hooks.append(demo_support)
