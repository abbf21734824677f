"""Account forms."""

from __future__ import annotations

from typing import ClassVar

from django import forms

from chorus.accounts.models import User


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields: ClassVar[list[str]] = ["first_name", "last_name", "phone"]
