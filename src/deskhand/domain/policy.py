"""The brand's policy rules and what they decide for one order at one moment.

Every function takes ``now`` so the rules stay pure and testable at the window's edges.
A window is half-open: an order placed at 12:00 with a two-hour window can be changed
until 13:59:59, not at 14:00.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from deskhand.domain.orders import ItemStatus, LineItem, Money, Order, OrderStatus
from deskhand.domain.shipping import ShippingRate, rates_from_json
from deskhand.domain.vocabulary import ReturnsProviderKind

CHANGE_TYPES = ("size", "colour", "quantity", "address")


@dataclass(frozen=True)
class ShippingTime:
    region: str  # "NL", "DE", "BE", or "EU" for the rest of the EU
    min_days: int
    max_days: int


@dataclass(frozen=True)
class PolicyRules:
    change_window: timedelta = timedelta(hours=2)
    allowed_changes: frozenset[str] = frozenset(CHANGE_TYPES)
    free_cancellation_window: timedelta = timedelta(hours=2)
    cancellation_fee: int = 500  # minor units of the brand's currency
    return_window_days: int = 30
    return_excluded: frozenset[str] = frozenset({"final_sale", "gift_card", "personalised"})
    refund_business_days: int = 5
    shipping_times: tuple[ShippingTime, ...] = field(default=())
    shipping_rates: tuple[ShippingRate, ...] = field(default=())  # domain/shipping.py
    adding_items_supported: bool = False
    hub_enabled: bool = True
    # Returns: what a refund to the original payment deducts for return postage (0: free),
    # the reasons the portal offers (catalogue words for known codes, else shown as written),
    # and who runs returns (NONE: the skill is unavailable, limited mode).
    return_shipping_fee: int = 0
    return_reasons: tuple[str, ...] = ()
    returns_provider: ReturnsProviderKind = ReturnsProviderKind.BUILTIN

    def to_json(self) -> dict[str, Any]:
        return {
            "change_window_minutes": int(self.change_window.total_seconds() // 60),
            "allowed_changes": sorted(self.allowed_changes),
            "free_cancellation_window_minutes": int(
                self.free_cancellation_window.total_seconds() // 60
            ),
            "cancellation_fee": self.cancellation_fee,
            "return_window_days": self.return_window_days,
            "return_excluded": sorted(self.return_excluded),
            "refund_business_days": self.refund_business_days,
            "shipping_times": [
                {"region": s.region, "min_days": s.min_days, "max_days": s.max_days}
                for s in self.shipping_times
            ],
            "shipping_rates": [r.to_json() for r in self.shipping_rates],
            "adding_items_supported": self.adding_items_supported,
            "hub_enabled": self.hub_enabled,
            "return_shipping_fee": self.return_shipping_fee,
            "return_reasons": list(self.return_reasons),
            "returns_provider": self.returns_provider.value,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PolicyRules:
        return cls(
            change_window=timedelta(minutes=data["change_window_minutes"]),
            allowed_changes=frozenset(data["allowed_changes"]),
            free_cancellation_window=timedelta(minutes=data["free_cancellation_window_minutes"]),
            cancellation_fee=data["cancellation_fee"],
            return_window_days=data["return_window_days"],
            return_excluded=frozenset(data["return_excluded"]),
            refund_business_days=data["refund_business_days"],
            shipping_times=tuple(ShippingTime(**s) for s in data["shipping_times"]),
            shipping_rates=rates_from_json(data.get("shipping_rates")),  # validated
            adding_items_supported=data["adding_items_supported"],
            hub_enabled=data["hub_enabled"],
            # Policies stored before returns had settings get the defaults.
            return_shipping_fee=data.get("return_shipping_fee", 0),
            return_reasons=tuple(data.get("return_reasons", ())),
            returns_provider=ReturnsProviderKind(data.get("returns_provider", "builtin")),
        )


class Why(StrEnum):
    """Why an item cannot be changed (or returned)."""

    SHIPPED = "shipped"
    DELIVERED = "delivered"
    PERSONALISED = "personalised"
    PREORDER = "preorder"
    WINDOW_PASSED = "window_passed"
    CANCELLED = "cancelled"
    FINAL_SALE = "final_sale"
    GIFT_CARD = "gift_card"
    NOT_DELIVERED = "not_delivered"
    RETURN_WINDOW_PASSED = "return_window_passed"
    ALREADY_RETURNED = "already_returned"
    IN_FULFILMENT = "in_fulfilment"  # the warehouse is packing it (or holds it)


@dataclass(frozen=True)
class ItemVerdict:
    item: LineItem
    ok: bool
    why: Why | None = None


class EditVerdict(StrEnum):
    EDITABLE = "editable"  # every live item can change
    PARTIALLY_EDITABLE = "partially_editable"  # some items can change, others cannot
    NOT_EDITABLE = "not_editable"  # in window, but no item can change (personalised, pre-order)
    WINDOW_PASSED = "window_passed"
    SHIPPED = "shipped"  # everything shipped or delivered: returns take over
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Editability:
    verdict: EditVerdict
    items: tuple[ItemVerdict, ...]
    window_ends_at: datetime
    time_left: timedelta  # zero once the window has passed
    address_changeable: bool

    @property
    def editable_items(self) -> tuple[LineItem, ...]:
        return tuple(v.item for v in self.items if v.ok)

    def items_because(self, why: Why) -> tuple[LineItem, ...]:
        return tuple(v.item for v in self.items if v.why == why)


def _in_window(start: datetime, length: timedelta, now: datetime) -> bool:
    # An order stamped slightly in the future (clock skew) is inside its window.
    return now < start + length


def item_editability(
    item: LineItem, order: Order, rules: PolicyRules, now: datetime
) -> ItemVerdict:
    """Decide whether one line item may still be changed, and if not, why."""
    if order.cancelled_at is not None or item.status == ItemStatus.CANCELLED:
        return ItemVerdict(item, False, Why.CANCELLED)
    if item.status == ItemStatus.DELIVERED:
        return ItemVerdict(item, False, Why.DELIVERED)
    if item.status == ItemStatus.SHIPPED:
        return ItemVerdict(item, False, Why.SHIPPED)
    if item.in_fulfilment:
        return ItemVerdict(item, False, Why.IN_FULFILMENT)
    if item.personalised:
        return ItemVerdict(item, False, Why.PERSONALISED)
    if item.preorder:
        return ItemVerdict(item, False, Why.PREORDER)
    if not _in_window(order.placed_at, rules.change_window, now):
        return ItemVerdict(item, False, Why.WINDOW_PASSED)
    return ItemVerdict(item, True)


def editability_of(order: Order, rules: PolicyRules, now: datetime) -> Editability:
    """Decide, item by item, what of this order may still be changed now."""
    verdicts = tuple(item_editability(i, order, rules, now) for i in order.items)
    live = [v for v in verdicts if v.why != Why.CANCELLED]
    window_ends_at = order.placed_at + rules.change_window
    in_window = _in_window(order.placed_at, rules.change_window, now)
    time_left = max(window_ends_at - now, timedelta(0)) if in_window else timedelta(0)
    status = order.status
    if status == OrderStatus.CANCELLED:
        verdict = EditVerdict.CANCELLED
    elif status in (OrderStatus.FULFILLED, OrderStatus.DELIVERED):
        verdict = EditVerdict.SHIPPED
    elif all(v.ok for v in live):
        verdict = EditVerdict.EDITABLE
    elif any(v.ok for v in live):
        verdict = EditVerdict.PARTIALLY_EDITABLE
    elif not in_window:
        verdict = EditVerdict.WINDOW_PASSED
    else:
        verdict = EditVerdict.NOT_EDITABLE
    address_changeable = "address" in rules.allowed_changes and any(v.ok for v in live)
    return Editability(verdict, verdicts, window_ends_at, time_left, address_changeable)


class CancelVerdict(StrEnum):
    FREE = "free"
    WITH_FEE = "with_fee"
    PARTIAL = "partial"  # only the items not shipped and not being packed can be cancelled
    SHIPPED = "shipped"  # nothing left to cancel: return instead
    IN_FULFILMENT = "in_fulfilment"  # what is left is being packed: return it once it arrives
    ALREADY_CANCELLED = "already_cancelled"


@dataclass(frozen=True)
class CancellationTerms:
    verdict: CancelVerdict
    fee: Money
    refund: Money
    cancellable_items: tuple[LineItem, ...]
    shipped_items: tuple[LineItem, ...]
    free_until: datetime | None  # None once the free window has passed
    packing_items: tuple[LineItem, ...] = ()  # not shipped, but being packed (or held)

    @property
    def allowed(self) -> bool:
        return bool(self.cancellable_items)


def cancellation_terms(order: Order, rules: PolicyRules, now: datetime) -> CancellationTerms:
    """Decide what cancelling this order now costs and what it refunds."""
    zero = Money(0, order.currency)
    live = [i for i in order.items if i.status != ItemStatus.CANCELLED]
    packing = order.in_fulfilment_items
    cancellable = tuple(
        i for i in live if i.status == ItemStatus.UNFULFILLED and not i.in_fulfilment
    )
    shipped = tuple(i for i in live if i.status in (ItemStatus.SHIPPED, ItemStatus.DELIVERED))
    free_until = order.placed_at + rules.free_cancellation_window
    free = _in_window(order.placed_at, rules.free_cancellation_window, now)
    if order.status == OrderStatus.CANCELLED:
        return CancellationTerms(CancelVerdict.ALREADY_CANCELLED, zero, zero, (), (), None)
    if not cancellable:
        verdict = CancelVerdict.IN_FULFILMENT if packing else CancelVerdict.SHIPPED
        return CancellationTerms(verdict, zero, zero, (), shipped, None, packing)
    fee = zero if free else Money(rules.cancellation_fee, order.currency)
    value = order.total_of(cancellable)
    refund = Money(max(value.amount - fee.amount, 0), order.currency)
    if shipped or packing:
        verdict = CancelVerdict.PARTIAL
    else:
        verdict = CancelVerdict.FREE if free else CancelVerdict.WITH_FEE
    return CancellationTerms(
        verdict, fee, refund, cancellable, shipped, free_until if free else None, packing
    )


@dataclass(frozen=True)
class ReturnVerdict:
    item: LineItem
    ok: bool
    why: Why | None
    window_ends_at: datetime | None


def return_eligibility(
    item: LineItem, order: Order, rules: PolicyRules, now: datetime
) -> ReturnVerdict:
    """Decide whether one item can be returned now (window counted from delivery)."""
    excluded = {
        Why.FINAL_SALE: item.final_sale,
        Why.GIFT_CARD: item.gift_card,
        Why.PERSONALISED: item.personalised,
    }
    for why, applies in excluded.items():
        if applies and why.value in rules.return_excluded:
            return ReturnVerdict(item, False, why, None)
    shipment = order.shipment_of(item)
    if item.status != ItemStatus.DELIVERED or shipment is None or shipment.delivered_at is None:
        return ReturnVerdict(item, False, Why.NOT_DELIVERED, None)
    ends = shipment.delivered_at + timedelta(days=rules.return_window_days)
    if now >= ends:
        return ReturnVerdict(item, False, Why.RETURN_WINDOW_PASSED, ends)
    return ReturnVerdict(item, True, None, ends)
