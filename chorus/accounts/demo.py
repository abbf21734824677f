"""Demo accounts, one per kind of user; other apps extend the demo through ``demo_hooks``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

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
    ),
    DemoUser(
        "entity_agent",
        "agent@demo.chorus.test",
        "Demo-Agent-Public-2026",
        "public-entity agent",
        "Paul",
        "Public",
    ),
    DemoUser(
        "support_agent",
        "support@demo.chorus.test",
        "Demo-Support-2026",
        "support agent",
        "Sacha",
        "Support",
        is_support_agent=True,
    ),
    DemoUser(
        "admin",
        "admin@demo.chorus.test",
        "Demo-Admin-2026",
        "administrator",
        "Ada",
        "Admin",
        is_staff=True,
    ),
)

# Apps that own demo data register a callable receiving {key: User}; run after the users.
demo_hooks: list[Callable[[dict[str, User]], None]] = []


@transaction.atomic
def demo_seed() -> list[dict[str, str]]:
    """Create or refresh the demo users (same e-mails, same passwords) and run the hooks."""
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
    return [{"email": d.email, "password": d.password, "role": d.role} for d in DEMO_USERS]
