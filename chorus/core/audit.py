"""The audit trail: who changed what, when, on whose behalf.

Row changes of tracked models are recorded by django-pghistory triggers in PostgreSQL, so bulk
updates and raw SQL are caught too. What a trigger cannot know (the acting user, the agent
behind a substitution, the URL) is attached as context by :func:`actor_context`, which the
request middleware, Celery tasks and management commands all use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pghistory
from django.db import models
from pghistory.models import Events

from chorus.core.actor import Actor


@contextmanager
def actor_context(actor: Actor, **extra: Any) -> Iterator[None]:
    """Attach the actor (and any extra JSON facts) to every change made inside the block."""
    with pghistory.context(**actor.as_context(), **extra):
        yield


def audit_trail_for(obj: models.Model) -> models.QuerySet[Events]:
    """Every recorded event of ``obj``, oldest first, with its context (actor, URL)."""
    return Events.objects.tracks(obj).order_by("pgh_created_at")  # type: ignore[no-any-return]
