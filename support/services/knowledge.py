"""Knowledge base: articles written by support agents, and the assistant's vocabulary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.core.exceptions import DomainError
from support.models import KnowledgeArticle
from support.services._common import acting_agent

if TYPE_CHECKING:
    from chorus.core.actor import Actor

# Also run by the starter-knowledge-base migration (copied there, as migrations must be).
TERMS_REBUILD_SQL = """
DELETE FROM support_knowledgeterm;
INSERT INTO support_knowledgeterm (word)
SELECT word FROM ts_stat($$
    SELECT to_tsvector('simple', lower(unaccent(
        title || ' ' || keywords || ' ' || summary || ' ' || body)))
    FROM support_knowledgearticle WHERE is_published
$$)
WHERE length(word) BETWEEN 2 AND 80 AND word ~ '^[a-z0-9]+$';
"""

ARTICLE_FIELDS = ("slug", "language", "title", "summary", "body", "keywords", "is_published")


def knowledge_terms_rebuild() -> None:
    """Recompute the vocabulary typos are corrected to (a few thousand words at most)."""
    with connection.cursor() as cursor:
        cursor.execute(TERMS_REBUILD_SQL)


@transaction.atomic
def knowledge_article_save(
    *,
    actor: Actor,
    article_id: int | None,
    slug: str,
    language: str,
    title: str,
    summary: str,
    body: str,
    keywords: str = "",
    is_published: bool = True,
) -> KnowledgeArticle:
    """Create or update an article; its search vector is kept by a database trigger."""
    agent = acting_agent(actor)
    article = (
        KnowledgeArticle.objects.select_for_update().get(pk=article_id)
        if article_id is not None
        else KnowledgeArticle()
    )
    clash = KnowledgeArticle.objects.filter(slug=slug, language=language)
    if article.pk is not None:
        clash = clash.exclude(pk=article.pk)
    if clash.exists():
        raise DomainError(_("An article with this slug already exists in this language."))
    article.slug = slug
    article.language = language
    article.title = title.strip()
    article.summary = summary.strip()
    article.body = body.strip()
    article.keywords = keywords.strip()
    article.is_published = is_published
    article.updated_by = agent
    article.updated_at = timezone.now()
    article.save()
    knowledge_terms_rebuild()
    return article
