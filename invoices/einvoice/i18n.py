"""Messages as an English text plus parameters, translated only where they are shown.

The core imports no Django, so it cannot call ``gettext`` when it finds a problem, and it
should not: a finding is stored once and read later by people in different languages.
A :class:`Message` therefore keeps the English text (the gettext msgid, marked with
:func:`gettext_noop` so that ``makemessages`` extracts it) and its parameters; the portal
renders it with Django's ``gettext`` in the reader's language, the command line with the
same catalogue through the standard library (:func:`catalogue_translator`).

A parameter is either a plain value (a rule id, a line number, a parser's own text) or a
nested :class:`Message` (a translatable fragment such as a VAT category's name), which is
translated in the same language before it is put into its sentence.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Union

__all__ = [
    "Message",
    "Translate",
    "catalogue_translator",
    "gettext_noop",
    "untranslated",
]

Translate = Callable[[str], str]
Param = Union[str, "Message"]

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def gettext_noop(text: str) -> str:
    """Mark ``text`` for extraction by ``makemessages``; translation happens at display."""
    return text


def untranslated(text: str) -> str:
    """The identity translation: English, as written in the code."""
    return text


@dataclass(slots=True, frozen=True)
class Message:
    """An English text (``%(name)s`` placeholders) and the values to put into it."""

    text: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, text: str, **params: Param | int | None) -> Message:
        """``text`` with named parameters; numbers become text, an unknown value ``?``."""
        return cls(
            text,
            tuple(
                (key, value if isinstance(value, Message) else "?" if value is None else str(value))
                for key, value in sorted(params.items())
            ),
        )

    def render(self, translate: Translate = untranslated) -> str:
        """The message in the language ``translate`` gives (English by default)."""
        if not self.params:
            return translate(self.text)
        values = {
            key: value.render(translate) if isinstance(value, Message) else value
            for key, value in self.params
        }
        try:
            return translate(self.text) % values
        except (KeyError, ValueError, TypeError):
            # A broken translation must not hide the message: fall back to English.
            return self.text % values

    def as_json(self) -> dict[str, object]:
        """The stored shape: ``{"text": ..., "params": {...}}`` (params omitted when empty)."""
        data: dict[str, object] = {"text": self.text}
        if self.params:
            data["params"] = {
                key: value.as_json() if isinstance(value, Message) else value
                for key, value in self.params
            }
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Message:
        """Inverse of :meth:`as_json`; tolerant of what an older or damaged row holds."""
        raw = data.get("params")
        params: list[tuple[str, Param]] = []
        if isinstance(raw, Mapping):
            for key, value in sorted(raw.items()):
                if isinstance(value, Mapping):
                    params.append((str(key), cls.from_json(value)))
                else:
                    params.append((str(key), str(value)))
        return cls(str(data.get("text", "")), tuple(params))

    def __str__(self) -> str:
        return self.render()


def catalogue_translator(language: str) -> Translate:
    """Translate with the portal's compiled catalogue, for use outside Django.

    English (or a missing catalogue, before ``make messages``) gives the code's text.
    """
    if language.startswith("en"):
        return untranslated
    catalogue = stdlib_gettext.translation(
        "django", localedir=LOCALE_DIR, languages=[language], fallback=True
    )
    return catalogue.gettext
