"""Portal-wide pages: the public home, the signed-in dashboard, the health probe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chorus.accounts.forms import ProfileForm
from chorus.accounts.services import user_update_profile
from support.permissions import actor_is_support


def home_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """A support agent's work starts at the request queue, not at "join a structure"."""
    if actor_is_support(request.actor):  # type: ignore[attr-defined]
        return redirect("support:queue")
    return render(request, "dashboard.html")


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.actor.effective_user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        user_update_profile(
            actor=request.actor,  # type: ignore[attr-defined]
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            phone=form.cleaned_data["phone"],
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(request, "account/profile.html", {"form": form})


def health_view(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and compose health checks: database and cache reachable."""
    from django.core.cache import cache

    status = {"database": False, "cache": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = True
    except Exception:  # noqa: S110  (reported as unhealthy below)
        pass
    try:
        cache.set("healthz", "1", 5)
        status["cache"] = cache.get("healthz") == "1"
    except Exception:  # noqa: S110
        pass
    healthy = all(status.values())
    return JsonResponse({"ok": healthy, **status}, status=200 if healthy else 503)
