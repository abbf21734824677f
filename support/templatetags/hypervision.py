"""Template helpers of the hypervision pages."""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(value: datetime.timedelta | None) -> str:
    """A short duration: ``350 ms``, ``12 s``, ``4 min 05 s``, ``3 h 07 min``, ``2 d 4 h``."""
    if value is None:
        return "—"
    seconds = value.total_seconds()
    if seconds < 1:
        return _("%(n)d ms") % {"n": round(seconds * 1000)}
    whole = int(seconds)
    if whole < 60:
        return _("%(n)d s") % {"n": whole}
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return _("%(m)d min %(s)02d s") % {"m": minutes, "s": secs}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
