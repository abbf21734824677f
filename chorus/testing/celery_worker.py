"""A real Celery worker process bound to the test database, for ``@pytest.mark.live`` tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection


@contextmanager
def running_worker() -> Iterator[subprocess.Popen[bytes]]:
    """Start ``celery worker`` on this test process's queue and test database; stop it after.

    The worker is a separate process: it sees only committed rows, so tests using it need
    ``transactional_db``.
    """
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or 'x'}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CHORUS_CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
    }
    process = subprocess.Popen(  # noqa: S603  (fixed argv built from our own interpreter)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "chorus",
            "worker",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "--pool",
            "solo",
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
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until(predicate: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Poll ``predicate`` until it holds or the timeout passes; return whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()
