"""The deadline sweeper on Celery beat (every minute; see ``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task

from chorus.circuits.sweeper import deadlines_sweep


@shared_task(name="chorus.circuits.tasks.deadlines_sweep_task", ignore_result=True)
def deadlines_sweep_task() -> int:
    return deadlines_sweep()
