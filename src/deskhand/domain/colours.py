"""Readable companions for a brand's accent colour (WCAG 2 relative luminance and contrast).

The web chat widget and the Customer Hub wear the same colours, computed here once.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

HEX = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_ACCENT = "#1f5fbf"  # Deskhand blue, for a brand that has not chosen one
_DARK = "#1d2433"
_WHITE = "#ffffff"


class Colours(BaseModel):
    accent: str  # buttons, header, the shopper's bubbles
    on_accent: str  # text on the accent
    accent_text: str  # the accent darkened where needed to be readable on white
    accent_soft: str  # a light tint for highlights


def colours_for(accent: str) -> Colours:
    """Readable companions for a brand's accent colour."""
    on_accent = _WHITE if contrast(accent, _WHITE) >= contrast(accent, _DARK) else _DARK
    text = accent
    for step in range(1, 11):
        if contrast(text, _WHITE) >= 4.5:
            break
        text = mix(accent, "#000000", step / 10)
    return Colours(
        accent=accent.lower(),
        on_accent=on_accent,
        accent_text=text.lower(),
        accent_soft=mix(accent, _WHITE, 0.88),
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` moved `share` of the way towards `other`."""
    parts = (round(x + (y - x) * share) for x, y in zip(_rgb(colour), _rgb(other), strict=True))
    return "#" + "".join(f"{p:02x}" for p in parts)
