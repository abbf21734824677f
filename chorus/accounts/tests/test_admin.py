"""The admin never edits a circuit's status by hand: the database would refuse it anyway."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chorus.accounts.models import JoinRequest
from chorus.accounts.tests.factories import make_user
from invoices.tests.factories import make_structure

pytestmark = pytest.mark.django_db


def test_the_join_request_status_is_read_only_in_the_admin():
    join_request = JoinRequest.objects.create(user=make_user(), structure=make_structure())
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))

    change = client.get(reverse("admin:accounts_joinrequest_change", args=[join_request.pk]))
    add = client.get(reverse("admin:accounts_joinrequest_add"))

    assert change.status_code == 200
    assert add.status_code == 200
    assert 'name="status"' not in change.content.decode()
    assert 'name="status"' not in add.content.decode()
