"""Named states and codes of the support app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    NEW = "NOUVELLE", _("New")
    IN_PROGRESS = "EN_COURS", _("In progress")
    WAITING_FOR_USER = "EN_ATTENTE_UTILISATEUR", _("Waiting for the user")
    SOLVED = "RESOLUE", _("Solved")
    CLOSED = "CLOTUREE", _("Closed")


OPEN_STATUSES = frozenset(
    {RequestStatus.NEW, RequestStatus.IN_PROGRESS, RequestStatus.WAITING_FOR_USER}
)
TERMINAL_STATUSES = frozenset({RequestStatus.CLOSED})


class RequestPriority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class SupportLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("Level 1")
    LEVEL_2 = 2, _("Level 2")


class RequestEventKind(models.TextChoices):
    CREATED = "CREATED", _("Request opened")
    STATUS = "STATUS", _("Status changed")
    ASSIGNED = "ASSIGNED", _("Assigned")
    PRIORITY = "PRIORITY", _("Priority changed")
    ESCALATED = "ESCALATED", _("Escalated")
    DE_ESCALATED = "DE_ESCALATED", _("Sent back to level 1")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class ConversationOutcome(models.TextChoices):
    OPEN = "OPEN", _("Open")
    SOLVED = "SOLVED", _("Solved by the assistant")
    HANDED_OVER = "HANDED_OVER", _("Handed over to a person")


class SubstitutionEndCause(models.TextChoices):
    RELEASED = "RELEASED", _("Ended by the agent")
    EXPIRED = "EXPIRED", _("Time limit reached")
    LOGOUT = "LOGOUT", _("Agent logged out")
    INVALID = "INVALID", _("Ended by a security check")


class HypervisionAction(models.TextChoices):
    """What an agent did in hypervision: every one of these is one access-log row."""

    SEARCH = "SEARCH", _("Search")
    TRACE = "TRACE", _("Trace viewed")
    ORIGINAL = "ORIGINAL", _("Original file downloaded")
    REPORT_CSV = "REPORT_CSV", _("Report downloaded (CSV)")
    REPORT_JSON = "REPORT_JSON", _("Report downloaded (JSON)")


class HypervisionObject(models.TextChoices):
    NONE = "", _("None")
    FLOW = "FLOW", _("Deposit")
    INVOICE = "INVOICE", _("Invoice")
