"""Shopify's fulfillment orders copied into ours (what they lock: `commerce/packing.py`).

A fulfillment order is the shop's plan to ship some of an order's items from one location.
Our copy keeps each one's status and the line items it still has to ship; an order's copy
replaces them all with Shopify's current list (they are few, and Shopify merges and splits
them).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from deskhand.commerce.packing import fulfillment_status
from deskhand.db import models


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
                status=fulfillment_status(node.get("status")).value,
                location=str((node.get("assignedLocation") or {}).get("name") or "")[:200],
                line_item_ids=sorted(set(remaining)),
            )
        )
