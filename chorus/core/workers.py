"""Starting a real Celery worker process on this process's database, Redis and queue.

Used by the live tests (one solo worker) and by the benchmarks (a prefork pool, gunicorn):
they need the children to see exactly the database and queue this process uses.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.db import connection


def _child_env() -> dict[str, str]:
    """This process's database (the test database under pytest), Redis and queue."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or 'x'}@{db['HOST']}:{db['PORT']}"
            f"/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "CHORUS_CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
    }


def web_start(*, port: int, workers: int = 2, threads: int = 4) -> subprocess.Popen[bytes]:
    """gunicorn on 127.0.0.1:``port`` serving this process's database, as the Dockerfile runs it.

    Returns once the port accepts connections (or raises after 30 s).
    """
    process = subprocess.Popen(  # noqa: S603  (fixed argv built from our own interpreter)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "chorus.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--keep-alive",
            "75",
            "--log-level",
            "warning",
        ],
        env=_child_env(),
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start within 30 s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def worker_start(*, concurrency: int | None = None) -> subprocess.Popen[bytes]:
    """A ``celery worker`` on this process's queue: solo pool, or prefork of ``concurrency``."""
    env = _child_env()
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
