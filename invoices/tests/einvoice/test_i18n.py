"""Messages are English text plus parameters, translated where they are shown."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from invoices.einvoice.i18n import Message, catalogue_translator, gettext_noop
from invoices.einvoice.validation.messages import message_for

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _marked_texts() -> list[tuple[str, str]]:
    """Every ``gettext_noop("...")`` literal in the invoices app, with where it is."""
    found = []
    for path in sorted((ROOT / "invoices").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "gettext_noop"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", str(node.args[0].value)))
    return found


def test_every_marked_message_has_a_french_translation_with_the_same_placeholders() -> None:
    french = catalogue_translator("fr")
    texts = _marked_texts()
    assert len(texts) > 200
    untranslated = [where for where, text in texts if french(text) == text]
    assert not untranslated, (
        f"{len(untranslated)} messages have no French translation (run makemessages, fill "
        f"invoices/locale/fr, then make messages): {untranslated[:5]}"
    )
    for where, text in texts:
        assert sorted(PLACEHOLDER.findall(french(text))) == sorted(PLACEHOLDER.findall(text)), where


def test_a_message_renders_in_english_by_default_and_in_french_with_the_catalogue() -> None:
    message = message_for("BR-S-08")

    assert message.render().startswith("The taxable amount of category standard rate (S)")
    french = message.render(catalogue_translator("fr"))
    # The category's name is a fragment translated in the same language as its sentence.
    assert french.startswith("La base imposable de la catégorie taux normal (S)")


def test_parameters_are_put_into_the_translated_text() -> None:
    message = message_for("BR-DEC-01")

    assert message.render() == "Amount BT-92 has more than 2 decimals: round it to 2 decimals."
    assert "BT-92" in message.render(catalogue_translator("fr"))
    assert "décimales" in message.render(catalogue_translator("fr"))


def test_a_broken_translation_falls_back_to_english_rather_than_failing() -> None:
    message = Message.of(gettext_noop("Rule %(rule)s is not satisfied."), rule="BR-01")

    assert message.render(lambda text: "Règle %(regle)s") == "Rule BR-01 is not satisfied."


def test_the_stored_shape_round_trips_with_nested_fragments() -> None:
    message = message_for("BR-CL-01")
    stored = message.as_json()

    assert stored == {
        "text": "The value of %(code_list)s is not in the allowed code list: use a code from "
        "the list.",
        "params": {"code_list": {"text": "the document type code (BT-3, UNTDID 1001)"}},
    }
    assert Message.from_json(stored) == message


@pytest.mark.parametrize("damaged", [{}, {"text": 3}, {"text": "x", "params": "y"}])
def test_a_damaged_stored_message_still_reads(damaged: dict[str, object]) -> None:
    assert isinstance(Message.from_json(damaged).render(), str)


def test_english_needs_no_catalogue() -> None:
    assert catalogue_translator("en")("Anything") == "Anything"
