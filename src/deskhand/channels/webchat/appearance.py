"""What a brand's web chat widget looks like and says: colours, position, greetings, UI text."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import LANGUAGES, catalogue, zone_city
from deskhand.db import models
from deskhand.db.brand_look import brand_look
from deskhand.db.models import WidgetSettings
from deskhand.domain.colours import Colours, colours_for, contrast

__all__ = ["DEMO_ACCENT", "Colours", "WidgetConfig", "colours_for", "contrast", "widget_config"]

DEMO_ACCENT = "#2f6b4f"  # Fjord & Finch: pine green
DEMO_LOGO = "/demo/logo.svg"  # served by the demo shop's routes
PREFIX = "widget."


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
    # One clock: times in the brand's zone (IANA), named by its city in each language.
    time_zone: str
    time_zone_names: dict[str, str]
    portal: dict[str, str]  # language -> what the brand calls its Customer Hub


def widget_config(session: Session, brand: models.Brand, *, max_message_chars: int) -> WidgetConfig:
    """Everything the widget needs before the shopper says anything; public and cacheable."""
    stored = session.get(WidgetSettings, brand.id)
    look = brand_look(session, brand)
    greetings = stored.greetings if stored else {}
    languages = [str(lang) for lang in brand.languages]
    return WidgetConfig(
        brand=BrandInfo(slug=brand.slug, name=brand.name),
        languages=languages,
        default_language=brand.default_language,
        colours=look.colours,
        position=stored.position if stored and stored.position in ("left", "right") else "right",
        greeting={
            lang: str(greetings.get(lang) or _text(lang, "greeting").format(brand=brand.name))
            for lang in languages
        },
        strings={lang: interface_strings(lang) for lang in {*languages, "en"}},
        max_message_chars=max_message_chars,
        time_zone=brand.timezone,
        time_zone_names={lang: zone_city(brand.timezone, lang) for lang in {*languages, "en"}},
        portal={
            lang: look.portal(lang) or _text(lang, "hub.name", prefix="")
            for lang in {*languages, "en"}
        },
    )


def interface_strings(lang: str) -> dict[str, str]:
    """The widget's own words in one language (English where the catalogue has none)."""
    merged = {**catalogue("en"), **(catalogue(lang) if lang in LANGUAGES else {})}
    return {k.removeprefix(PREFIX): v for k, v in merged.items() if k.startswith(PREFIX)}


def _text(lang: str, key: str, prefix: str = PREFIX) -> str:
    own = catalogue(lang) if lang in LANGUAGES else {}
    return own.get(prefix + key) or catalogue("en")[prefix + key]


def seed_demo_widget(session: Session, brand_id: int, now: datetime) -> None:
    """The demo brand's widget: Fjord & Finch green, bottom right, the default greetings."""
    session.add(
        WidgetSettings(
            brand_id=brand_id,
            accent_colour=DEMO_ACCENT,
            position="right",
            greetings={},
            updated_at=now,
            logo_url=DEMO_LOGO,
        )
    )
