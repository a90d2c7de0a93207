"""What the Hub's pages show about an order, worded in the shopper's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db.models import OrderHistory
from deskhand.domain.orders import ItemStatus, LineItem, Money, Order, Shipment
from deskhand.domain.policy import PolicyRules, ReturnVerdict, return_eligibility
from deskhand.hub.i18n import HubWords


def live_total(order: Order) -> Money:
    return order.total_of([i for i in order.items if i.status != ItemStatus.CANCELLED])


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
    return [HistoryLine(r.created_at, _history_text(r, words)) for r in rows]


def _history_text(row: OrderHistory, w: HubWords) -> str:
    b, a = row.before, row.after
    if row.action == "swap_variant":
        return w.t("hub.history.swap", item=a["title"], before=b["variant"], after=a["variant"])
    if row.action == "change_quantity":
        return w.t(
            "hub.history.quantity", item=a["title"], before=b["quantity"], after=a["quantity"]
        )
    if row.action == "change_address":
        return w.t("hub.history.address", after=f"{a['line1']}, {a['postcode']} {a['city']}")
    if row.action == "cancel":
        return w.t(
            "hub.history.cancel",
            fee=w.money(Money(a["fee"], a["currency"])),
            refund=w.money(Money(a["refund"], a["currency"])),
        )
    return row.action


def return_verdicts(order: Order, rules: PolicyRules, now: datetime) -> list[ReturnVerdict]:
    return [
        return_eligibility(i, order, rules, now)
        for i in order.items
        if i.status != ItemStatus.CANCELLED
    ]


def return_text(verdict: ReturnVerdict, w: HubWords, rules: PolicyRules) -> str:
    """Until when this item can go back, or why it cannot."""
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
