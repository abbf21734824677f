from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import time_machine

from chorus.accounts.models import User
from chorus.accounts.tests.factories import make_user


@pytest.fixture
def user(db: None) -> User:
    return make_user()


@pytest.fixture
def totp_window() -> Iterator[None]:
    """Start the test one second into a 30-second TOTP window, with the clock running.

    A code read and then typed must fall in the same window; starting at a window's edge
    would make such a test fail now and then.
    """
    now = int(time.time())
    with time_machine.travel(now - now % 30 + 31, tick=True):
        yield
