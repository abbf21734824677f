"""Glue between allauth and django-axes, which must not know each other.

A successful password reset proves control of the mailbox, so it lifts a lock-out on that
account: this keeps the five-failures lock (as Chorus Pro does) from becoming a way to keep a
legitimate user out for good.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_reset
from axes.utils import reset
from django.dispatch import receiver


@receiver(password_reset)
def lift_lockout_after_password_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    reset(username=user.email)
