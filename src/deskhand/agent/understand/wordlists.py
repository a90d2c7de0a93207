"""The entity extractor's words in six languages, read once from the data files in `words/`.

One TOML file per language keeps each language's words together, so adding a language is
one file. The extractor uses the union of all languages: shoppers mix them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

WORDS = Path(__file__).parent / "words"


@dataclass(frozen=True)
class WordLists:
    order_words: frozenset[str]
    order_words_fuzzy: tuple[str, ...]
    order_suffixes: tuple[str, ...]
    not_order_words: frozenset[str]
    months: frozenset[str]
    size_words: tuple[str, ...]
    number_words: dict[str, int]
    article_one: frozenset[str]
    quantity_nouns: frozenset[str]
    # Colour and size names count as modifiers: "2 black socks", "zwei XL Mützen".
    quantity_modifiers: frozenset[str]


def _merged(tables: list[dict[str, list[str]]], key: str) -> tuple[str, ...]:
    """The key's words over all languages, in file order, without repeats."""
    seen: dict[str, None] = {}
    for table in tables:
        seen.update(dict.fromkeys(table.get(key, [])))
    return tuple(seen)


@cache
def word_lists(folder: Path = WORDS) -> WordLists:
    tables = []
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            tables.append(tomllib.load(fh))
    numbers: dict[str, int] = {}
    for table in tables:
        numbers.update(table.get("number_words", {}))
    return WordLists(
        order_words=frozenset(_merged(tables, "order_words")),
        order_words_fuzzy=_merged(tables, "order_words_fuzzy"),
        order_suffixes=_merged(tables, "order_suffixes"),
        not_order_words=frozenset(_merged(tables, "not_order_words")),
        months=frozenset(_merged(tables, "months")),
        # Longest first, so a regex alternation tries "storleken" before "storlek".
        size_words=tuple(sorted(_merged(tables, "size_words"), key=len, reverse=True)),
        number_words=numbers,
        article_one=frozenset(_merged(tables, "article_one")),
        quantity_nouns=frozenset(_merged(tables, "quantity_nouns")),
        quantity_modifiers=frozenset(
            _merged(tables, "quantity_modifiers")
            + _merged(tables, "colour_words")
            + _merged(tables, "size_names")
        ),
    )
