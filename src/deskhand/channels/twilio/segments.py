"""SMS encoding and splitting: GSM-7 160/153 septets, UCS-2 70/67 units per segment.

A reply that fits the brand's segment budget goes out as one message (the phone joins its
segments); a longer one is split at paragraph, line, sentence, then word boundaries into
numbered parts "(1/3)". A URL is never split.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "^{}\\[~]|€\f"  # two septets each (escape + char)
_BASIC, _EXT = frozenset(GSM_BASIC), frozenset(GSM_EXTENSION)

# Typographic characters that would force UCS-2 (halving what fits) and have GSM look-alikes.
_LOOKALIKES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2192": "->",
        "\u00b7": "-",
        "\u2022": "-",
        "\u00d7": "x",
    }
)
PART_SUFFIX_RESERVE = " (99/99)"
WHATSAPP_MAX_CHARS = 1600  # Twilio's limit for one message body


def smart_encode(text: str) -> str:
    """Swap typographic punctuation for GSM look-alikes (what Twilio's Smart Encoding does)."""
    return text.translate(_LOOKALIKES)


def is_gsm(text: str) -> bool:
    return all(c in _BASIC or c in _EXT for c in text)


def segments(text: str) -> int:
    """How many SMS segments `text` takes."""
    if is_gsm(text):
        septets = sum(2 if c in _EXT else 1 for c in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


_LEVELS: tuple[tuple[str, str], ...] = (
    (r"\n{2,}", "\n\n"),
    (r"\n", "\n"),
    (r"(?<=[.!?:])\s+", " "),
    (r" +", " "),
)


def _split(text: str, fits: Callable[[str], bool], level: int = 0) -> list[str]:
    if fits(text) or level == len(_LEVELS):
        return [text]
    pattern, joiner = _LEVELS[level]
    units = [u for u in re.split(pattern, text) if u]
    if len(units) <= 1:
        return _split(text, fits, level + 1)
    parts: list[str] = []
    current = ""
    for unit in units:
        candidate = f"{current}{joiner}{unit}" if current else unit
        if fits(candidate):
            current = candidate
            continue
        if current:
            parts.append(current)
        if fits(unit):
            current = unit
        else:
            # Words are the last level: a URL (or any word) longer than a part stays whole.
            pieces = _split(unit, fits, level + 1)
            parts.extend(pieces[:-1])
            current = pieces[-1]
    if current:
        parts.append(current)
    return parts


def _numbered(parts: list[str]) -> list[str]:
    if len(parts) == 1:
        return parts
    return [f"{p} ({i}/{len(parts)})" for i, p in enumerate(parts, start=1)]


def split_sms(text: str, max_segments: int) -> list[str]:
    """The messages to send for `text`, each within `max_segments` segments where possible."""
    text = smart_encode(text).strip()
    if segments(text) <= max_segments:
        return [text]
    parts = _split(text, lambda s: segments(s + PART_SUFFIX_RESERVE) <= max_segments)
    return _numbered([p.strip() for p in parts if p.strip()])


def split_whatsapp(text: str) -> list[str]:
    """WhatsApp has no segments, only Twilio's 1,600-character limit per message."""
    text = text.strip()
    if len(text) <= WHATSAPP_MAX_CHARS:
        return [text]
    limit = WHATSAPP_MAX_CHARS - len(PART_SUFFIX_RESERVE)
    return _numbered([p.strip() for p in _split(text, lambda s: len(s) <= limit) if p.strip()])
