"""What a brand's web chat widget looks like and says: colours, position, greetings, UI text."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import LANGUAGES, catalogue
from deskhand.db import models
from deskhand.db.models import WidgetSettings

DEFAULT_ACCENT = "#1f5fbf"
DEMO_ACCENT = "#2f6b4f"  # Fjord & Finch: pine green
PREFIX = "widget."
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_DARK = "#1d2433"
_WHITE = "#ffffff"


class Colours(BaseModel):
    accent: str  # buttons, header, the shopper's bubbles
    on_accent: str  # text on the accent
    accent_text: str  # the accent darkened where needed to be readable on white
    accent_soft: str  # a light tint for highlights


class BrandInfo(BaseModel):
    slug: str
    name: str


class WidgetConfig(BaseModel):
    brand: BrandInfo
    languages: list[str]
    default_language: str
    colours: Colours
    position: str  # "right" | "left"
    greeting: dict[str, str]  # language -> the first message the widget shows
    strings: dict[str, dict[str, str]]  # language -> interface text ({brand}, {count} … filled in)
    max_message_chars: int


def widget_config(session: Session, brand: models.Brand, *, max_message_chars: int) -> WidgetConfig:
    """Everything the widget needs before the shopper says anything; public and cacheable."""
    stored = session.get(WidgetSettings, brand.id)
    accent = stored.accent_colour if stored and _HEX.fullmatch(stored.accent_colour) else None
    greetings = stored.greetings if stored else {}
    languages = [str(lang) for lang in brand.languages]
    return WidgetConfig(
        brand=BrandInfo(slug=brand.slug, name=brand.name),
        languages=languages,
        default_language=brand.default_language,
        colours=colours_for(accent or DEFAULT_ACCENT),
        position=stored.position if stored and stored.position in ("left", "right") else "right",
        greeting={
            lang: str(greetings.get(lang) or _text(lang, "greeting").format(brand=brand.name))
            for lang in languages
        },
        strings={lang: interface_strings(lang) for lang in {*languages, "en"}},
        max_message_chars=max_message_chars,
    )


def interface_strings(lang: str) -> dict[str, str]:
    """The widget's own words in one language (English where the catalogue has none)."""
    merged = {**catalogue("en"), **(catalogue(lang) if lang in LANGUAGES else {})}
    return {k.removeprefix(PREFIX): v for k, v in merged.items() if k.startswith(PREFIX)}


def _text(lang: str, key: str) -> str:
    own = catalogue(lang) if lang in LANGUAGES else {}
    return own.get(PREFIX + key) or catalogue("en")[PREFIX + key]


def seed_demo_widget(session: Session, brand_id: int, now: datetime) -> None:
    """The demo brand's widget: Fjord & Finch green, bottom right, the default greetings."""
    session.add(
        WidgetSettings(
            brand_id=brand_id,
            accent_colour=DEMO_ACCENT,
            position="right",
            greetings={},
            updated_at=now,
        )
    )


# -- colour arithmetic (WCAG 2 relative luminance and contrast) -------------------------------


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
