"""Notice a message written in a language the brand does not speak."""

from __future__ import annotations

import re
import threading
from functools import cache

import py3langid.langid as langid

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_LETTERS = 20  # shorter text is too little to tell; the agent's own detection decides
MIN_CONFIDENCE = 0.95
_lock = threading.Lock()


@cache
def _identifier() -> langid.LanguageIdentifier:
    return langid.LanguageIdentifier.from_modelpath(
        langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True
    )


def unsupported_language(text: str, languages: list[str] | tuple[str, ...]) -> str | None:
    """The ISO code of `text`'s language when it is clearly none of `languages`, else None."""
    words = _WORD.findall(text.lower())
    if sum(len(w) for w in words) < MIN_LETTERS:
        return None
    with _lock:
        lang, confidence = _identifier().classify(" ".join(words))
    if lang in languages or confidence < MIN_CONFIDENCE:
        return None
    return str(lang)
