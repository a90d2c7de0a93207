"""Shipping as structured facts: what delivery costs, from when it is free, how long it takes.

Like the return window, these are the brand's rules (in its policy JSON, edited by the
brand, checked against the help centre by `knowledge/consistency.py`); the agent works the
figure out from them ("shipping to Germany for a 30 euro order costs €4.95") and cites the
article after it. A region is a country code, or "EU" for every other EU country.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EU_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
REST_OF_EU = "EU"


class PolicyError(ValueError):
    """The brand's policy JSON is not valid; the message says which field and why."""


@dataclass(frozen=True)
class ShippingRate:
    region: str  # a country code, or "EU" for the rest of the EU
    cost: int  # minor units of the brand's currency, below the free threshold
    free_over: int | None = None  # orders above this value ship free; None: never

    def to_json(self) -> dict[str, Any]:
        return {"region": self.region, "cost": self.cost, "free_over": self.free_over}


def rates_from_json(data: Any) -> tuple[ShippingRate, ...]:
    """The `shipping_rates` list of a policy, validated (raises PolicyError)."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise PolicyError("shipping_rates must be a list")
    rates = []
    for n, item in enumerate(data):
        where = f"shipping_rates[{n}]"
        if not isinstance(item, dict) or set(item) - {"region", "cost", "free_over"}:
            raise PolicyError(f"{where} must be an object with region, cost and free_over")
        region, cost, free_over = item.get("region"), item.get("cost"), item.get("free_over")
        if not isinstance(region, str) or not (region == REST_OF_EU or region in EU_COUNTRIES):
            raise PolicyError(f"{where}.region must be an EU country code or 'EU'")
        if not isinstance(cost, int) or isinstance(cost, bool) or cost < 0:
            raise PolicyError(f"{where}.cost must be a whole number of cents, 0 or more")
        if free_over is not None and (
            not isinstance(free_over, int) or isinstance(free_over, bool) or free_over < 0
        ):
            raise PolicyError(f"{where}.free_over must be a whole number of cents, or null")
        rates.append(ShippingRate(region, cost, free_over))
    regions = [r.region for r in rates]
    if len(set(regions)) != len(regions):
        raise PolicyError("shipping_rates names a region twice")
    return tuple(rates)


@dataclass(frozen=True)
class ShippingQuote:
    country: str
    ships: bool  # False: the brand does not deliver there
    cost: int | None = None  # what this order pays (0 when free); None: no rate known
    rate: ShippingRate | None = None
    order_value: int | None = None
    min_days: int | None = None
    max_days: int | None = None

    @property
    def free(self) -> bool:
        return self.cost == 0


def region_of(country: str, regions: set[str]) -> str | None:
    """The region whose rule applies to a country: its own, else the rest of the EU."""
    if country in regions:
        return country
    if country in EU_COUNTRIES and REST_OF_EU in regions:
        return REST_OF_EU
    return None


def shipping_quote(
    country: str,
    order_value: int | None,
    rates: tuple[ShippingRate, ...],
    times: tuple[tuple[str, int, int], ...],
) -> ShippingQuote:
    """What shipping to `country` costs for an order of `order_value` and how long it takes.

    `times` are (region, min days, max days). The brand ships where it has a rate or a
    delivery time; anywhere else, it does not.
    """
    by_region = {r.region: r for r in rates}
    time_of = {region: (low, high) for region, low, high in times}
    rate_region = region_of(country, set(by_region))
    time_region = region_of(country, set(time_of))
    if rate_region is None and time_region is None:
        return ShippingQuote(country, ships=False, order_value=order_value)
    rate = by_region.get(rate_region) if rate_region else None
    cost = None
    if rate is not None and order_value is not None:
        free = rate.free_over is not None and order_value > rate.free_over
        cost = 0 if free else rate.cost
    low, high = time_of.get(time_region, (None, None)) if time_region else (None, None)
    return ShippingQuote(country, True, cost, rate, order_value, low, high)
