"""Pages around the second factor: why it is required, and "later" for the invitation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from chorus.accounts.mfa import second_factor_invite_dismiss, second_factor_status
from chorus.core.http import safe_next_url


@login_required
@require_GET
def second_factor_required_view(request: HttpRequest) -> HttpResponse:
    """Where an account without its required second factor is sent from every other page."""
    status = second_factor_status(user=request.user)  # type: ignore[arg-type]
    if not status.missing:
        return redirect("dashboard")
    return render(
        request,
        "account/second_factor_required.html",
        {"reasons": [reason.label for reason in status.reasons]},
    )


@login_required
@require_POST
def second_factor_invite_dismiss_view(request: HttpRequest) -> HttpResponse:
    second_factor_invite_dismiss(request)
    return redirect(safe_next_url(request, request.POST.get("next"), default=reverse("dashboard")))
