"""Which of an order's items the warehouse already works on, from its fulfillment orders.

A fulfillment order is a plan to ship some of an order's items from one location. While it
is OPEN or SCHEDULED nobody works on it, so its items may still be edited or cancelled;
IN_PROGRESS (being packed), ON_HOLD, INCOMPLETE or CLOSED lock the items it still has to
ship. Shopify's are copied in by the sync (`shopify/fulfillment_orders.py`); the embedded
store keeps its own in the same table (the demo has one order being packed). Both stores
read the lock here, show it on each line item (`LineItem.in_fulfilment`) and refuse to
change a locked item.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.domain.orders import FulfillmentOrderStatus


def fulfillment_status(raw: Any) -> FulfillmentOrderStatus:
    try:
        return FulfillmentOrderStatus(str(raw or "").upper())
    except ValueError:  # a status newer than this code: safest is "someone works on it"
        return FulfillmentOrderStatus.IN_PROGRESS


def locked_in(plans: Iterable[models.FulfillmentOrder]) -> frozenset[int]:
    """The line items these fulfillment orders no longer let anyone change."""
    return frozenset(
        int(item)
        for plan in plans
        if not fulfillment_status(plan.status).changeable
        for item in plan.line_item_ids
    )


def locked_by_order(
    session: Session, brand_id: int, order_ids: list[int]
) -> dict[int, frozenset[int]]:
    """Per order, our line items a fulfillment order no longer lets anyone change (read
    fresh: the lock may have come a moment ago)."""
    if not order_ids:
        return {}
    plans = session.scalars(
        select(models.FulfillmentOrder)
        .where(
            models.FulfillmentOrder.brand_id == brand_id,
            models.FulfillmentOrder.order_id.in_(order_ids),
        )
        .execution_options(populate_existing=True)
    ).all()
    return {o: locked_in(p for p in plans if p.order_id == o) for o in order_ids}


def locked_items(session: Session, brand_id: int, order_id: int) -> frozenset[int]:
    """Our line items of this order that a fulfillment order no longer lets anyone change."""
    return locked_by_order(session, brand_id, [order_id])[order_id]
