"""Knowledge-base search for the assistant: PostgreSQL full-text search plus trigrams.

1. The question is split into unaccented lower-case words.
2. Words unknown to the knowledge base's vocabulary (:class:`KnowledgeTerm`) are corrected to
   their nearest known word by trigram similarity (``pg_trgm``), so "facure" finds "facture".
3. The words are OR-ed in a ``tsquery`` under the ``french_unaccent`` (or ``english_unaccent``)
   configuration: accents do not matter, stemming joins "rejetée" and "rejet", and vague
   questions still match on any of their words.
4. Articles are ranked by ``ts_rank`` over the weighted vector (title A, keywords B, body C),
   by how many of the question's words they cover, and by trigram similarity of the question
   to the title and keywords.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection

WORD_RE = re.compile(r"[a-z0-9]+")
MAX_WORDS = 40
MIN_CORRECTION_LENGTH = 4
CORRECTION_THRESHOLD = 0.45


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def question_words(question: str) -> list[str]:
    """Lower-case unaccented words of the question, without duplicates, order kept."""
    text = unaccent(question.lower()).replace("'", " ").replace("\u2019", " ")
    seen: dict[str, None] = {}
    for word in WORD_RE.findall(text):
        if len(word) >= 2 and word not in seen:
            seen[word] = None
    return list(seen)[:MAX_WORDS]


def corrected_words(words: list[str]) -> list[str]:
    """Each word, or its nearest vocabulary word when it is unknown (a typo)."""
    if not words:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT q.w,
                   EXISTS (SELECT 1 FROM support_knowledgeterm t WHERE t.word = q.w),
                   best.word, best.sim
            FROM unnest(%s::text[]) WITH ORDINALITY AS q(w, i)
            LEFT JOIN LATERAL (
                SELECT t.word, similarity(t.word, q.w) AS sim
                FROM support_knowledgeterm t
                WHERE t.word %% q.w
                ORDER BY similarity(t.word, q.w) DESC, t.word
                LIMIT 1
            ) best ON length(q.w) >= %s
            ORDER BY q.i
            """,
            [words, MIN_CORRECTION_LENGTH],
        )
        rows = cursor.fetchall()
    result: list[str] = []
    for word, known, best, similarity in rows:
        if known or best is None or similarity < CORRECTION_THRESHOLD:
            result.append(word)
        else:
            result.append(best)
    return result


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    score: float
    headline: str


def search(question: str, *, language: str, limit: int = 3) -> list[SearchHit]:
    """The best published articles for ``question`` in ``language``, best first."""
    words = corrected_words(question_words(question))
    if not words:
        return []
    config = "english_unaccent" if language == "en" else "french_unaccent"
    tsquery = " | ".join(words)  # words are [a-z0-9]+ only: safe inside to_tsquery
    plain = " ".join(words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH q AS (SELECT to_tsquery('{config}', %(tsquery)s) AS query),
            lexemes AS (
                SELECT DISTINCT lexeme
                FROM unnest(tsvector_to_array(to_tsvector('{config}', %(plain)s))) AS lexeme
            ),
            n AS (SELECT greatest(count(*), 1) AS total FROM lexemes)
            SELECT a.id,
                   ts_rank(a.search_vector, q.query, 1)
                   + 0.6 * (
                       SELECT count(*) FROM lexemes l
                       WHERE a.search_vector @@ to_tsquery('simple', l.lexeme)
                   )::float / n.total
                   + 0.4 * word_similarity(%(plain)s, lower(unaccent(a.title || ' ' || a.keywords)))
                   AS score,
                   a.summary
            FROM support_knowledgearticle a, q, n
            WHERE a.is_published AND a.language = %(language)s
              AND (a.search_vector @@ q.query
                   OR word_similarity(%(plain)s, lower(unaccent(a.title || ' ' || a.keywords)))
                      > 0.5)
            ORDER BY score DESC, a.id
            LIMIT %(limit)s
            """,  # noqa: S608  (config is one of two constants)
            {"tsquery": tsquery, "plain": plain, "language": language, "limit": limit},
        )
        rows = cursor.fetchall()
    return [SearchHit(article_id=r[0], score=float(r[1]), headline=r[2]) for r in rows]
