"""The ReturnsProvider port: who runs a brand's returns, and whether returns are available.

A brand chooses its provider in its rules (`PolicyRules.returns_provider`): the Hub's own
returns portal (built-in), Loop or AfterShip Returns, or none. Returns are *available* only
with the Customer Hub on and a provider that is ready; otherwise the skill runs in limited
mode (policy answers, and a soft handoff for anything about an order) and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy.orm import Session

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import find_integration, secrets_of
from deskhand.domain.orders import Order
from deskhand.domain.policy import PolicyRules
from deskhand.domain.vocabulary import IntegrationKind, ReturnsProviderKind
from deskhand.returns import aftership, loop
from deskhand.returns.aftership import AfterShipProvider
from deskhand.returns.loop import LoopProvider


class Unavailable(StrEnum):
    """Why returns cannot be started for a brand (shown to the brand, logged as analytics)."""

    HUB_OFF = "hub_off"
    NO_PROVIDER = "no_provider"
    PROVIDER_NOT_CONNECTED = "provider_not_connected"


class ReturnsProvider(Protocol):
    @property
    def kind(self) -> ReturnsProviderKind: ...

    def verdicts(self, order: Order, now: datetime) -> Mapping[int, bool]:
        """The provider's own verdict per line item id, where it has one (else left out);
        raises ProviderError when the provider cannot be asked."""
        ...

    def portal_url(self, order: Order) -> str | None:
        """Where the shopper starts a return with this provider (None: the Hub's portal);
        raises ProviderError when the provider gives no link."""
        ...


@dataclass(frozen=True)
class BuiltInProvider:
    """The Hub's own returns portal: Deskhand's rules decide, staff move the states."""

    kind: ReturnsProviderKind = ReturnsProviderKind.BUILTIN

    def verdicts(self, order: Order, now: datetime) -> Mapping[int, bool]:
        return {}

    def portal_url(self, order: Order) -> str | None:
        return None


@dataclass(frozen=True)
class Availability:
    provider: ReturnsProvider | None
    why_not: Unavailable | None = None

    @property
    def available(self) -> bool:
        return self.provider is not None


_INTEGRATION = {
    ReturnsProviderKind.LOOP: IntegrationKind.LOOP,
    ReturnsProviderKind.AFTERSHIP: IntegrationKind.AFTERSHIP,
}


def returns_availability(
    session: Session,
    brand: models.Brand,
    rules: PolicyRules,
    settings: Settings,
    email: str = "",
) -> Availability:
    """The brand's returns provider, or why returns are unavailable (limited mode).

    Loop and AfterShip need their connection (`integrations`, its key opened with `settings`);
    `email` is the shopper's, for their deep links."""
    if not rules.hub_enabled:
        return Availability(None, Unavailable.HUB_OFF)
    kind = rules.returns_provider
    if kind is ReturnsProviderKind.NONE:
        return Availability(None, Unavailable.NO_PROVIDER)
    if kind is ReturnsProviderKind.BUILTIN:
        return Availability(BuiltInProvider())
    row = find_integration(session, brand.id, _INTEGRATION[kind])
    if row is None:
        return Availability(None, Unavailable.PROVIDER_NOT_CONNECTED)
    secrets = secrets_of(settings, row)
    api_key = str(secrets.get("api_key") or "")
    if not api_key:
        return Availability(None, Unavailable.PROVIDER_NOT_CONNECTED)
    base = str(row.config.get("base_url") or "")
    timeout = float(row.config.get("timeout_seconds") or loop.TIMEOUT)
    if kind is ReturnsProviderKind.LOOP:
        return Availability(LoopProvider(api_key, email, base or loop.BASE_URL, timeout))
    return Availability(AfterShipProvider(api_key, email, base or aftership.BASE_URL, timeout))
