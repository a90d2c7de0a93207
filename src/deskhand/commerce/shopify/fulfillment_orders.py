"""Shopify's fulfillment orders copied into ours, and what they decide.

A fulfillment order is the shop's plan to ship some of an order's items from one location.
While it is OPEN or SCHEDULED nobody works on it, so its items may still be edited or
cancelled; IN_PROGRESS (being picked), ON_HOLD, INCOMPLETE or CLOSED lock them. Our copy
keeps each one's status and the line items it still has to ship; an order's copy replaces
them all with Shopify's current list (they are few, and Shopify merges and splits them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.domain.orders import FulfillmentOrderStatus


def _status(raw: Any) -> FulfillmentOrderStatus:
    try:
        return FulfillmentOrderStatus(str(raw or "").upper())
    except ValueError:  # a status newer than this code: safest is "someone works on it"
        return FulfillmentOrderStatus.IN_PROGRESS


def replace_fulfillment_orders(
    session: Session,
    brand_id: int,
    order_id: int,
    nodes: list[dict[str, Any]],
    line_item_of: dict[str, int],
    *,
    fresh: bool = False,
) -> None:
    """Our copy of an order's fulfillment orders: `nodes` as Shopify answered them,
    `line_item_of` maps a Shopify line item GID to our line item id (`fresh`: the order is
    new to our copy, so it has none to replace)."""
    if not fresh:
        session.execute(
            delete(models.FulfillmentOrder).where(
                models.FulfillmentOrder.brand_id == brand_id,
                models.FulfillmentOrder.order_id == order_id,
            )
        )
    for node in nodes:
        remaining = [
            line_item_of[gid]
            for part in (node.get("lineItems") or {}).get("nodes") or []
            if int(part.get("remainingQuantity") or 0) > 0
            and (gid := str((part.get("lineItem") or {}).get("id") or "")) in line_item_of
        ]
        session.add(
            models.FulfillmentOrder(
                brand_id=brand_id,
                order_id=order_id,
                status=_status(node.get("status")).value,
                location=str((node.get("assignedLocation") or {}).get("name") or "")[:200],
                line_item_ids=sorted(set(remaining)),
            )
        )


def locked_items(session: Session, brand_id: int, order_id: int) -> set[int]:
    """Our line items of this order that a fulfillment order no longer lets anyone change."""
    rows = session.scalars(
        select(models.FulfillmentOrder).where(
            models.FulfillmentOrder.brand_id == brand_id,
            models.FulfillmentOrder.order_id == order_id,
        )
    )
    return {
        int(item)
        for row in rows
        if not _status(row.status).changeable
        for item in row.line_item_ids
    }
