"""Every support-agent page answers 404 to non-agents; requester pages need a login."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from chorus.accounts.models import User
from chorus.core.actor import Actor
from support.models import KnowledgeArticle, SupportRequest
from support.services.substitution import substitution_start
from support.tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def _agent_urls(
    support_request: SupportRequest, session_id: int, article_id: int
) -> list[tuple[str, str]]:
    number = support_request.number
    return [
        ("get", reverse("support:queue")),
        ("get", reverse("support:agent_request_detail", args=[number])),
        ("post", reverse("support:agent_request_detail", args=[number])),
        ("post", reverse("support:agent_request_take", args=[number])),
        ("post", reverse("support:agent_request_assign", args=[number])),
        ("post", reverse("support:agent_request_status", args=[number])),
        ("post", reverse("support:agent_request_priority", args=[number])),
        ("post", reverse("support:agent_request_escalate", args=[number])),
        ("get", reverse("support:manager_dashboard")),
        ("get", reverse("support:substitution_search")),
        ("post", reverse("support:substitution_start")),
        ("get", reverse("support:substitution_log")),
        ("get", reverse("support:substitution_detail", args=[session_id])),
        ("get", reverse("support:kb_list")),
        ("get", reverse("support:kb_create")),
        ("post", reverse("support:kb_create")),
        ("get", reverse("support:kb_edit", args=[article_id])),
    ]


@pytest.fixture
def agent_urls(
    agent: User, other_user: User, support_request: SupportRequest
) -> list[tuple[str, str]]:
    session = substitution_start(actor=Actor(user=agent), user_id=other_user.pk, reason="x")
    return _agent_urls(support_request, session.pk, KnowledgeArticle.objects.earliest("pk").pk)


def test_non_agents_get_404_on_every_agent_page(
    supplier: User, admin: User, agent_urls: list[tuple[str, str]]
):
    for user in (supplier, admin):
        client = logged_in(user)
        for method, url in agent_urls:
            response = getattr(client, method)(url)
            assert response.status_code in {403, 404}, (user.email, method, url)


def test_anonymous_visitors_are_sent_to_login_on_every_agent_page(
    agent_urls: list[tuple[str, str]],
):
    client = Client()
    for method, url in agent_urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert "/compte/login/" in response["Location"], url


def test_agents_reach_every_agent_page(
    agent: User, manager: User, agent_urls: list[tuple[str, str]]
):
    client = logged_in(manager)
    for method, url in agent_urls:
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_agents_without_manager_flag_do_not_see_the_dashboard(agent: User):
    assert logged_in(agent).get(reverse("support:manager_dashboard")).status_code == 404


def test_requester_pages_need_a_login(client: Client, support_request: SupportRequest):
    for url in (
        reverse("support:request_list"),
        reverse("support:request_create"),
        reverse("support:request_detail", args=[support_request.number]),
        reverse("support:my_substitutions"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/compte/login/" in response["Location"]


def test_help_pages_and_assistant_are_public(client: Client):
    assert client.get(reverse("support:help")).status_code == 200
    assert client.get(reverse("support:assistant")).status_code == 200
    assert client.get(reverse("support:article", args=["compte-bloque"])).status_code == 200
    assert client.get(reverse("support:article", args=["nope"])).status_code == 404


def test_assistant_entry_is_on_every_page(client: Client, supplier: User):
    assert 'id="help-assistant"' in client.get(reverse("home")).content.decode()
    assert 'id="help-assistant"' in logged_in(supplier).get(reverse("dashboard")).content.decode()


def test_an_agent_lands_on_the_queue_and_has_a_menu_entry(agent: User, supplier: User):
    """Issue 11 point 14: the dashboard no longer tells agents to join a structure."""
    client = logged_in(agent)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == reverse("support:queue")
    queue = client.get(response["Location"]).content.decode()
    assert 'id="nav-support-queue"' in queue
    assert "File des sollicitations" in queue
    member = logged_in(supplier).get(reverse("dashboard"))
    assert member.status_code == 200
    assert 'id="nav-support-queue"' not in member.content.decode()


def test_the_queue_filter_options_are_told_apart(agent: User) -> None:
    """Issue #11, point 14: « En cours » was both the open group and a status."""
    page = logged_in(agent).get(reverse("support:queue")).content.decode()
    select = re.search(r'<select name="status".*?</select>', page, re.S)
    assert select is not None
    options = re.findall(r'<option value="[^"]*"[^>]*>([^<]+)</option>', select.group(0))
    labels = [label.strip() for label in options]
    assert "En cours" in labels
    assert len(labels) == len(set(labels)), labels
