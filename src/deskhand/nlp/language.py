"""Language detection restricted to the brand's languages, with a fallback for short text."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import cache

import py3langid.langid as langid
from babel import Locale, UnknownLocaleError

# Short messages that identify their language on their own (greetings, thanks, yes/no).
_MARKERS: dict[str, tuple[str, ...]] = {
    "en": ("hi", "hello", "hey", "thanks", "thank you", "thx", "bye", "yes", "no", "please"),
    "de": (
        "hallo",
        "danke",
        "danke schön",
        "tschüss",
        "ja",
        "nein",
        "bitte",
        "moin",
        "servus",
        "guten tag",
        "vielen dank",
    ),
    "nl": (
        "hoi",
        "ja",
        "dank je",
        "dankjewel",
        "bedankt",
        "doei",
        "ja graag",
        "nee",
        "alsjeblieft",
        "goedemiddag",
        "goedemorgen",
        "dag",
    ),
    "sv": ("hej", "tack", "tack så mycket", "hejdå", "hej då", "ja tack", "nej", "snälla", "ja"),
    "fr": (
        "bonjour",
        "salut",
        "merci",
        "merci beaucoup",
        "au revoir",
        "oui",
        "non",
        "s'il vous plaît",
        "svp",
        "bonsoir",
    ),
    "es": (
        "hola",
        "gracias",
        "muchas gracias",
        "adiós",
        "adios",
        "sí",
        "si",
        "no gracias",
        "por favor",
        "buenas",
        "buenos días",
    ),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_NOT_LANGUAGE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)
# Below this probability (py3langid's, times the prior when given) the message does not tell.
_CONFIDENT = 0.9
_lock = threading.Lock()


@cache
def _identifier(languages: tuple[str, ...]) -> langid.LanguageIdentifier:
    ident = langid.LanguageIdentifier.from_modelpath(
        langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True
    )
    ident.set_languages(list(languages))
    return ident


# A second opinion on short text: how likely each language is, or None when it cannot tell.
Prior = Callable[[str, tuple[str, ...]], dict[str, float] | None]


def detect_language(
    text: str,
    languages: tuple[str, ...],
    fallback: str,
    default: str | None = None,
    prior: Prior | None = None,
) -> str:
    """The language of `text` among the brand's `languages`, or the fallback when it can't tell.

    The fallback is the conversation's language so far, then the brand's `default`, then
    the brand's first language: "ok", "1002" or "L" say nothing about the shopper's language.
    """
    fallback = next(
        (lg for lg in (fallback, default) if lg in languages), languages[0] if languages else "en"
    )
    text = _NOT_LANGUAGE.sub(" ", text)  # "ava@example.com" says nothing about the language
    cleaned = " ".join(_WORD.findall(text.lower()))
    matches = [lg for lg, words in _MARKERS.items() if lg in languages and cleaned in words]
    if matches:
        # "ja" is German, Dutch and Swedish: keep the conversation's language when it fits.
        return fallback if fallback in matches else matches[0]
    letters = sum(len(w) for w in cleaned.split())
    if letters < 4:
        return fallback
    ranked = dict(_ranked(cleaned, languages))
    # py3langid alone is unreliable on the short, informal messages of a chat ("storno pls",
    # "adres wijzigen"): the agent passes its own corpus as a second opinion.
    second = prior(text, languages) if prior is not None else None
    if second:
        ranked = {lg: p * second.get(lg, 0.0) for lg, p in ranked.items()}
    total = sum(ranked.values())
    if not total:
        return fallback
    lang = max(ranked, key=lambda lg: ranked[lg])
    return lang if ranked[lang] / total >= _CONFIDENT else fallback


def _ranked(cleaned: str, languages: tuple[str, ...]) -> list[tuple[str, float]]:
    with _lock:
        return _identifier(tuple(sorted(languages))).rank(cleaned)


@cache
def native_name(code: str) -> str:
    """The language's name in itself, as a menu or a list shows it ("Deutsch", "Svenska")."""
    try:
        name = Locale.parse(code).get_display_name(code)
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code
