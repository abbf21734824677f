"""API connections: create, rotate the secret, reset the password, change scopes, revoke.

A structure's principal manager does these in the portal; operators do the same from the
command line (``api_client_create``) as a system actor. Secrets and passwords are shown
once, stored hashed.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import pghistory
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_id, generate_client_secret
from oauth2_provider.models import AccessToken, get_application_model

from chorus.accounts.choices import Role
from chorus.accounts.models import Membership, Structure, User
from chorus.api.choices import SCOPE_AREAS, Scope
from chorus.api.models import (
    SECRET_ROTATED,
    ApiConnection,
    PreviousClientSecret,
    TechnicalAccount,
)
from chorus.api.secrets import secret_hash
from chorus.core.actor import Actor
from chorus.core.audit import actor_context
from chorus.core.exceptions import DomainError, PermissionDeniedError

CONNECTION_LIFETIME = datetime.timedelta(days=365)
PASSWORD_LIFETIME = datetime.timedelta(days=365)
DEFAULT_OVERLAP = datetime.timedelta(days=7)
MAX_OVERLAP = datetime.timedelta(days=30)


@dataclass(frozen=True)
class Credentials:
    """What the caller sees once: the OAuth client and the technical account."""

    connection: ApiConnection
    client_id: str
    client_secret: str
    login: str
    password: str

    def as_json(self) -> dict[str, str]:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "login": self.login,
            "password": self.password,
        }


def _may_manage(actor: Actor, structure: Structure) -> None:
    """The principal manager, in person; or an operator at the command line (system)."""
    if actor.is_system:
        return
    if actor.on_behalf_of is not None:
        raise PermissionDeniedError(
            _("API connections cannot be managed while acting on behalf of a user."),
            code="substitution",
        )
    user = actor.user
    allowed = (
        user is not None
        and user.is_active
        and Membership.objects.filter(
            user=user, structure=structure, role=Role.PRINCIPAL_MANAGER
        ).exists()
    )
    if not allowed:
        raise PermissionDeniedError(
            _("Only the structure's principal manager can manage its API connections.")
        )


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = sorted(set(scopes))
    unknown = [scope for scope in chosen if scope not in Scope.values]
    if unknown:
        raise DomainError(
            _("Unknown scope(s): %(scopes)s. Allowed: %(allowed)s.")
            % {"scopes": ", ".join(unknown), "allowed": ", ".join(Scope.values)},
            code="SCOPE_UNKNOWN",
        )
    if not chosen:
        raise DomainError(_("Choose at least one scope."), code="SCOPE_REQUIRED")
    return chosen


def _areas(scopes: Iterable[str], structure: Structure) -> list[str]:
    areas: set[str] = set()
    for scope in scopes:
        areas.update(SCOPE_AREAS.get(scope, ()))
    return sorted(areas)


def _password() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic
def api_connection_create(
    *,
    actor: Actor,
    structure: Structure,
    name: str,
    scopes: Iterable[str],
    lifetime: datetime.timedelta = CONNECTION_LIFETIME,
) -> Credentials:
    """A new connection: OAuth client (client credentials), technical account, scopes."""
    _may_manage(actor, structure)
    if not structure.is_active:
        raise DomainError(_("An inactive structure cannot open an API connection."))
    name = " ".join(name.split())[:120]
    if not name:
        raise DomainError(_("Give the connection a name (the software it is for)."), code="NAME")
    chosen = _clean_scopes(scopes)
    now = timezone.now()
    client_id, client_secret = str(generate_client_id()), str(generate_client_secret())
    application = get_application_model().objects.create(
        name=f"{structure.identifier} — {name}"[:255],
        client_id=client_id,
        client_secret=client_secret,
        client_type="confidential",
        authorization_grant_type="client-credentials",
        user=None,
    )
    with actor_context(actor):
        connection = ApiConnection.objects.create(
            structure=structure,
            name=name,
            application=application,
            scopes=chosen,
            created_by=actor.user,
            expires_at=now + lifetime,
        )
        login = f"TECH_{structure.identifier}_{connection.pk}"
        user = User.objects.create_user(
            email=f"{login.lower()}@technique.chorus.invalid", password=None
        )
        user.last_name = login
        user.save(update_fields=["last_name"])
        Membership.objects.create(
            user=user, structure=structure, role=Role.USER, areas=_areas(chosen, structure)
        )
        password = _password()
        TechnicalAccount.objects.create(
            connection=connection,
            user=user,
            login=login,
            password_hash=secret_hash(password),
            password_changed_at=now,
            password_expires_at=now + PASSWORD_LIFETIME,
        )
    return Credentials(connection, client_id, client_secret, login, password)


def _locked(connection_id: int, structure: Structure) -> ApiConnection:
    connection = (
        ApiConnection.objects.select_for_update()
        .select_related("application")
        .filter(pk=connection_id, structure=structure)
        .first()
    )
    if connection is None:
        raise DomainError(_("No such API connection for this structure."), code="NOT_FOUND")
    if connection.revoked_at is not None:
        raise DomainError(_("This API connection is revoked."), code="REVOKED")
    return connection


@transaction.atomic
def api_connection_rotate_secret(
    *,
    actor: Actor,
    structure: Structure,
    connection_id: int,
    overlap: datetime.timedelta = DEFAULT_OVERLAP,
) -> str:
    """A new client secret; the current one keeps working for ``overlap`` (no downtime)."""
    _may_manage(actor, structure)
    if overlap < datetime.timedelta(0) or overlap > MAX_OVERLAP:
        raise DomainError(
            _("The overlap must be between 0 and %(days)s days.") % {"days": MAX_OVERLAP.days},
            code="OVERLAP",
        )
    with actor_context(actor):
        connection = _locked(connection_id, structure)
        application = connection.application
        now = timezone.now()
        if overlap:
            PreviousClientSecret.objects.create(
                connection=connection,
                secret_hash=application.client_secret,
                valid_until=now + overlap,
            )
        if not overlap:
            AccessToken.objects.filter(application=application).delete()
        secret = str(generate_client_secret())
        application.client_secret = secret
        application.save(update_fields=["client_secret"])
        pghistory.create_event(connection, label=SECRET_ROTATED)
        return secret


@transaction.atomic
def technical_password_reset(*, actor: Actor, structure: Structure, connection_id: int) -> str:
    """A new technical-account password, effective at once (the old one stops)."""
    _may_manage(actor, structure)
    with actor_context(actor):
        connection = _locked(connection_id, structure)
        account = connection.technical_account
        password = _password()
        now = timezone.now()
        account.password_hash = secret_hash(password)
        account.password_changed_at = now
        account.password_expires_at = now + PASSWORD_LIFETIME
        account.save(update_fields=["password_hash", "password_changed_at", "password_expires_at"])
        return password


@transaction.atomic
def api_connection_set_scopes(
    *, actor: Actor, structure: Structure, connection_id: int, scopes: Iterable[str]
) -> ApiConnection:
    _may_manage(actor, structure)
    with actor_context(actor):
        connection = _locked(connection_id, structure)
        chosen = _clean_scopes(scopes)
        connection.scopes = chosen
        connection.save(update_fields=["scopes"])
        Membership.objects.filter(
            user=connection.technical_account.user, structure=structure
        ).update(areas=_areas(chosen, structure))
        return connection


@transaction.atomic
def api_connection_renew(
    *, actor: Actor, structure: Structure, connection_id: int
) -> ApiConnection:
    """Push the expiry a full lifetime from now (the reminders start again)."""
    _may_manage(actor, structure)
    with actor_context(actor):
        connection = _locked(connection_id, structure)
        connection.expires_at = timezone.now() + CONNECTION_LIFETIME
        connection.reminded_at = None
        connection.save(update_fields=["expires_at", "reminded_at"])
        return connection


@transaction.atomic
def api_connection_revoke(*, actor: Actor, structure: Structure, connection_id: int) -> None:
    """Stop the connection now: tokens deleted, secret and account refused from now on."""
    _may_manage(actor, structure)
    with actor_context(actor):
        connection = _locked(connection_id, structure)
        connection.revoked_at = timezone.now()
        connection.revoked_by = actor.user
        connection.save(update_fields=["revoked_at", "revoked_by"])
        AccessToken.objects.filter(application=connection.application).delete()
        connection.previous_secrets.all().delete()
        Membership.objects.filter(user=connection.technical_account.user).update(areas=[])
