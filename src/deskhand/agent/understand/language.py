"""The shopper's language: identification among the brand's languages (`nlp.language`), with
our own training corpus as a second opinion on short chat messages."""

from __future__ import annotations

from deskhand.agent.understand.intents import corpus_language
from deskhand.nlp import language


def detect_language(
    text: str, languages: tuple[str, ...], fallback: str, default: str | None = None
) -> str:
    """The language of a shopper's message, or the fallback when it can't tell (see
    `nlp.language.detect_language`)."""
    return language.detect_language(text, languages, fallback, default, prior=corpus_language)
