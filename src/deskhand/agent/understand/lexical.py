"""The lexical channel of the intent head: character n-grams and words, TF-IDF weighted.

The embedding reads meaning; this channel reads spelling. It is what recognises
"stornierung", "stornieren" and the typo "storniern" as one thing, and keyword-only
messages ("retoure?", "tracking pls") that carry little meaning for a sentence model.
Training fits the vocabulary and idf (see `training.py`); at run time the same terms are
counted here in plain Python, so the shipped head needs nothing but numpy.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

import numpy as np

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")
_FOLD = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l"})
CHAR_SIZES = (2, 3, 4, 5)


def fold(text: str) -> str:
    """Lower-case and strip accents: shoppers type "bestallning" as often as "beställning"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def lexical_terms(text: str) -> list[str]:
    """Character n-grams inside words (padded with spaces), words and word pairs."""
    words = [_DIGITS.sub("0", w) for w in _WORD.findall(fold(text))]
    terms: list[str] = []
    for word in words:
        padded = f" {word} "
        for n in CHAR_SIZES:
            if len(padded) < n:
                break
            terms.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    terms.extend(f"w:{w}" for w in words)
    terms.extend(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return terms


class LexicalVectors:
    """Sub-linear TF-IDF over a fixed vocabulary, L2-normalised, as scikit-learn computes it."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray) -> None:
        self.index = {term: i for i, term in enumerate(vocabulary)}
        self.idf = idf.astype(np.float64)

    def transform(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, weights) of the text's known terms."""
        counts = Counter(t for t in lexical_terms(text) if t in self.index)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        cols = np.fromiter((self.index[t] for t in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64)
        weights = tf * self.idf[cols]
        return cols, weights / np.linalg.norm(weights)
