"""Actors of support tests: ordinary users, agents of both levels, a manager, an admin."""

from __future__ import annotations

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.accounts.tests.factories import make_user
from chorus.core.actor import Actor
from support.models import RequestCategory, SupportAgentProfile, SupportRequest
from support.services.requests import support_request_create

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def supplier(db: None) -> User:
    return make_user(email="fanny@fournisseur.test")


@pytest.fixture
def other_user(db: None) -> User:
    return make_user(email="autre@fournisseur.test")


@pytest.fixture
def agent(db: None) -> User:
    user = make_user(email="sacha@support.test", is_support_agent=True)
    SupportAgentProfile.objects.create(user=user, level=1)
    return user


@pytest.fixture
def agent_l2(db: None) -> User:
    user = make_user(email="expert@support.test", is_support_agent=True)
    SupportAgentProfile.objects.create(user=user, level=2)
    return user


@pytest.fixture
def manager(db: None) -> User:
    user = make_user(email="chef@support.test", is_support_agent=True)
    SupportAgentProfile.objects.create(user=user, level=1, is_manager=True)
    return user


@pytest.fixture
def admin(db: None) -> User:
    return make_user(email="admin@portail.test", is_staff=True, is_superuser=True)


@pytest.fixture
def category(db: None) -> RequestCategory:
    return RequestCategory.objects.get(code="compte")


@pytest.fixture
def support_request(supplier: User, category: RequestCategory) -> SupportRequest:
    return support_request_create(
        actor=Actor(user=supplier),
        category_id=category.pk,
        subject="Je ne peux plus me connecter",
        body="Mon compte est bloqué depuis ce matin.",
    )


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client
