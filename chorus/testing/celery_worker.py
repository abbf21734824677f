"""A real Celery worker process bound to the test database, for ``@pytest.mark.live`` tests."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from chorus.core.workers import worker_start, worker_stop


@contextmanager
def running_worker() -> Iterator[subprocess.Popen[bytes]]:
    """Start ``celery worker`` on this test process's queue and test database; stop it after.

    The worker is a separate process: it sees only committed rows, so tests using it need
    ``transactional_db``.
    """
    process = worker_start()
    try:
        yield process
    finally:
        worker_stop(process, timeout=20)


def wait_until(predicate: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Poll ``predicate`` until it holds or the timeout passes; return whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()
