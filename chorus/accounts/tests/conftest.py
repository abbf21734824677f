from __future__ import annotations

import pytest

from chorus.accounts.models import User
from chorus.accounts.tests.factories import UserFactory


@pytest.fixture
def user(db: None) -> User:
    return UserFactory()
