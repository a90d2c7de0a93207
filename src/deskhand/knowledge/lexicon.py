"""A small e-commerce support glossary that lets BM25 match across languages.

Shoppers ask in their own language; brands write their help centre in one or two. The
embeddings bridge most of that gap, but they blur the exact words that decide many
questions ("Sendungsnummer", "kortingscode", "presentkort"). Each row of `lexicon.tsv`
is one concept with its everyday support words in English, German, Dutch, Swedish,
French and Spanish (country names come from the CLDR data Babel ships). A question's
words are mapped to concepts, and the concepts' words in the knowledge base's other
languages are added to the BM25 query. It only adds lexical evidence: the dense side
still decides for anything the glossary does not know.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from babel import Locale

from deskhand.knowledge.analysis import WORD, stem_words, stopwords_of

LEXICON = Path(__file__).parent / "lexicon.tsv"
LANGUAGES = ("en", "de", "nl", "sv", "fr", "es")
_COUNTRIES = ("NL", "DE", "BE", "AT", "CH", "GB", "FR", "ES", "IT", "SE", "NO", "DK", "FI",
              "PL", "PT", "IE", "LU", "US", "CZ", "GR")  # fmt: skip


@cache
def _concepts() -> list[dict[str, str]]:
    """One dict per concept: language -> its words (comma-separated)."""
    with LEXICON.open(encoding="utf-8", newline="") as fh:
        rows = [dict(r) for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    for code in _COUNTRIES:
        rows.append({lang: str(Locale(lang).territories[code]) for lang in LANGUAGES})
    return rows


@cache
def _phrases_of(lang: str) -> tuple[tuple[frozenset[str], int], ...]:
    """(stems of one word or phrase of `lang`, its concept), for every glossary entry.

    A phrase ("más tarde", "geld zurück") names its concept only when all of its words
    are in the question; a lone stop word names nothing.
    """
    stop = stopwords_of(lang)
    found: list[tuple[frozenset[str], int]] = []
    for number, row in enumerate(_concepts()):
        for phrase in row.get(lang, "").split(","):
            words = WORD.findall(phrase.lower())
            if words and not (len(words) == 1 and words[0] in stop):
                found.append((frozenset(stem_words(words, lang)), number))
    return tuple(found)


def translations(stems: list[str], lang: str, into: str) -> str:
    """The words, in language `into`, of the concepts a question's stems name."""
    present = set(stems)
    concepts = sorted({c for phrase, c in _phrases_of(lang) if phrase <= present})
    rows = _concepts()
    return " ".join(rows[c].get(into, "").replace(",", " ") for c in concepts)
