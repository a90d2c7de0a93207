"""The ReturnsProvider port: who runs a brand's returns, and whether returns are available.

A brand chooses its provider in its rules (`PolicyRules.returns_provider`): the Hub's own
returns portal (built-in), Loop or AfterShip Returns, or none. Returns are *available* only
with the Customer Hub on and a provider that is ready; otherwise the skill runs in limited
mode (policy answers, and a soft handoff for anything about an order) and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.integrations import find_integration
from deskhand.domain.orders import Order
from deskhand.domain.policy import PolicyRules
from deskhand.domain.vocabulary import IntegrationKind, ReturnsProviderKind


class Unavailable(StrEnum):
    """Why returns cannot be started for a brand (shown to the brand, logged as analytics)."""

    HUB_OFF = "hub_off"
    NO_PROVIDER = "no_provider"
    PROVIDER_NOT_CONNECTED = "provider_not_connected"
    PROVIDER_NOT_SUPPORTED = "provider_not_supported"


class ReturnsProvider(Protocol):
    @property
    def kind(self) -> ReturnsProviderKind: ...

    def verdicts(self, order: Order) -> Mapping[int, bool]:
        """The provider's own verdict per line item id, where it has one (else left out)."""
        ...

    def portal_url(self, order: Order) -> str | None:
        """Where the shopper starts a return with this provider; None: the Hub's portal."""
        ...


@dataclass(frozen=True)
class BuiltInProvider:
    """The Hub's own returns portal: Deskhand's rules decide, staff move the states."""

    kind: ReturnsProviderKind = ReturnsProviderKind.BUILTIN

    def verdicts(self, order: Order) -> Mapping[int, bool]:
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


def returns_availability(session: Session, brand: models.Brand, rules: PolicyRules) -> Availability:
    """The brand's returns provider, or why returns are unavailable (limited mode)."""
    if not rules.hub_enabled:
        return Availability(None, Unavailable.HUB_OFF)
    kind = rules.returns_provider
    if kind is ReturnsProviderKind.NONE:
        return Availability(None, Unavailable.NO_PROVIDER)
    if kind is ReturnsProviderKind.BUILTIN:
        return Availability(BuiltInProvider())
    if find_integration(session, brand.id, _INTEGRATION[kind]) is None:
        return Availability(None, Unavailable.PROVIDER_NOT_CONNECTED)
    # Loop and AfterShip adapters are not part of this installation yet.
    return Availability(None, Unavailable.PROVIDER_NOT_SUPPORTED)
