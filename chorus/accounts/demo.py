"""Demo accounts, one per kind of user; other apps extend the demo through ``demo_hooks``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from chorus.accounts.mfa import second_factor_status, totp_enrol
from chorus.accounts.models import User
from chorus.core.actor import system_actor
from chorus.core.audit import actor_context


@dataclass(frozen=True)
class DemoUser:
    key: str
    email: str
    password: str
    role: str
    first_name: str
    last_name: str
    # Fixed, public TOTP secret: enrolled when the account needs a second factor, so that the
    # demo stays usable (``manage.py demo_totp EMAIL`` prints the current code).
    totp_secret: str = ""
    is_support_agent: bool = False
    is_staff: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "supplier",
        "fournisseur@demo.chorus.test",
        "Demo-Fournisseur-2026",
        "supplier",
        "Fanny",
        "Fournier",
        totp_secret="QSY4EIH5F2S2CFCTCOAF2R6YAF667ZX6",  # noqa: S106 (public demo secret)
    ),
    DemoUser(
        "entity_agent",
        "agent@demo.chorus.test",
        "Demo-Agent-Public-2026",
        "public-entity agent",
        "Paul",
        "Public",
        totp_secret="LK4SV2WIR3VOOZLS2RPTVP52NXXXZATM",  # noqa: S106 (public demo secret)
    ),
    DemoUser(
        "support_agent",
        "support@demo.chorus.test",
        "Demo-Support-2026",
        "support agent",
        "Sacha",
        "Support",
        totp_secret="S5KDUB4LKQXP2M46K4DK4MNHWIHII3AE",  # noqa: S106 (public demo secret)
        is_support_agent=True,
    ),
    DemoUser(
        "admin",
        "admin@demo.chorus.test",
        "Demo-Admin-2026",
        "administrator",
        "Ada",
        "Admin",
        totp_secret="DSU2J5NFH4T7WNH6HTR6XZBNPGLMAOCR",  # noqa: S106 (public demo secret)
        is_staff=True,
    ),
)

# Apps that own demo data register a callable receiving {key: User}; run after the users.
demo_hooks: list[Callable[[dict[str, User]], None]] = []


@transaction.atomic
def demo_seed() -> list[dict[str, str]]:
    """Create or refresh the demo users (same e-mails, passwords, TOTP secrets), run the hooks.

    Accounts that need a second factor (public-entity agent, support agent, administrator)
    are enrolled with their fixed secret, so a demo login takes the password and the code
    ``manage.py demo_totp EMAIL`` prints.
    """
    users: dict[str, User] = {}
    with actor_context(system_actor("seed_demo")):
        for demo in DEMO_USERS:
            user = User.objects.filter(email=demo.email).first() or User(email=demo.email)
            user.first_name = demo.first_name
            user.last_name = demo.last_name
            user.is_active = True
            user.is_support_agent = demo.is_support_agent
            user.is_staff = demo.is_staff
            user.is_superuser = demo.is_staff
            user.set_password(demo.password)
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=demo.email, defaults={"verified": True, "primary": True}
            )
            users[demo.key] = user
        for hook in demo_hooks:
            hook(users)
        # After the hooks: memberships (a public structure) decide who needs a second factor.
        secrets: dict[str, str] = {}
        for demo in DEMO_USERS:
            user = users[demo.key]
            if second_factor_status(user=user).required:
                totp_enrol(user=user, secret=demo.totp_secret)
                secrets[demo.key] = demo.totp_secret
    return [
        {
            "email": d.email,
            "password": d.password,
            "role": d.role,
            "totp_secret": secrets.get(d.key, ""),
        }
        for d in DEMO_USERS
    ]
