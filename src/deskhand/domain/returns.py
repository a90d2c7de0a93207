"""Returns as the rules see them: which quantity of each item can still go back, the states
a return moves through, and what a return refunds. Pure: every function takes `now`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from deskhand.domain.orders import ItemStatus, LineItem, Money, Order
from deskhand.domain.policy import PolicyRules, Why, return_eligibility


class ReturnState(StrEnum):
    """Where a return is: requested -> approved -> in transit -> received -> refunded."""

    REQUESTED = "requested"
    APPROVED = "approved"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    REFUNDED = "refunded"
    REJECTED = "rejected"


# Which state may follow which; staff may skip "in transit" (a parcel handed in at the shop).
NEXT_STATES: dict[ReturnState, frozenset[ReturnState]] = {
    ReturnState.REQUESTED: frozenset({ReturnState.APPROVED, ReturnState.REJECTED}),
    ReturnState.APPROVED: frozenset(
        {ReturnState.IN_TRANSIT, ReturnState.RECEIVED, ReturnState.REJECTED}
    ),
    ReturnState.IN_TRANSIT: frozenset({ReturnState.RECEIVED, ReturnState.REJECTED}),
    ReturnState.RECEIVED: frozenset({ReturnState.REFUNDED, ReturnState.REJECTED}),
    ReturnState.REFUNDED: frozenset(),
    ReturnState.REJECTED: frozenset(),
}
# The way a return normally goes, for a timeline.
PATH = (
    ReturnState.REQUESTED,
    ReturnState.APPROVED,
    ReturnState.IN_TRANSIT,
    ReturnState.RECEIVED,
    ReturnState.REFUNDED,
)
# States in which the items still count as "on their way back" (not free to return again).
OPEN_OR_DONE = frozenset(s for s in ReturnState if s is not ReturnState.REJECTED)


def can_move(current: ReturnState, to: ReturnState) -> bool:
    return to in NEXT_STATES[current]


class Resolution(StrEnum):
    """What the shopper gets for what they send back."""

    REFUND = "refund"  # to the original payment
    EXCHANGE = "exchange"  # another variant of the same product, in stock
    STORE_CREDIT = "store_credit"


# The reasons a brand offers unless it sets its own list (`PolicyRules.return_reasons`).
DEFAULT_REASONS = ("too_small", "too_large", "not_as_described", "damaged", "changed_mind")


@dataclass(frozen=True)
class LineReturnability:
    """One line item: how many of it can still go back, or why none can."""

    item: LineItem
    returnable: int  # quantity that may go back now
    returned: int  # quantity already on a return (not rejected)
    why: Why | None  # set when returnable == 0
    window_ends_at: datetime | None

    @property
    def ok(self) -> bool:
        return self.returnable > 0


def returnability(
    order: Order, rules: PolicyRules, now: datetime, returned: Mapping[int, int]
) -> list[LineReturnability]:
    """Each live item of the order: the window from delivery, exclusions, quantities already
    returned (`returned`: line item id -> quantity on returns that were not rejected)."""
    lines = []
    for item in order.items:
        if item.status == ItemStatus.CANCELLED:
            continue
        verdict = return_eligibility(item, order, rules, now)
        done = min(returned.get(item.id, 0), item.quantity)
        left = item.quantity - done
        if not verdict.ok:
            lines.append(LineReturnability(item, 0, done, verdict.why, verdict.window_ends_at))
        elif left <= 0:
            lines.append(
                LineReturnability(item, 0, done, Why.ALREADY_RETURNED, verdict.window_ends_at)
            )
        else:
            lines.append(LineReturnability(item, left, done, None, verdict.window_ends_at))
    return lines


@dataclass(frozen=True)
class RefundPreview:
    """What a return of these quantities gives back, before the shopper confirms."""

    items_value: Money  # the price paid for what goes back
    return_shipping: Money  # deducted from a refund to the original payment, as the policy says
    refund: Money  # to the original payment
    store_credit: Money
    exchange_difference: Money  # new variants' price minus the returned; > 0: shopper pays


def refund_preview(
    order: Order,
    quantities: Mapping[int, int],
    resolution: Resolution,
    rules: PolicyRules,
    exchange_prices: Mapping[int, int] | None = None,
) -> RefundPreview:
    """The money of a return: `quantities` line item id -> quantity; `exchange_prices` line
    item id -> unit price of the variant it is exchanged for."""
    cur = order.currency
    by_id = {i.id: i for i in order.items}
    value = sum(by_id[i].unit_price * q for i, q in quantities.items() if q > 0)
    zero = Money(0, cur)
    if resolution is Resolution.REFUND:
        fee = min(rules.return_shipping_fee, value)
        return RefundPreview(
            Money(value, cur), Money(fee, cur), Money(value - fee, cur), zero, zero
        )
    if resolution is Resolution.STORE_CREDIT:
        return RefundPreview(Money(value, cur), zero, zero, Money(value, cur), zero)
    prices = exchange_prices or {}
    new = sum(prices.get(i, by_id[i].unit_price) * q for i, q in quantities.items() if q > 0)
    diff = new - value
    refund = Money(-diff, cur) if diff < 0 else zero
    return RefundPreview(Money(value, cur), zero, refund, zero, Money(diff, cur))


def add_business_days(start: date, days: int) -> date:
    """The date `days` business days (Monday to Friday) after `start`."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
