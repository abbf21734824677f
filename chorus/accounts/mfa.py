"""Second factor (allauth.mfa: TOTP and recovery codes): who must have one, how failures count.

Chorus Pro has required two-factor authentication of every user since 2024. Here it is
mandatory for the accounts that see other people's money or data: platform administrators,
support agents and members of public structures; a private structure's principal manager can
require it of that structure's members, and other suppliers are invited (docs/accounts.md).

A wrong code is a failed login like a wrong password: it counts, per account, into the same
django-axes lock-out (five failures, one hour). The address limit on wrong codes is a separate
bucket so that one address's guessing never stops other accounts' password logins.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.core import ratelimit
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.translation import gettext as _

from chorus.accounts.choices import SecondFactorReason, StructureKind
from chorus.accounts.models import Membership, User
from chorus.core.exceptions import DomainError

# Authenticators that are a second factor on their own (recovery codes only back them up).
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# allauth rate-limit actions (``ACCOUNT_RATE_LIMITS``), both counting failures only.
ADDRESS_LIMIT_ACTION = "second_factor_failed"
ACTIVATION_LIMIT_ACTION = "second_factor_activation_failed"


@dataclass(frozen=True)
class SecondFactorStatus:
    """What the portal asks of one account about its second factor."""

    reasons: tuple[SecondFactorReason, ...]
    enrolled: bool

    @property
    def required(self) -> bool:
        return bool(self.reasons)

    @property
    def missing(self) -> bool:
        """Required and not set up: the account may only open the set-up pages."""
        return self.required and not self.enrolled

    @property
    def invited(self) -> bool:
        """Not required and not set up: the account is invited to set one up."""
        return not self.required and not self.enrolled


def second_factor_status(*, user: User) -> SecondFactorStatus:
    """The account's obligation and enrolment, read fresh in one query.

    Read on every request by the enforcing middleware: a membership added or a structure
    rule switched on applies at the next page, not at the next login.
    """
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            in_public=Exists(
                Membership.objects.filter(user=OuterRef("pk"), structure__kind=StructureKind.PUBLIC)
            ),
            in_requiring=Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"), structure__second_factor_required=True
                )
            ),
            enrolled=Exists(
                Authenticator.objects.filter(user=OuterRef("pk"), type__in=SECOND_FACTOR_TYPES)
            ),
        )
        .values(
            "is_staff", "is_superuser", "is_support_agent", "in_public", "in_requiring", "enrolled"
        )
        .first()
    )
    if row is None:
        return SecondFactorStatus(reasons=(), enrolled=False)
    reasons: list[SecondFactorReason] = []
    if row["is_staff"] or row["is_superuser"]:
        reasons.append(SecondFactorReason.STAFF)
    if row["is_support_agent"]:
        reasons.append(SecondFactorReason.SUPPORT)
    if row["in_public"]:
        reasons.append(SecondFactorReason.PUBLIC_STRUCTURE)
    if row["in_requiring"]:
        reasons.append(SecondFactorReason.STRUCTURE_RULE)
    return SecondFactorStatus(reasons=tuple(reasons), enrolled=bool(row["enrolled"]))


def user_has_second_factor(*, user: User) -> bool:
    return bool(Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists())


# --- Failed codes: the account lock-out and the address limit --------------------------------


class SecondFactorRefused(DomainError):
    """A code is refused before it is even compared (account locked, address over its limit)."""


def _credentials(user: User) -> dict[str, str]:
    # The key django-axes counts under: chorus.accounts.lockout reads "username".
    return {"username": user.email}


def second_factor_attempt_check(*, request: HttpRequest, user: User) -> None:
    """Refuse a code attempt for a locked account or from an address over its limit.

    A locked account gets django-axes' lock-out page (the request is marked as such), so a
    right code is no way around five failures. The address limit only slows the second step
    from that address for a few minutes: nothing is locked and password logins go on.
    """
    credentials = _credentials(user)
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.axes_locked_out = True  # type: ignore[attr-defined]
        request.axes_credentials = credentials  # type: ignore[attr-defined]
        raise SecondFactorRefused(
            _(
                "This account is locked for one hour after five failed attempts "
                "(wrong password or wrong code)."
            ),
            code="locked",
        )
    if not ratelimit.consume(request, action=ADDRESS_LIMIT_ACTION, dry_run=True):
        raise SecondFactorRefused(
            _(
                "Too many wrong codes have been entered from your network in the last minutes. "
                "Wait ten minutes and try again; your account is not locked."
            ),
            code="address_limited",
        )


def second_factor_failure_record(*, request: HttpRequest, user: User) -> None:
    """Count a wrong code against the account (lock-out) and the address (its own limit).

    The account side goes through Django's ``user_login_failed`` signal, which django-axes
    records exactly as a wrong password: the fifth failure marks the request locked out and
    the lock-out page answers.
    """
    ratelimit.consume(request, action=ADDRESS_LIMIT_ACTION)
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)


def activation_attempt_allowed(*, request: HttpRequest, user: User) -> bool:
    """Wrong codes while setting up an app are limited per user, never per address.

    Otherwise an office enrolling on the same morning would eat the address limit of the
    password logins (allauth's own form counts them there).
    """
    return bool(ratelimit.consume(request, action=ACTIVATION_LIMIT_ACTION, user=user, dry_run=True))


def activation_failure_record(*, request: HttpRequest, user: User) -> None:
    ratelimit.consume(request, action=ACTIVATION_LIMIT_ACTION, user=user)


# --- Enrolment without a phone: the demo accounts and tests ----------------------------------


@transaction.atomic
def totp_enrol(*, user: User, secret: str) -> None:
    """Give ``user`` exactly one authenticator app with ``secret``, plus recovery codes.

    For accounts whose secret must be known in advance (the demo logins, printed by
    ``seed_demo``); real users enrol through allauth's pages and scan their own secret.
    """
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)


def totp_current_code(*, user: User, at: float | None = None) -> str | None:
    """The code ``user``'s authenticator app shows now (``None`` without an app)."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    secret = decrypt(authenticator.data["secret"])
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return str(format_hotp_value(hotp_value(secret, counter)))


# --- The invitation shown to accounts that may do without ------------------------------------

INVITE_DISMISSED_SESSION_KEY = "second_factor_invite_dismissed"


def second_factor_invite_dismiss(request: HttpRequest) -> None:
    """Hide the invitation until the next login (a new session asks again)."""
    request.session[INVITE_DISMISSED_SESSION_KEY] = True


def second_factor_invite_shown(request: HttpRequest) -> bool:
    """Whether this page invites its reader to set up a second factor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if request.session.get(INVITE_DISMISSED_SESSION_KEY):
        return False
    status: SecondFactorStatus | None = getattr(request, "second_factor", None)
    if status is None:
        # Not set by the middleware: a substitution, where the agent is not the one invited.
        return False
    return status.invited
