"""Knowledge-base editing by support agents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chorus.core.exceptions import DomainError
from chorus.core.middleware import acting_actor
from support.forms import KnowledgeArticleForm
from support.permissions import support_agent_required
from support.selectors import knowledge_article_get_for_agents, knowledge_article_list_for_agents
from support.services.knowledge import knowledge_article_save
from support.views._common import paginate


@login_required
@support_agent_required
def kb_list_view(request: HttpRequest) -> HttpResponse:
    page = paginate(request, knowledge_article_list_for_agents(actor=acting_actor(request)), 50)
    return render(request, "support/agent/kb_list.html", {"page": page})


@login_required
@support_agent_required
@require_http_methods(["GET", "POST"])
def kb_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = acting_actor(request)
    article = knowledge_article_get_for_agents(actor=actor, article_id=pk) if pk else None
    form = KnowledgeArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        try:
            saved = knowledge_article_save(
                actor=actor,
                article_id=article.pk if article else None,
                **{
                    name: form.cleaned_data[name]
                    for name in (
                        "slug",
                        "language",
                        "title",
                        "summary",
                        "body",
                        "keywords",
                        "is_published",
                    )
                },
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The article has been saved."))
            return redirect("support:kb_edit", pk=saved.pk)
    return render(request, "support/agent/kb_edit.html", {"form": form, "article": article})
