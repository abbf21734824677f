"""The help assistant (HTMX panel with a plain-page fallback) and the help articles."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from chorus.core.exceptions import DomainError
from chorus.core.http import safe_next_url
from support.choices import ConversationOutcome
from support.forms import AssistantQuestionForm
from support.models import AssistantConversation
from support.selectors import (
    assistant_conversation_get,
    assistant_turn_articles,
    assistant_turn_get,
    knowledge_article_get_published,
    knowledge_article_list_published,
)
from support.services.assistant import assistant_ask, assistant_feedback
from support.views.requests import CONVERSATIONS_SESSION_KEY

CURRENT_KEY = "support_assistant_current"


def _language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _current(request: HttpRequest) -> AssistantConversation | None:
    conversation_id = request.session.get(CURRENT_KEY)
    if not conversation_id:
        return None
    try:
        return assistant_conversation_get(
            user=request.user,
            own_ids=request.session.get(CONVERSATIONS_SESSION_KEY, []),
            conversation_id=int(conversation_id),
        )
    except Http404:  # a stale id simply starts a new conversation
        request.session.pop(CURRENT_KEY, None)
        return None


def _panel(request: HttpRequest, form: AssistantQuestionForm | None = None) -> HttpResponse:
    conversation = _current(request)
    turns: list[dict[str, Any]] = []
    if conversation is not None:
        turns = [
            {"turn": turn, "articles": assistant_turn_articles(turn=turn)}
            for turn in conversation.turns.all()
        ]
    template = (
        "support/partials/_assistant_panel.html"
        if getattr(request, "htmx", False)
        else "support/assistant.html"
    )
    return render(
        request,
        template,
        {
            "form": form or AssistantQuestionForm(),
            "conversation": conversation,
            "turns": turns,
            "handover": bool(
                conversation is not None
                and conversation.outcome == ConversationOutcome.OPEN
                and turns
                and turns[-1]["turn"].solved is False
            ),
            "source_url": safe_next_url(request, request.GET.get("from")),
        },
    )


@require_http_methods(["GET", "POST"])
def assistant_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _panel(request)
    form = AssistantQuestionForm(request.POST)
    if form.is_valid():
        try:
            turn = assistant_ask(
                user=request.user if request.user.is_authenticated else None,
                session_key=request.session.session_key or "",
                question=form.cleaned_data["question"],
                language=_language(),
                conversation=_current(request),
                source_url=safe_next_url(request, request.POST.get("source_url")),
            )
        except DomainError as error:
            form.add_error("question", error.message)
        else:
            own = [*request.session.get(CONVERSATIONS_SESSION_KEY, [])][-20:]
            if turn.conversation_id not in own:
                own.append(turn.conversation_id)
            request.session[CONVERSATIONS_SESSION_KEY] = own
            request.session[CURRENT_KEY] = turn.conversation_id
            if not getattr(request, "htmx", False):
                return redirect("support:assistant")
            form = AssistantQuestionForm()
    return _panel(request, form)


@require_POST
def assistant_feedback_view(
    request: HttpRequest, conversation_id: int, turn_id: int
) -> HttpResponse:
    conversation = assistant_conversation_get(
        user=request.user,
        own_ids=request.session.get(CONVERSATIONS_SESSION_KEY, []),
        conversation_id=conversation_id,
    )
    turn = assistant_turn_get(conversation=conversation, turn_id=turn_id)
    assistant_feedback(turn=turn, solved=request.POST.get("solved") == "yes")
    if not getattr(request, "htmx", False):
        return redirect("support:assistant")
    return _panel(request)


def help_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "support/help.html",
        {"articles": knowledge_article_list_published(language=_language())},
    )


def article_view(request: HttpRequest, slug: str) -> HttpResponse:
    article = knowledge_article_get_published(slug=slug, language=_language())
    return render(request, "support/article.html", {"article": article})
