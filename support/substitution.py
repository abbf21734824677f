"""The browser side of substitution: django-hijack's login swap, driven by support.

Starting goes through support's own view only (reason, audit row), which hands over to
hijack's acquire view while :func:`support.permissions.acquire_authorised` is set. Ending
uses hijack's release (POST + CSRF); the ``hijack_ended`` signal closes the audit row.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, load_backend, login
from django.http import HttpRequest, HttpResponse, QueryDict
from hijack import signals as hijack_signals
from hijack.views import AcquireUserView, keep_session_age

from support.permissions import acquire_authorised

HISTORY_KEY = "hijack_history"
SESSION_ID_KEY = "support_substitution_id"

# Pages a substituting agent may never open (security.md H4): credentials, e-mail, MFA.
FORBIDDEN_VIEWS: frozenset[str] = frozenset(
    {
        "account_change_password",
        "account_set_password",
        "account_email",
        "account_reauthenticate",
        "account_request_reauthentication_code",
        "account_confirm_reauthentication_code",
        "account_reset_password",
        "account_reset_password_from_key",
        "hijack:acquire",
        "support:substitution_start",
    }
)
FORBIDDEN_VIEW_PREFIXES: tuple[str, ...] = ("mfa_",)
# Pages a substituting agent may read but never change, in any mode (reference §9): the
# profile, the structure's contact e-mail, bank details, security, users and rights.
READ_ONLY_VIEWS: frozenset[str] = frozenset(
    {
        "profile",
        "accounts:structure_edit",
        "accounts:own_area_toggle",
        "suppliers:bank_account_list",
        "suppliers:bank_account_toggle",
        "accounts:member_edit",
        "accounts:member_remove",
        "accounts:join_request_decide",
        "accounts:principal_transfer",
        "accounts:structure_identifier",
        "accounts:structure_second_factor",
        "public_entities:member_services",
    }
)


READ_ONLY_VIEW_PREFIXES: tuple[str, ...] = ("api_portal:",)  # API credentials are security
# What a read-only substitution may still post: end it, switch mode, change the language.
ACT_FREE_VIEWS: frozenset[str] = frozenset(
    {"hijack:release", "support:substitution_act", "set_language", "account_logout"}
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def view_forbidden_under_substitution(view_name: str, method: str) -> bool:
    if view_name in FORBIDDEN_VIEWS or view_name.startswith(FORBIDDEN_VIEW_PREFIXES):
        return True
    read_only = view_name in READ_ONLY_VIEWS or view_name.startswith(READ_ONLY_VIEW_PREFIXES)
    return read_only and method.upper() not in SAFE_METHODS


def change_needs_act_mode(view_name: str, method: str) -> bool:
    """Whether this request changes data, which a read-only substitution may not do."""
    return method.upper() not in SAFE_METHODS and view_name not in ACT_FREE_VIEWS


def agent_id_of(request: HttpRequest) -> int | None:
    """The substituting agent's id, or None when the request is not under substitution."""
    session = getattr(request, "session", None)
    history = session.get(HISTORY_KEY) if session is not None else None
    if not history:
        return None
    try:
        return int(history[-1])
    except (TypeError, ValueError):
        return None


def hijack_acquire(request: HttpRequest, *, agent_id: int, user_id: int, next_url: str) -> bool:
    """Run hijack's acquire view for ``user_id`` (its permission check runs again)."""
    post = QueryDict(mutable=True)
    post.update({"user_pk": str(user_id), "next": next_url})
    original_post = request.POST
    request.POST = post  # type: ignore[assignment]
    try:
        with acquire_authorised(agent_id=agent_id, user_id=user_id):
            view: Any = AcquireUserView.as_view()
            response: HttpResponse = view(request)
    finally:
        request.POST = original_post
    return response.status_code in (301, 302) and bool(request.session.get(HISTORY_KEY))


def hijack_release(request: HttpRequest) -> None:
    """Log the agent back in, as hijack's release view does (used when time runs out)."""
    history = list(request.session.get(HISTORY_KEY, []))
    if not history:
        return
    hijacked = request.user
    agent_pk = history.pop()
    hijacker = get_user_model()._default_manager.filter(pk=agent_pk).first()
    if hijacker is None or not hijacker.is_active:
        request.session.flush()
        return
    backend = load_backend(request.session[BACKEND_SESSION_KEY])
    backend_path = f"{backend.__module__}.{backend.__class__.__name__}"
    with hijack_signals.no_update_last_login(), keep_session_age(request.session):
        login(request, hijacker, backend=backend_path)
    request.session[HISTORY_KEY] = history
    hijack_signals.hijack_ended.send(
        sender=None, request=request, hijacker=hijacker, hijacked=hijacked
    )
