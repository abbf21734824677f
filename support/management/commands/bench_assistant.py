"""Measure the assistant on the shipped evaluation set: top-1 and top-3 hit rates as JSON."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from support.models import KnowledgeArticle
from support.search import search
from support.services.knowledge import knowledge_terms_rebuild

EVAL_FILE = Path(__file__).resolve().parents[2] / "assistant_eval.json"
KB_FILE = Path(__file__).resolve().parents[2] / "data" / "knowledge_base.json"


def knowledge_base_load_if_empty() -> int:
    """Load the starter knowledge base when the database has no article (returns the count)."""
    if KnowledgeArticle.objects.exists():
        return 0
    articles = json.loads(KB_FILE.read_text(encoding="utf-8"))
    KnowledgeArticle.objects.bulk_create(KnowledgeArticle(**article) for article in articles)
    knowledge_terms_rebuild()
    return len(articles)


def bench(eval_file: Path = EVAL_FILE) -> dict[str, Any]:
    questions = json.loads(eval_file.read_text(encoding="utf-8"))["questions"]
    slugs = dict(KnowledgeArticle.objects.values_list("pk", "slug"))
    top1 = top3 = 0
    misses: list[dict[str, Any]] = []
    started = time.perf_counter()
    for item in questions:
        found = [
            slugs.get(hit.article_id)
            for hit in search(item["question"], language=item.get("language", "fr"))
        ]
        if found[:1] == [item["article"]]:
            top1 += 1
        if item["article"] in found[:3]:
            top3 += 1
        else:
            misses.append({"question": item["question"], "expected": item["article"], "got": found})
    elapsed = time.perf_counter() - started
    total = len(questions)
    return {
        "benchmark": "assistant",
        "questions": total,
        "top1": round(top1 / total, 4) if total else 0.0,
        "top3": round(top3 / total, 4) if total else 0.0,
        "articles": len(slugs),
        "mean_ms": round(1000 * elapsed / total, 2) if total else 0.0,
        "misses": misses,
    }


class Command(BaseCommand):
    help = "Print the assistant's top-1 and top-3 hit rates on support/assistant_eval.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--eval-file", type=Path, default=EVAL_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        knowledge_base_load_if_empty()
        self.stdout.write(json.dumps(bench(options["eval_file"]), ensure_ascii=False))
