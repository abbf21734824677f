"""Factories for users, verified or not."""

from __future__ import annotations

from typing import cast

import factory
from allauth.account.models import EmailAddress

from chorus.accounts.models import User

DEFAULT_PASSWORD = "Correct-Horse-Battery-9"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = "Camille"
    last_name = "Martin"
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def make_user(**fields: object) -> User:
    """A saved user with a verified e-mail (typed wrapper around the factory)."""
    return cast("User", UserFactory(**fields))
