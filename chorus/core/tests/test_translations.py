"""Every message of every French catalogue of ours is translated (French is the default UI)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/fr/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "var" not in path.parts
)


def _entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid" in block]


def test_catalogues_exist():
    assert CATALOGUES


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated(catalogue: Path):
    untranslated = []
    for block in _entries(catalogue.read_text("utf-8")):
        if block.lstrip().startswith("#~") or 'msgid ""\nmsgstr ""\n"Project-Id' in block:
            continue
        if "#, fuzzy" in block:
            untranslated.append(block)
            continue
        strings = re.findall(r'^msgstr(?:\[\d+\])? "(.*)"((?:\n".*")*)', block, flags=re.M)
        if any(not (first or rest.strip()) for first, rest in strings):
            untranslated.append(block)
    assert not untranslated, "\n\n".join(untranslated[:5])
