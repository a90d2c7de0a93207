"""Words as BM25 and the glossary see them: stop words dropped, stemmed, accents folded.

Below both the index (which analyses chunks and questions) and the lexicon (which stems its
glossary entries the same way), so neither has to reach into the other.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache

import Stemmer
from bm25s import stopwords

STEMMERS = {
    "en": "english",
    "de": "german",
    "nl": "dutch",
    "sv": "swedish",
    "fr": "french",
    "es": "spanish",
}
STOPWORDS = {
    "en": stopwords.STOPWORDS_EN_PLUS,
    "de": stopwords.STOPWORDS_GERMAN,
    "nl": stopwords.STOPWORDS_DUTCH,
    "sv": stopwords.STOPWORDS_SWEDISH,
    "fr": stopwords.STOPWORDS_FRENCH,
    "es": stopwords.STOPWORDS_SPANISH,
}
WORD = re.compile(r"[^\W_]+", re.UNICODE)


@cache
def stopwords_of(lang: str) -> frozenset[str]:
    return frozenset(w.lower() for w in STOPWORDS.get(lang, ()))


class _Stemmers(threading.local):
    """PyStemmer objects are not thread-safe: one set per thread."""

    def __init__(self) -> None:
        self.by_lang = {lang: Stemmer.Stemmer(algo) for lang, algo in STEMMERS.items()}


_stemmers = _Stemmers()


def _fold(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word)
    return "".join(c for c in plain if not unicodedata.combining(c))


def stem_words(words: list[str], lang: str) -> list[str]:
    stemmer = _stemmers.by_lang.get(lang) or _stemmers.by_lang["en"]
    return [s if s.isascii() else _fold(s) for s in stemmer.stemWords(words)]


def analyse(text: str, lang: str) -> list[str]:
    """Lower-cased words without the language's stop words, stemmed, accents folded."""
    stop = stopwords_of(lang)
    words = [w for w in WORD.findall(text.lower()) if w not in stop and (len(w) > 1 or w.isdigit())]
    return stem_words(words, lang)
