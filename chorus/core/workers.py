"""Starting a real Celery worker process on this process's database, Redis and queue.

Used by the live tests (one solo worker) and by the ingest benchmark (a prefork pool):
both need the worker to see exactly the database and queue this process uses.
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def worker_start(*, concurrency: int | None = None) -> subprocess.Popen[bytes]:
    """A ``celery worker`` on this process's queue: solo pool, or prefork of ``concurrency``."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or 'x'}@{db['HOST']}:{db['PORT']}"
            f"/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CHORUS_CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
    }
    pool = ["--pool", "solo"] if concurrency is None else ["--concurrency", str(concurrency)]
    return subprocess.Popen(  # noqa: S603  (fixed argv built from our own interpreter)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "chorus",
            "worker",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            *pool,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def worker_stop(process: subprocess.Popen[bytes], *, timeout: float = 30) -> None:
    """Ask the worker to finish its current task and stop; kill it if it does not."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
