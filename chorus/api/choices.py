"""What an API connection may do (its scopes)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chorus.accounts.choices import Area


class Scope(models.TextChoices):
    """Scopes of a connection, checked on every call (the token only says which client).

    Chorus Pro's PISTE tokens carry ``openid`` only; what a raccordement may do is set on the
    portal, so it is set on the connection here too and changes apply at the next call.
    """

    DEPOSIT = "deposit", _("Deposit invoices")
    READ = "read", _("Search and read invoices and reports")
    PROCESS = "process", _("Process received invoices")
    DIRECTORY = "directory", _("Read the directory and referentials")


# The portal areas the technical account's membership gets, so that the API reaches the
# same services (and the same area checks) as a person in the portal.
SCOPE_AREAS: dict[str, tuple[str, ...]] = {
    Scope.DEPOSIT: (Area.INVOICES_ISSUED,),
    Scope.READ: (Area.INVOICES_ISSUED, Area.INVOICES_RECEIVED),
    Scope.PROCESS: (Area.INVOICES_RECEIVED,),
    Scope.DIRECTORY: (),
}


class ConnectionState(models.TextChoices):
    """What the portal shows of a connection (derived, never stored)."""

    ACTIVE = "active", pgettext_lazy("connection state", "Active")
    EXPIRING = "expiring", pgettext_lazy("connection state", "Expires soon")
    EXPIRED = "expired", pgettext_lazy("connection state", "Expired")
    REVOKED = "revoked", pgettext_lazy("connection state", "Revoked")
