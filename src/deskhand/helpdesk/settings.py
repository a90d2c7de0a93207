"""A brand's handoff settings, read and written (table `handoff_settings`, one JSON row).

- `destination`: where a handoff goes (HandoffDestination); NONE is "don't hand off".
- `message`, `links`: what the shopper is shown instead of a human in "don't hand off" mode
  (the brand's own words; the links to its help centre, FAQ and contact form).
- `hours`: business hours (domain.business_hours), `office_message`: the brand's words outside
  them, `response_hours`: how soon the team answers when open (0: not promised).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.integrations import find_integration
from deskhand.domain.business_hours import BusinessHours, HoursError
from deskhand.domain.vocabulary import HandoffDestination, IntegrationKind

LINK_KINDS = ("help_centre", "faq", "contact_form")
MAX_MESSAGE_CHARS = 1000
MAX_RESPONSE_HOURS = 24 * 14

# The helpdesks that must be connected before they can be chosen.
NEEDS_CONNECTION = {
    HandoffDestination.ZENDESK: IntegrationKind.ZENDESK,
    HandoffDestination.GORGIAS: IntegrationKind.GORGIAS,
}


class SettingsError(ValueError):
    """Posted settings that cannot be saved: `field` names the part, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class HandoffConfig:
    destination: HandoffDestination = HandoffDestination.BUILTIN
    message: str = ""
    links: dict[str, str] = field(default_factory=dict)  # LINK_KINDS -> https URL
    hours: BusinessHours = field(default_factory=BusinessHours)
    office_message: str = ""
    response_hours: int = 0

    @property
    def hands_off(self) -> bool:
        return self.destination != HandoffDestination.NONE

    def to_json(self) -> dict[str, Any]:
        return {
            "destination": self.destination.value,
            "message": self.message,
            "links": {k: v for k, v in self.links.items() if v},
            "hours": self.hours.to_json(),
            "office_message": self.office_message,
            "response_hours": self.response_hours,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None, timezone: str = "UTC") -> HandoffConfig:
        """Validated settings; SettingsError names the field that is wrong."""
        data = data or {}
        try:
            destination = HandoffDestination(data.get("destination") or "builtin")
        except ValueError:
            raise SettingsError("destination", "Choose where handoffs go.") from None
        message = str(data.get("message") or "").strip()
        if len(message) > MAX_MESSAGE_CHARS:
            raise SettingsError(
                "message", f"Keep the message under {MAX_MESSAGE_CHARS} characters."
            )
        links = {}
        for kind, url in (data.get("links") or {}).items():
            if kind not in LINK_KINDS:
                raise SettingsError("links", f"Unknown link {kind!r}.")
            url = str(url or "").strip()
            if url and not _is_web_address(url):
                raise SettingsError(kind, "A link must be a full https:// address.")
            if url:
                links[kind] = url
        hours_data = data.get("hours") or {"timezone": timezone}
        try:
            hours = BusinessHours.from_json(hours_data)
        except HoursError as exc:
            raise SettingsError("hours", str(exc)) from None
        office = str(data.get("office_message") or "").strip()
        if len(office) > MAX_MESSAGE_CHARS:
            raise SettingsError(
                "office_message", f"Keep the message under {MAX_MESSAGE_CHARS} characters."
            )
        try:
            response_hours = int(data.get("response_hours") or 0)
        except (TypeError, ValueError):
            raise SettingsError(
                "response_hours", "The response time is a number of hours."
            ) from None
        if not 0 <= response_hours <= MAX_RESPONSE_HOURS:
            raise SettingsError(
                "response_hours", f"The response time is 0 to {MAX_RESPONSE_HOURS} hours."
            )
        return cls(destination, message, links, hours, office, response_hours)


def _is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("https", "http") and bool(parts.netloc) and " " not in url


def handoff_config(session: Session, brand: models.Brand) -> HandoffConfig:
    """The brand's settings; the defaults (built-in helpdesk, always open) when never saved.

    A stored row that no longer reads (a zone removed from the system) falls back to the
    defaults rather than failing the shopper's turn."""
    row = session.get(models.HandoffSettings, brand.id)
    if row is None:
        return HandoffConfig(hours=BusinessHours(timezone=brand.timezone))
    try:
        return HandoffConfig.from_json(row.data, brand.timezone)
    except SettingsError:
        return HandoffConfig(hours=BusinessHours(timezone=brand.timezone))


def save_handoff_config(
    session: Session, brand: models.Brand, config: HandoffConfig, now: datetime
) -> None:
    row = session.get(models.HandoffSettings, brand.id)
    if row is None:
        session.add(
            models.HandoffSettings(brand_id=brand.id, data=config.to_json(), updated_at=now)
        )
    else:
        row.data, row.updated_at = config.to_json(), now
    session.flush()


def missing_connection(
    session: Session, brand_id: int, destination: HandoffDestination
) -> IntegrationKind | None:
    """The integration a destination needs and the brand has not connected, else None."""
    kind = NEEDS_CONNECTION.get(destination)
    if kind is None:
        return None
    row = find_integration(session, brand_id, kind)
    return kind if row is None else None
