"""Webhook endpoints, deliveries, signatures and retries (issue #12 item 5).

Deliveries are rows written in the transaction that changed the document, and published
through the outbox: a broker outage delays them, loses none. Each delivery is retried with
exponential backoff (1 min, 2, 4… capped at 1 h) for 24 hours, then given up; an endpoint
whose deliveries keep failing for 24 hours is disabled and its structure's managers told.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.choices import MANAGER_ROLES
from chorus.accounts.models import Membership, Structure
from chorus.core.actor import Actor
from chorus.core.exceptions import DomainError
from chorus.outbox.services import outbox_enqueue
from chorus.outbox.tasks import mail_send_later
from chorus.webhooks.models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Chorus-Signature"
EVENT_HEADER = "Chorus-Event-Id"
TIMEOUT_SECONDS = 10
RETRY_FIRST = datetime.timedelta(minutes=1)
RETRY_CAP = datetime.timedelta(hours=1)
GIVE_UP_AFTER = datetime.timedelta(hours=24)
DELIVER_TASK = "chorus.webhooks.tasks.webhook_deliver_task"


class EndpointRefused(DomainError):
    """The address cannot receive webhooks (not HTTPS, private, unknown host)."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``Chorus-Signature`` value: ``t=<unix time>,v1=<HMAC-SHA256 of "<t>.<body>">``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def signature_valid(secret: str, header: str, body: bytes, *, tolerance: int = 300) -> bool:
    """What a receiver runs (docs/webhooks.md gives the same code): signature and freshness."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


def _public_address(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return False
    addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    return bool(addresses) and all(address.is_global for address in addresses)


def endpoint_url_check(url: str) -> str:
    """An HTTPS address on the public Internet (loopback and private ones only with DEBUG)."""
    url = url.strip()
    parts = urlsplit(url)
    if settings.DEBUG:
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise EndpointRefused(_("Give an https:// address."), code="URL_SCHEME")
        return url
    if parts.scheme != "https" or not parts.hostname:
        raise EndpointRefused(_("Give an https:// address."), code="URL_SCHEME")
    if parts.username or parts.password:
        raise EndpointRefused(_("Do not put credentials in the address."), code="URL_CREDENTIALS")
    if not _public_address(parts.hostname):
        raise EndpointRefused(
            _(
                "%(host)s is not a public Internet address (unknown host, loopback or private "
                "network): webhooks are sent only to public HTTPS addresses."
            )
            % {"host": parts.hostname},
            code="URL_NOT_PUBLIC",
        )
    return url


def webhook_endpoint_create(
    *, actor: Actor, structure: Structure, url: str
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (the caller shows it once)."""
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    endpoint = WebhookEndpoint.objects.create(
        structure=structure,
        url=endpoint_url_check(url),
        secret=secret,
        created_by=actor.effective_user,
    )
    return endpoint, secret


def webhook_endpoint_set_active(*, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    endpoint.is_active = active
    endpoint.failing_since = None
    if active:
        endpoint.disabled_at, endpoint.disabled_reason = None, ""
    else:
        endpoint.disabled_at = timezone.now()
        endpoint.disabled_reason = _("Disabled by a manager.")
    endpoint.save()
    return endpoint


def structures_with_endpoints(structure_ids: set[int]) -> set[int]:
    """Which of these structures have an active endpoint (one query, often none)."""
    return set(
        WebhookEndpoint.objects.filter(structure_id__in=structure_ids, is_active=True)
        .values_list("structure_id", flat=True)
        .distinct()
    )


def webhook_event_record(*, structure_id: int, event_id: str, payload: dict[str, Any]) -> int:
    """In the document's transaction: one delivery per active endpoint of the structure."""
    made = 0
    endpoints = WebhookEndpoint.objects.filter(structure_id=structure_id, is_active=True)
    for endpoint in endpoints:
        delivery, created = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint, event_id=event_id, defaults={"payload": payload}
        )
        if created:
            outbox_enqueue(DELIVER_TASK, delivery.pk)
            made += 1
    return made


def _backoff(attempts: int) -> datetime.timedelta:
    factor: int = 2 ** min(max(attempts - 1, 0), 20)
    return min(RETRY_FIRST * factor, RETRY_CAP)


def webhook_deliver(*, delivery_id: int) -> bool:
    """POST one delivery (if still due); record the outcome; return whether it was received."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, delivered_at__isnull=True, gave_up_at__isnull=True)
            .first()
        )
        if delivery is None or not delivery.endpoint.is_active:
            return False
        endpoint = delivery.endpoint
        body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Chorus-Webhooks/1",
            SIGNATURE_HEADER: sign(endpoint.secret, int(time.time()), body),
            EVENT_HEADER: delivery.event_id,
        }
        now = timezone.now()
        delivery.attempts += 1
        try:
            response = requests.post(
                endpoint.url,
                data=body,
                headers=headers,
                timeout=TIMEOUT_SECONDS,
                allow_redirects=False,
            )
            delivery.last_status_code = response.status_code
            delivery.last_error = "" if response.ok else response.reason[:500]
            received = 200 <= response.status_code < 300
        except requests.RequestException as error:
            delivery.last_status_code = None
            delivery.last_error = f"{type(error).__name__}: {error}"[:500]
            received = False
        if received:
            delivery.delivered_at = now
            endpoint.failing_since = None
        else:
            delivery.next_attempt_at = now + _backoff(delivery.attempts)
            if now - delivery.created_at >= GIVE_UP_AFTER:
                delivery.gave_up_at = now
            endpoint.failing_since = endpoint.failing_since or now
        delivery.save()
        endpoint.save(update_fields=["failing_since"])
        if not received and now - (endpoint.failing_since or now) >= GIVE_UP_AFTER:
            _disable_failing(endpoint, now)
        return received


def _disable_failing(endpoint: WebhookEndpoint, now: datetime.datetime) -> None:
    endpoint.is_active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = _("Every delivery failed for 24 hours.")
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    managers = Membership.objects.filter(
        structure_id=endpoint.structure_id,
        role__in=sorted(MANAGER_ROLES),
        user__is_active=True,
    ).values_list("user__email", flat=True)
    subject = _("Webhook disabled: %(url)s") % {"url": endpoint.url}
    body = render_to_string(
        "webhooks/email/endpoint_disabled.txt",
        {"endpoint": endpoint, "product_name": settings.CHORUS_PRODUCT_NAME},
    )
    mail_send_later(subject, body, sorted(set(managers)))


def webhook_deliveries_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """The sweep: publish the deliveries whose next attempt is due (retries, replays)."""
    now = now or timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(
            delivered_at__isnull=True,
            gave_up_at__isnull=True,
            next_attempt_at__lte=now,
            endpoint__is_active=True,
            attempts__gt=0,
        ).values_list("pk", flat=True)[:limit]
    )
    with transaction.atomic():
        for pk in ids:
            outbox_enqueue(DELIVER_TASK, pk)
    return len(ids)


def webhook_delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again by hand (even one delivered or given up)."""
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            delivered_at=None, gave_up_at=None, next_attempt_at=timezone.now()
        )
        outbox_enqueue(DELIVER_TASK, delivery.pk)
    delivery.refresh_from_db()
    return delivery


def webhook_endpoints_of(structure: Structure) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(structure=structure)
