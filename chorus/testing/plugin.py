"""pytest plugin loaded before Django: test environment, shared fixtures.

Loaded with ``-p chorus.testing.plugin`` (pyproject ``addopts``) so that the environment is
set before pytest-django imports the settings.
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

os.environ.setdefault("CHORUS_TESTING", "1")
# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM use.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_worker_index = int(re.sub(r"\D", "", _worker) or 0)
# Each xdist worker gets its own Redis database and Celery queue, so that clearing the cache
# or running a live worker in one never disturbs another.
if os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = re.sub(r"/\d*$", f"/{1 + _worker_index}", os.environ["REDIS_URL"])
os.environ["CHORUS_CELERY_QUEUE"] = f"chorus-test-{_worker}"
os.environ.setdefault("CHORUS_CACHE_PREFIX", f"chorus-test-{_worker}")


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    """Rate limits and lock-outs live in the cache: every test starts from an empty one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _outbox_mail_sent_on_publish(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mail queued through the outbox is sent when published, as a free worker would.

    Tests that run the commit callbacks then see the mail in ``mail.outbox``; other outbox
    messages still go to the (test) broker. Outbox tests replace ``_send`` themselves.
    """
    from chorus.outbox import services
    from chorus.outbox.tasks import mail_send_task

    broker_send = services._send

    def send(task_name: str, args: list[Any]) -> None:
        if task_name == mail_send_task.name:
            mail_send_task(*args)
        else:
            broker_send(task_name, args)

    monkeypatch.setattr(services, "_send", send)


@pytest.fixture
def mail_dir(tmp_path: Any, settings: Any) -> Any:
    """Route the development mail backend to a temporary folder."""
    settings.EMAIL_BACKEND = "chorus.core.mail.ConsoleAndFileEmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return tmp_path / "mail"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests restore the reference data that migrations seed.

    Such tests end by flushing every table, which also empties the rows data migrations put
    there (reason codes, ECB rates, support categories, the knowledge base). With
    ``serialized_rollback`` each transactional test starts from the migrated contents instead
    of depending on which test ran before it on the same worker.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if marker.kwargs.get("serialized_rollback"):
            continue
        item.add_marker(
            pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False
        )
