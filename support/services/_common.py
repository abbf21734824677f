"""Helpers shared by support services: the acting agent, e-mails sent after commit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from chorus.core.exceptions import PermissionDeniedError
from chorus.outbox.tasks import mail_send_later
from support.permissions import is_support_agent

if TYPE_CHECKING:
    from chorus.accounts.models import User
    from chorus.core.actor import Actor


def acting_agent(actor: Actor) -> User:
    """The agent behind ``actor``; refused under substitution (agents act as themselves)."""
    if actor.user is None or actor.on_behalf_of is not None or not is_support_agent(actor.user):
        raise PermissionDeniedError(_("Only a support agent can do this."))
    return actor.user


def acting_user(actor: Actor) -> User:
    user = actor.effective_user
    if user is None or not user.is_active:
        raise PermissionDeniedError(_("You must be logged in."))
    return user


def absolute_url(url_name: str, **kwargs: Any) -> str:
    return f"{settings.SITE_URL}{reverse(url_name, kwargs=kwargs or None)}"


def render_mail(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """Render ``support/email/<template>_{subject,message}.txt`` in the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        full = {"product_name": settings.CHORUS_PRODUCT_NAME, **context}
        subject = render_to_string(f"support/email/{template}_subject.txt", full)
        body = render_to_string(f"support/email/{template}_message.txt", full)
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{' '.join(subject.split())}", body


def send_on_commit(*, template: str, context: dict[str, Any], recipients: list[str]) -> None:
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    subject, body = render_mail(template, context)
    mail_send_later(subject, body, recipients)


def send_mail_now(*, template: str, context: dict[str, Any], recipients: list[str]) -> None:
    """For hooks that already run after commit (the kernel's deadline hooks)."""
    recipients = [r for r in recipients if r]
    if recipients:
        subject, body = render_mail(template, context)
        send_mail(subject, body, None, recipients)
