"""Issue #11, point 4: no view redirects off-site through a ``next`` parameter.

Each view of the portal that takes a return address (ours, allauth's, Django's, hijack's) is
tried with off-site values; our own views read it through ``chorus.core.http.safe_next_url``,
and a scan of the source keeps it so for views added later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chorus.accounts.tests.factories import DEFAULT_PASSWORD, make_user
from chorus.accounts.tests.organisation_factories import MembershipFactory
from chorus.core.http import safe_next_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
OFF_SITE = [
    "https://elsewhere.example/",
    "//elsewhere.example/",
    "/\\elsewhere.example/",
    "https:elsewhere.example",
    "javascript:alert(1)",
    " https://elsewhere.example/",
]


def _signed_in() -> Client:
    client = Client()
    client.force_login(make_user())
    return client


def _login(next_url: str) -> Any:
    user = make_user()
    return Client().post(
        reverse("account_login") + "?next=" + next_url,
        {"login": user.email, "password": DEFAULT_PASSWORD, "next": next_url},
    )


def _logout(next_url: str) -> Any:
    return _signed_in().post(reverse("account_logout"), {"next": next_url})


def _set_language(next_url: str) -> Any:
    return Client().post(reverse("set_language"), {"language": "en", "next": next_url})


def _structure_switch(next_url: str) -> Any:
    membership = MembershipFactory.create()
    client = Client()
    client.force_login(membership.user)
    return client.post(
        reverse("accounts:structure_switch"),
        {"structure": membership.structure.public_id, "next": next_url},
    )


def _invite_dismiss(next_url: str) -> Any:
    return _signed_in().post(reverse("second_factor_invite_dismiss"), {"next": next_url})


VIEWS: dict[str, Callable[[str], Any]] = {
    "account_login": _login,
    "account_logout": _logout,
    "set_language": _set_language,
    "accounts:structure_switch": _structure_switch,
    "second_factor_invite_dismiss": _invite_dismiss,
}


@pytest.mark.parametrize("evil", OFF_SITE)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_no_view_redirects_off_site(view: str, evil: str):
    response = VIEWS[view](evil)

    assert response.status_code == 302, view
    location = response["Location"]
    assert location.startswith("/"), (view, location)
    assert not location.startswith(("//", "/\\")), (view, location)
    assert "elsewhere" not in location, (view, location)


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_a_local_next_is_followed(view: str):
    target = reverse("accounts:structure_list")

    response = VIEWS[view](target)

    assert response["Location"] == target, view


def test_the_helper_keeps_local_paths_only(rf: Any):
    request = rf.get("/")
    assert safe_next_url(request, "/factures/emises/?page=2") == "/factures/emises/?page=2"
    for value in [*OFF_SITE, "", None, "factures/", "http://testserver/", "/" + "a" * 600]:
        assert safe_next_url(request, value, default="/d/") == "/d/", value


# Where a view reads a return address from the request (``next``, or the pages support
# requests and the assistant link back to), that read must be wrapped in safe_next_url.
_READ = re.compile(
    r"""(?:request\.(?:GET|POST)\.get\(|cleaned_data\.get\(|data\[)"""
    r"""["'](?:next|from|source_url|document_url)["']"""
)


def _sources() -> list[Path]:
    skipped = {".venv", "var", "tests", "migrations", "node_modules"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not skipped.intersection(path.relative_to(ROOT).parts)
    ]


def test_every_return_address_read_from_a_request_goes_through_the_helper():
    unchecked = []
    reads = 0
    for path in _sources():
        text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))
        for match in _READ.finditer(text):
            reads += 1
            before = text[max(0, match.start() - 40) : match.start()]
            if not re.search(r"safe_next_url\(\s*request,\s*(?:\w+\.)?$", before):
                unchecked.append(f"{path.relative_to(ROOT)}: …{text[match.start() : match.end()]}")
    assert reads >= 7  # the scan does see the reads we know of
    assert unchecked == []
