"""One row per Celery message still to publish (or published, until purged)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A task message committed with the transaction that made it necessary.

    A broker that is down at commit time no longer loses the message: the row stays until
    the sweeper publishes it.
    """

    task_name = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    available_at = models.DateTimeField(_("à publier à partir du"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message à publier")
        verbose_name_plural = _("messages à publier")
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                name="outbox_unpublished",
                condition=Q(published_at__isnull=True),
            ),
            models.Index(
                fields=["published_at"],
                name="outbox_published",
                condition=Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{self.args!r}"
