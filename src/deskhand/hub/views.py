"""What the Hub's pages show about an order, worded in the shopper's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.agent.replies.changes import change_text
from deskhand.db.models import OrderHistory
from deskhand.domain.orders import ItemStatus, LineItem, Money, Order, Shipment
from deskhand.domain.policy import PolicyRules, ReturnVerdict, Why
from deskhand.domain.returns import LineReturnability
from deskhand.hub.editing import Change
from deskhand.hub.i18n import HubWords
from deskhand.hub.signin import Checked, Requested

# Why a sign-in step did not work, as the sign-in and code pages word it.
REQUEST_ERRORS = {
    Requested.INVALID: "hub.signin.error_address",
    Requested.LIMITED: "hub.signin.error_limited",
}
CODE_ERRORS = {
    Checked.WRONG: "hub.code.error_wrong",
    Checked.EXPIRED: "hub.code.error_expired",
    Checked.LOCKED: "hub.code.error_locked",
    Checked.UNKNOWN: "hub.code.error_unknown",
}
LINK_USED = "hub.signin.link_used"  # a hand-off link that no longer works
LINK_INVALID = "hub.link.error_invalid"
ADDRESS_INVALID = "hub.address.error.summary"


class Tab(StrEnum):
    """The tabs of an order's pages (the templates mark the current one)."""

    OVERVIEW = "overview"
    EDIT = "edit"
    CANCEL = "cancel"
    TRACK = "track"
    RETURN = "return"

    def path(self, number: str) -> str:
        """The tab's address for the order with this number."""
        base = f"/hub/orders/{number}"
        return base if self is Tab.OVERVIEW else f"{base}/{self.value}"


def live_total(order: Order) -> Money:
    return order.total_of([i for i in order.items if i.status != ItemStatus.CANCELLED])


def fee_kept(db: Session, order: Order) -> Money | None:
    """What cancelling this order (or part of it) cost, kept from the refund; None if nothing."""
    rows = db.scalars(
        select(OrderHistory).where(
            OrderHistory.order_id == order.id, OrderHistory.action == "cancel"
        )
    )
    fees = [r.after for r in rows if r.after.get("fee")]
    if not fees:
        return None
    return Money(sum(int(f["fee"]) for f in fees), fees[0]["currency"])


def total_charged(db: Session, order: Order) -> Money:
    """What the shopper pays for the order: the live items, plus any cancellation fee kept."""
    live, fee = live_total(order), fee_kept(db, order)
    return live if fee is None else Money(live.amount + fee.amount, live.currency)


def tab_context(order: Order, tab: Tab) -> dict[str, Any]:
    """What every tab of an order's pages shows: the order, which tab, its live total."""
    return {"order": order, "tab": tab, "total": live_total(order)}


def unshipped(order: Order) -> list[LineItem]:
    return [i for i in order.items if i.status == ItemStatus.UNFULFILLED]


def shipment_position(order: Order, raw: str) -> int | None:
    """The 1-based position of one of the order's shipments in the address, else None."""
    position = int(raw) if raw.isdigit() and len(raw) < 4 else 0
    return position if 1 <= position <= len(order.shipments) else None


def shipment_items(order: Order, shipment: Shipment) -> list[LineItem]:
    return [i for i in order.items if i.shipment_id == shipment.id]


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    text: str


def history_of(db: Session, order: Order, words: HubWords) -> list[HistoryLine]:
    """The order's changes, newest first, as sentences."""
    rows = db.scalars(
        select(OrderHistory)
        .where(OrderHistory.order_id == order.id)
        .order_by(OrderHistory.created_at.desc(), OrderHistory.id.desc())
    )
    return [
        HistoryLine(r.created_at, change_text(r.action, r.before, r.after, words)) for r in rows
    ]


@dataclass(frozen=True)
class Flash:
    """The confirmation the next page shows once: a catalogue key and its values."""

    key: str
    params: dict[str, Any]


def done_flash(change: Change, order: Order, words: HubWords, rules: PolicyRules) -> Flash:
    """What the shopper is told after a change went through."""
    a = change.after
    if change.action == "cancel":
        key = "hub.done.cancel" if a["whole_order"] else "hub.done.cancel_partial"
        if a.get("packing_left"):  # the rest is being packed, not shipped
            key = "hub.done.cancel_packing"
        return Flash(
            key,
            {
                "number": order.number,
                "fee": words.money(Money(a["fee"], a["currency"])),
                "refund": words.money(Money(a["refund"], a["currency"])),
                "days": rules.refund_business_days,
            },
        )
    key = f"hub.done.{change.action}"
    if change.action == "swap_variant":
        before = change.before["variant"]
        return Flash(key, {"item": a["title"], "before": before, "after": a["variant"]})
    if change.action == "change_quantity":
        return Flash(key, {"item": a["title"], "quantity": a["quantity"]})
    return Flash(key, {"address": f"{a['line1']}, {a['postcode']} {a['city']}"})


def return_text(verdict: ReturnVerdict | LineReturnability, w: HubWords, rules: PolicyRules) -> str:
    """Until when this item can go back, or why it cannot."""
    if verdict.why == Why.ALREADY_RETURNED:
        return w.t("returns.portal.already_returned")
    if verdict.ok and verdict.window_ends_at is not None:
        return w.t("hub.returns.until", date=w.day(verdict.window_ends_at))
    why = verdict.why.value if verdict.why else "not_delivered"
    if why == "return_window_passed" and verdict.window_ends_at is not None:
        return w.t(
            "hub.returns.window_passed",
            date=w.day(verdict.window_ends_at),
            days=rules.return_window_days,
        )
    if why == "not_delivered":
        return w.t("hub.returns.not_delivered", days=rules.return_window_days)
    return w.t(f"hub.returns.excluded.{why}")
