"""Every language's catalogue has every message, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deskhand.agent.replies.wording import LANGUAGES, catalogue

SOURCES = Path(__file__).parents[2] / "src" / "deskhand"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def keys_used_in_code() -> set[str]:
    used: set[str] = set()
    for path in SOURCES.rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
    return used


def test_english_catalogue_has_every_message_the_code_asks_for() -> None:
    missing = keys_used_in_code() - set(catalogue("en"))
    assert not missing


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_translation_is_complete_with_the_same_placeholders(lang: str) -> None:
    english, translated = catalogue("en"), catalogue(lang)
    assert set(translated) == set(english)
    for key, text in english.items():
        assert sorted(PLACEHOLDER.findall(translated[key])) == sorted(PLACEHOLDER.findall(text)), (
            key
        )
