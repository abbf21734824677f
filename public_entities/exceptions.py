"""Why a public recipient cannot receive a document; each carries a stable ``code``."""

from __future__ import annotations

from chorus.core.exceptions import DomainError


class RecipientRefused(DomainError):
    """The recipient (structure or service) cannot receive this document.

    Codes: ``recipient_not_found``, ``recipient_inactive``, ``service_not_found``,
    ``service_inactive``, ``service_required``, ``commitment_required``,
    ``service_or_commitment_required``.
    """
