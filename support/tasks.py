"""Thin Celery wrappers around support services."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="support.tasks.substitution_expire_overdue_task")
def substitution_expire_overdue_task() -> int:
    """End overdue substitutions; running twice ends nothing more (compare-and-set)."""
    from support.services.substitution import substitution_expire_overdue

    return substitution_expire_overdue()
