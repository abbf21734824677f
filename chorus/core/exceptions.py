"""Domain exceptions: services raise these, views turn them into clear messages."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the action; ``message`` is safe to show to the user."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class PermissionDeniedError(DomainError):
    """The actor may not perform this action on this object."""


class TransitionNotAllowed(DomainError):
    """A status change that the lifecycle table does not allow."""
