"""Support reads, scoped to who is asking: requesters see their own, agents see the queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from chorus.accounts.models import User
from chorus.circuits.deadlines import DeadlineNotice, deadline_notices
from support.choices import ConversationOutcome, RequestStatus
from support.circuit import SUPPORT_REQUEST
from support.models import (
    AssistantConversation,
    AssistantTurn,
    KnowledgeArticle,
    RequestCategory,
    SubstitutionEvent,
    SubstitutionSession,
    SupportAttachment,
    SupportMessage,
    SupportRequest,
)
from support.permissions import is_support_agent
from support.search import search

if TYPE_CHECKING:
    from chorus.core.actor import Actor


def _agent(actor: Actor | None) -> User:
    """The agent acting as themselves, or 404: agent pages do not exist for anyone else."""
    if actor is None or actor.on_behalf_of is not None or not is_support_agent(actor.user):
        raise Http404
    assert actor.user is not None  # noqa: S101 (is_support_agent checked it)
    return actor.user


def _user(actor: Actor | None) -> User:
    user = actor.effective_user if actor is not None else None
    if user is None or not user.is_active:
        raise Http404
    return user


# --- Requests -------------------------------------------------------------------------------


def request_category_list(*, include_inactive: bool = False) -> QuerySet[RequestCategory]:
    """Categories and sub-categories (``parent`` set); the active ones unless told otherwise."""
    categories = RequestCategory.objects.select_related("parent")
    return categories if include_inactive else categories.filter(is_active=True)


def support_request_list_for_requester(*, actor: Actor | None) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(requester=_user(actor)).select_related(
        "category", "subcategory"
    )


def support_request_get_for_requester(*, actor: Actor | None, number: str) -> SupportRequest:
    support_request = (
        support_request_list_for_requester(actor=actor).filter(number=number.upper()).first()
    )
    if support_request is None:
        raise Http404
    return support_request


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    level: int | None = None
    assignee: str = ""  # "", "me", "none" or a user id
    priority: int | None = None
    category_id: int | None = None
    text: str = ""


def support_request_queue(
    *, actor: Actor | None, filters: QueueFilters
) -> QuerySet[SupportRequest]:
    """The agents' queue: open requests by default, most urgent and oldest first."""
    agent = _agent(actor)
    queryset = SupportRequest.objects.select_related(
        "requester", "assignee", "category", "subcategory", "structure"
    )
    if filters.status == "open" or not filters.status:
        queryset = queryset.filter(
            status__in=[
                RequestStatus.NEW,
                RequestStatus.IN_PROGRESS,
                RequestStatus.WAITING_FOR_USER,
            ]
        )
    elif filters.status != "all":
        queryset = queryset.filter(status=filters.status)
    if filters.level is not None:
        queryset = queryset.filter(level=filters.level)
    if filters.assignee == "me":
        queryset = queryset.filter(assignee=agent)
    elif filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        queryset = queryset.filter(assignee_id=int(filters.assignee))
    if filters.priority is not None:
        queryset = queryset.filter(priority=filters.priority)
    if filters.category_id is not None:
        queryset = queryset.filter(category_id=filters.category_id)
    text = filters.text.strip()
    if text:
        queryset = queryset.filter(
            Q(number__iexact=text)
            | Q(subject__icontains=text)
            | Q(requester__email__icontains=text)
            | Q(document_reference__icontains=text)
        )
    return queryset.order_by("-priority", "created_at")


def support_request_get_for_agent(*, actor: Actor | None, number: str) -> SupportRequest:
    _agent(actor)
    support_request = (
        SupportRequest.objects.select_related(
            "requester", "assignee", "category", "subcategory", "structure", "conversation"
        )
        .filter(number=number.upper())
        .first()
    )
    if support_request is None:
        raise Http404
    return support_request


def support_message_list(
    *, support_request: SupportRequest, include_internal: bool
) -> QuerySet[SupportMessage]:
    messages = support_request.messages.select_related("author", "on_behalf_of").prefetch_related(
        "attachments"
    )
    return messages if include_internal else messages.filter(is_internal_note=False)


def support_attachment_get(*, actor: Actor | None, attachment_id: int) -> SupportAttachment:
    """An attachment the actor may download: agents any, requesters their public ones."""
    attachment = (
        SupportAttachment.objects.select_related("message__request")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise Http404
    if actor is not None and actor.on_behalf_of is None and is_support_agent(actor.user):
        return attachment
    user = _user(actor)
    message = attachment.message
    if message.is_internal_note or message.request.requester_id != user.pk:
        raise Http404
    return attachment


def support_agent_list() -> QuerySet[User]:
    return User.objects.filter(is_support_agent=True, is_active=True).order_by("email")


def user_search_for_substitution(*, actor: Actor | None, query: str) -> QuerySet[User]:
    """Users an agent may act as, matching an e-mail fragment (never staff or agents)."""
    _agent(actor)
    query = query.strip()
    if len(query) < 3:
        return User.objects.none()
    return User.objects.filter(
        email__icontains=query,
        is_active=True,
        is_staff=False,
        is_superuser=False,
        is_support_agent=False,
    ).order_by("email")[:20]


# --- Substitution -------------------------------------------------------------------------


def substitution_list_for_user(*, actor: Actor | None) -> QuerySet[SubstitutionSession]:
    """What support did on the user's account: sessions, agent, reason, start and end, and
    each change made on their behalf (``changes_made``: what, when, on which page)."""
    return (
        SubstitutionSession.objects.filter(user=_user(actor))
        .select_related("agent", "act_mode")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=SubstitutionEvent.objects.filter(is_change=True),
                to_attr="changes_made",
            )
        )
    )


def substitution_list_for_agents(*, actor: Actor | None) -> QuerySet[SubstitutionSession]:
    _agent(actor)
    return (
        SubstitutionSession.objects.select_related("agent", "user", "support_request")
        .annotate(changes=Count("events", filter=Q(events__is_change=True)), pages=Count("events"))
        .order_by("-started_at")
    )


def substitution_get_for_agents(*, actor: Actor | None, session_id: int) -> SubstitutionSession:
    session = substitution_list_for_agents(actor=actor).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


# --- Knowledge base and assistant -----------------------------------------------------------


def knowledge_article_search(
    *, question: str, language: str, limit: int = 3
) -> list[KnowledgeArticle]:
    hits = search(question, language=language, limit=limit)
    articles = KnowledgeArticle.objects.in_bulk([hit.article_id for hit in hits])
    return [articles[hit.article_id] for hit in hits if hit.article_id in articles]


def knowledge_article_get_published(*, slug: str, language: str) -> KnowledgeArticle:
    """The article in the visitor's language, or in French when it has no translation."""
    for lang in dict.fromkeys([language, "fr"]):
        article = KnowledgeArticle.objects.filter(
            slug=slug, language=lang, is_published=True
        ).first()
        if article is not None:
            return article
    raise Http404


def knowledge_article_list_published(*, language: str) -> QuerySet[KnowledgeArticle]:
    return KnowledgeArticle.objects.filter(is_published=True, language=language)


def knowledge_article_list_for_agents(*, actor: Actor | None) -> QuerySet[KnowledgeArticle]:
    _agent(actor)
    return KnowledgeArticle.objects.select_related("updated_by").order_by("language", "title")


def knowledge_article_get_for_agents(*, actor: Actor | None, article_id: int) -> KnowledgeArticle:
    article = knowledge_article_list_for_agents(actor=actor).filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


def assistant_turn_articles(*, turn: AssistantTurn) -> list[KnowledgeArticle]:
    articles = KnowledgeArticle.objects.in_bulk(turn.article_ids)
    return [articles[pk] for pk in turn.article_ids if pk in articles]


def assistant_conversation_get(
    *, user: Any, own_ids: list[int], conversation_id: int
) -> AssistantConversation:
    """The visitor's conversation: theirs when logged in, or started in this browser session."""
    conversation = AssistantConversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        raise Http404
    if conversation.user_id is not None:
        if not getattr(user, "is_authenticated", False) or conversation.user_id != user.pk:
            raise Http404
    elif conversation_id not in own_ids:
        raise Http404
    return conversation


def assistant_turn_get(*, conversation: AssistantConversation, turn_id: int) -> AssistantTurn:
    turn = conversation.turns.filter(pk=turn_id).first()
    if turn is None:
        raise Http404
    return turn


# --- Manager dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class AssistantStats:
    days: int
    conversations: int
    solved_confirmed: int
    handed_over: int

    @property
    def without_person(self) -> int:
        return self.conversations - self.handed_over

    @property
    def without_person_rate(self) -> float | None:
        return self.without_person / self.conversations if self.conversations else None

    @property
    def confirmed_rate(self) -> float | None:
        return self.solved_confirmed / self.conversations if self.conversations else None


def assistant_stats(*, days: int) -> AssistantStats:
    """Conversations with at least one question over the last ``days`` days, by outcome."""
    since = timezone.now() - timedelta(days=days)
    counts = (
        AssistantConversation.objects.filter(started_at__gte=since, turns__isnull=False)
        .distinct()
        .aggregate(
            total=Count("pk", distinct=True),
            solved=Count("pk", distinct=True, filter=Q(outcome=ConversationOutcome.SOLVED)),
            handed=Count("pk", distinct=True, filter=Q(outcome=ConversationOutcome.HANDED_OVER)),
        )
    )
    return AssistantStats(
        days=days,
        conversations=counts["total"] or 0,
        solved_confirmed=counts["solved"] or 0,
        handed_over=counts["handed"] or 0,
    )


def support_request_stats(*, days: int) -> dict[str, Any]:
    """Requests opened over ``days`` days, open now, mean first-response and resolution."""
    since = timezone.now() - timedelta(days=days)
    recent = SupportRequest.objects.filter(created_at__gte=since)
    times = recent.aggregate(
        first_response=Avg(F("first_response_at") - F("created_at")),
        resolution=Avg(F("solved_at") - F("created_at")),
    )
    return {
        "days": days,
        "opened": recent.count(),
        "open_now": SupportRequest.objects.filter(
            status__in=[
                RequestStatus.NEW,
                RequestStatus.IN_PROGRESS,
                RequestStatus.WAITING_FOR_USER,
            ]
        ).count(),
        "first_response": times["first_response"],
        "resolution": times["resolution"],
    }


def support_request_deadlines(*, support_request: SupportRequest) -> list[DeadlineNotice]:
    """What will happen to the request and when, for both the requester and support."""
    return deadline_notices(SUPPORT_REQUEST, support_request.pk, status=support_request.status)
