"""Demo data of support: the demo agent's profile (level 1 and manager), one request."""

from __future__ import annotations

from chorus.accounts.models import User
from support.models import SupportAgentProfile


def demo_support(users: dict[str, User]) -> None:
    agent = users.get("support_agent")
    if agent is not None:
        SupportAgentProfile.objects.update_or_create(
            user=agent, defaults={"level": 1, "is_manager": True}
        )
