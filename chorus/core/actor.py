"""Who is acting: the user, and under support substitution the agent behind them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chorus.accounts.models import User


@dataclass(frozen=True)
class Actor:
    """The person responsible for an action.

    ``user`` is the person at the keyboard. When a support agent substitutes a user,
    ``user`` is the agent and ``on_behalf_of`` the substituted user, so that audit rows keep
    both and no change made under substitution can pass as the user's own.
    """

    user: User | None
    on_behalf_of: User | None = None
    system_reason: str = ""

    @property
    def effective_user(self) -> User | None:
        """The user whose rights and organisation apply to the action."""
        return self.on_behalf_of or self.user

    @property
    def is_system(self) -> bool:
        return self.user is None and self.on_behalf_of is None

    def as_context(self) -> dict[str, Any]:
        """The JSON-serialisable audit context recorded with every tracked change."""
        return {
            "user": self.user.pk if self.user is not None else None,
            "on_behalf_of": self.on_behalf_of.pk if self.on_behalf_of is not None else None,
            "system": self.system_reason or None,
        }

    def __str__(self) -> str:
        if self.is_system:
            return f"system ({self.system_reason or 'automatic'})"
        if self.on_behalf_of is not None and self.user is not None:
            return f"{self.user.email} on behalf of {self.on_behalf_of.email}"
        return self.user.email if self.user is not None else "anonymous"


def system_actor(reason: str) -> Actor:
    """The actor for work no person started (beat jobs, retries, imports run by cron)."""
    return Actor(user=None, system_reason=reason)
