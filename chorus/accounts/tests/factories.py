"""Factories for users, verified or not."""

from __future__ import annotations

from typing import cast

import factory
from allauth.account.models import EmailAddress

from chorus.accounts.mfa import totp_enrol
from chorus.accounts.models import User

DEFAULT_PASSWORD = "Correct-Horse-Battery-9"
# The authenticator app of test accounts that need a second factor (base32, 20 bytes).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


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

    @factory.post_generation
    def second_factor(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Platform staff and support agents must have one: give it unless told otherwise."""
        wanted = extracted if extracted is not None else (obj.is_staff or obj.is_support_agent)
        if create and wanted:
            totp_enrol(user=obj, secret=TEST_TOTP_SECRET)


def enrol_second_factor(user: User, secret: str = TEST_TOTP_SECRET) -> User:
    """Give ``user`` an authenticator app with a known secret (public-structure members…)."""
    totp_enrol(user=user, secret=secret)
    return user


def make_user(**fields: object) -> User:
    """A saved user with a verified e-mail (typed wrapper around the factory)."""
    return cast("User", UserFactory(**fields))
