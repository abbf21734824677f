"""The help assistant: questions answered from the knowledge base, feedback, hand-over."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.core.exceptions import DomainError
from support.choices import ConversationOutcome, Language
from support.models import AssistantConversation, AssistantTurn
from support.search import search

if TYPE_CHECKING:
    from chorus.accounts.models import User

MAX_QUESTION_LENGTH = 500


@transaction.atomic
def assistant_ask(
    *,
    user: User | None,
    session_key: str,
    question: str,
    language: str,
    conversation: AssistantConversation | None = None,
    source_url: str = "",
) -> AssistantTurn:
    """Answer a question with the best articles; starts a conversation when none is given."""
    question = " ".join(question.split())[:MAX_QUESTION_LENGTH]
    if not question:
        raise DomainError(_("Type your question."))
    language = language if language in Language.values else Language.FRENCH
    if conversation is None or conversation.outcome != ConversationOutcome.OPEN:
        conversation = AssistantConversation.objects.create(
            user=user if user is not None and user.is_authenticated else None,
            session_key=session_key[:64],
            language=language,
            source_url=source_url[:500],
        )
    hits = search(question, language=language)
    if not hits and language != Language.FRENCH:
        hits = search(question, language=Language.FRENCH)
    return AssistantTurn.objects.create(
        conversation=conversation,
        question=question,
        article_ids=[hit.article_id for hit in hits],
    )


@transaction.atomic
def assistant_feedback(*, turn: AssistantTurn, solved: bool) -> AssistantConversation:
    """Record whether the answer solved it; "yes" ends the conversation without a person."""
    conversation = AssistantConversation.objects.select_for_update().get(pk=turn.conversation_id)
    AssistantTurn.objects.filter(pk=turn.pk).update(solved=solved)
    if solved and conversation.outcome == ConversationOutcome.OPEN:
        conversation.outcome = ConversationOutcome.SOLVED
        conversation.ended_at = timezone.now()
        conversation.save(update_fields=["outcome", "ended_at"])
    return conversation


@transaction.atomic
def assistant_conversation_claim(
    *, conversation: AssistantConversation, user: User
) -> AssistantConversation:
    """Attach a conversation started before logging in to the user who has now logged in."""
    if conversation.user_id is None:
        AssistantConversation.objects.filter(pk=conversation.pk, user__isnull=True).update(
            user=user
        )
        conversation.refresh_from_db()
    return conversation
