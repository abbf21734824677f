"""Beat job: tell a structure's managers before one of its API connections expires."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from chorus.accounts.selectors import manager_emails_for_structure
from chorus.api.models import EXPIRY_WARNING, ApiConnection
from chorus.outbox.tasks import mail_send_later

REMIND_BEFORE = EXPIRY_WARNING


def _send_after_commit(subject: str, body: str, recipients: list[str]) -> None:
    mail_send_later(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body, recipients)


@shared_task(name="chorus.api.tasks.connection_expiry_remind")
def connection_expiry_remind() -> int:
    """Send one reminder per connection entering its last 30 days; return how many."""
    now = timezone.now()
    sent = 0
    due = ApiConnection.objects.filter(
        revoked_at__isnull=True,
        reminded_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + REMIND_BEFORE,
    ).values_list("pk", flat=True)
    for pk in due:
        with transaction.atomic():
            connection = (
                ApiConnection.objects.select_for_update(skip_locked=True)
                .select_related("structure")
                .filter(pk=pk, reminded_at__isnull=True)
                .first()
            )
            if connection is None:
                continue
            connection.reminded_at = now
            connection.save(update_fields=["reminded_at"])
            recipients = manager_emails_for_structure(structure=connection.structure)
            if not recipients:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "connection": connection,
                    "days": max(0, (connection.expires_at - now).days),
                    "url": settings.SITE_URL
                    + reverse(
                        "api_portal:connection_detail",
                        args=[connection.structure.public_id, connection.public_id],
                    ),
                    "product_name": settings.CHORUS_PRODUCT_NAME,
                }
                subject = render_to_string("api/email/expiry_subject.txt", context)
                body = render_to_string("api/email/expiry_message.txt", context)
            _send_after_commit(" ".join(subject.split()), body, recipients)
            sent += 1
    return sent
