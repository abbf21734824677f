"""allauth.mfa forms with our failure accounting (``MFA_FORMS`` in settings).

allauth checks a code under its ``login_failed`` limit, which is per address only: twenty
wrong codes a minute for ever, and the same bucket as the password logins of everyone behind
that address. These forms count a wrong code into the account's lock-out instead, and into
an address limit of their own (``chorus.accounts.mfa``).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context
from allauth.mfa.adapter import get_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.internal.flows.add import validate_can_add_authenticator
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms

from chorus.accounts.mfa import (
    SecondFactorRefused,
    activation_attempt_allowed,
    activation_failure_record,
    second_factor_attempt_check,
    second_factor_failure_record,
)


class _CountedCodeMixin:
    """``clean_code`` of allauth's base form, minus its address-only limit, plus ours."""

    user: Any
    cleaned_data: dict[str, Any]
    authenticator: Authenticator

    def clean_code(self) -> str:
        request = context.request
        try:
            second_factor_attempt_check(request=request, user=self.user)
        except SecondFactorRefused as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None
        code: str = self.cleaned_data["code"]
        main: Authenticator | None = None
        # WebAuthn cannot check a typed code; TOTP first, then the recovery codes.
        for authenticator in Authenticator.objects.filter(user=self.user).exclude(
            type=Authenticator.Type.WEBAUTHN
        ):
            if main is None or authenticator.type == Authenticator.Type.TOTP:
                main = authenticator
            if authenticator.wrap().validate_code(code):
                authenticator.user = self.user
                self.authenticator = authenticator
                return code
        second_factor_failure_record(request=request, user=self.user)
        if main is not None:
            self._emit_authentication_failed(main)  # type: ignore[attr-defined]
        raise get_adapter().validation_error("incorrect_code")


class CountedAuthenticateForm(_CountedCodeMixin, AuthenticateForm):  # type: ignore[misc]
    """The code asked after the password at login."""


class CountedReauthenticateForm(_CountedCodeMixin, ReauthenticateForm):  # type: ignore[misc]
    """The code asked again before a sensitive change."""


class LimitedActivateTOTPForm(ActivateTOTPForm):  # type: ignore[misc]
    """Setting up an app: wrong codes limited per user, not in the address's login bucket."""

    def clean_code(self) -> str:
        request = context.request
        validate_can_add_authenticator(self.user)
        if not activation_attempt_allowed(request=request, user=self.user):
            raise get_account_adapter().validation_error("rate_limited")
        code: str = self.cleaned_data["code"]
        if not totp_auth.validate_totp_code(self.secret, code):
            activation_failure_record(request=request, user=self.user)
            raise get_adapter().validation_error("incorrect_code")
        return code
