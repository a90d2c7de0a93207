"""Split a shopper's message into the questions it asks, in six languages.

"How long do refunds take and who pays return shipping?" asks two things; each part is
searched on its own so both get an answer. A message is split at question marks, and at
a conjunction only where a new question starts after it ("... and who pays ..."), so
"can I change the size and colour?" stays one question.
"""

from __future__ import annotations

import re

MAX_PARTS = 4
_QUESTION_WORDS = {
    "en": r"what|who|how|when|where|which|why|can|could|do|does|is|are|will|would|should|may|must",  # noqa: E501
    "de": r"wer|wie|was|wann|wo|welche[rsnm]?|warum|wieso|kann|können|könnt|muss|muß|gibt|ist|sind|bekomme|darf|wird|werden|zahlt|bezahlt",  # noqa: E501
    "nl": r"wie|hoe|wat|wanneer|waar|welke?|waarom|kan|kunnen|moet|moeten|is|zijn|krijg|mag|wordt|hoeveel|hoelang|betaalt",  # noqa: E501
    "sv": r"vem|hur|vad|när|var|vilken|vilket|vilka|varför|kan|måste|är|får|betalar|går|finns|ska",
    "fr": r"qui|comment|quand|où|quel|quelle|quels|quelles|pourquoi|combien|est-ce|puis-je|peut-on|pouvez-vous|faut-il|que|qu'",  # noqa: E501
    "es": r"quién|quien|cómo|qué|cuándo|dónde|cuál|cuáles|por qué|cuánto|cuánta|cuántos|cuántas|puedo|podéis|puedes|se puede|hay|paga|pagáis",  # noqa: E501
}
_CONJUNCTIONS = {
    "en": r"and|also|plus",
    "de": r"und|außerdem|sowie",
    "nl": r"en|ook",
    "sv": r"och|samt",
    "fr": r"et|aussi",
    "es": r"y|e|además",
}


def _splitter(lang: str) -> re.Pattern[str]:
    words = _QUESTION_WORDS.get(lang, _QUESTION_WORDS["en"])
    if lang != "en":
        words = f"{words}|{_QUESTION_WORDS['en']}"
    conj = _CONJUNCTIONS.get(lang, _CONJUNCTIONS["en"])
    return re.compile(rf"\s*[,;]?\s+(?:{conj})\s+(?=¿?(?:{words})(?:\b|\s))|\s*;\s*", re.IGNORECASE)


def _clean(part: str) -> str:
    return part.strip(" \t\n,;:-¿¡").strip()


def split_question(text: str, lang: str) -> list[str]:
    """The separate questions in `text` (the whole text when it asks one thing)."""
    text = " ".join(text.split())
    if not text:
        return []
    pieces = [p for p in re.split(r"(?<=\?)\s+", text) if p.strip()]
    parts: list[str] = []
    splitter = _splitter(lang)
    for piece in pieces:
        parts.extend(p for p in splitter.split(piece) if p and p.strip())
    cleaned: list[str] = []
    for part in map(_clean, parts):
        if not part:
            continue
        if len(part.split()) < 2 and cleaned:  # a stray word belongs to the question before
            cleaned[-1] = f"{cleaned[-1]} {part}"
        else:
            cleaned.append(part)
    if len(cleaned) > MAX_PARTS:
        cleaned = [*cleaned[: MAX_PARTS - 1], " ".join(cleaned[MAX_PARTS - 1 :])]
    return cleaned or [text]
