"""How a brand looks to its shoppers, read once for the web chat widget and the Customer Hub.

Both wear the brand's name, accent colour and logo from the same row (`widget_settings`), and
both call the Customer Hub what the brand calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.models import WidgetSettings
from deskhand.domain.colours import DEFAULT_ACCENT, HEX, Colours, colours_for

_LOGO_SCHEMES = ("https://", "http://", "/")


@dataclass(frozen=True)
class BrandLook:
    name: str
    colours: Colours
    accent_chosen: bool  # False: the brand has no settings yet and wears Deskhand blue
    logo_url: str | None = None
    portal_names: dict[str, str] = field(default_factory=dict)

    def portal(self, lang: str) -> str | None:
        """The brand's own name for its Customer Hub in this language, if it set one."""
        return self.portal_names.get(lang) or None


def brand_look(session: Session, brand: models.Brand) -> BrandLook:
    stored = session.get(WidgetSettings, brand.id)
    accent = stored.accent_colour if stored and HEX.fullmatch(stored.accent_colour) else None
    logo = (stored.logo_url or "").strip() if stored else ""
    names = stored.portal_names or {} if stored else {}
    return BrandLook(
        name=brand.name,
        colours=colours_for(accent or DEFAULT_ACCENT),
        accent_chosen=accent is not None,
        logo_url=logo if logo.startswith(_LOGO_SCHEMES) and not logo.startswith("//") else None,
        portal_names={
            str(k): str(v).strip()[:60]
            for k, v in names.items()
            if isinstance(v, str) and v.strip()
        },
    )
