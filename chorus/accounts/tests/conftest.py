from __future__ import annotations

import pytest

from chorus.accounts.models import User
from chorus.accounts.tests.factories import make_user


@pytest.fixture
def user(db: None) -> User:
    return make_user()
