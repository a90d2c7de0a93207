"""The initial sync's orders through a bulk operation, for shops where paging does not pay.

Paging costs a request per few orders and waits on the rate limit; a bulk operation runs the
whole query on Shopify's side and hands back one JSONL file (one object per line, a nested
connection's nodes on lines of their own with `__parentId`). Shopify allows at most two
levels of nested connections and none inside a list, so fulfillments and fulfillment orders
come without their line items: an order with one fulfillment ships the items with nothing
left to fulfil, its one unfinished fulfillment order holds the rest, and an order with more
than one of either is read again on its own (exact, and rare).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from deskhand.commerce.shopify import queries
from deskhand.commerce.shopify.client import ShopifyClient, ShopifyError

BULK_ORDERS = """
{
  orders {
    edges {
      node {
        id name createdAt updatedAt cancelledAt currencyCode tags
        customer { id }
        shippingAddress { name address1 city zip countryCodeV2 }
        fulfillments {
          id status displayStatus createdAt deliveredAt estimatedDeliveryAt
          trackingInfo { company number url }
        }
        fulfillmentOrders {
          edges { node { id status updatedAt assignedLocation { name } } }
        }
        lineItems {
          edges {
            node {
              id title variantTitle sku quantity currentQuantity unfulfilledQuantity isGiftCard
              customAttributes { key value }
              originalUnitPriceSet { shopMoney { amount } }
              variant { id inventoryQuantity }
              product { tags }
            }
          }
        }
      }
    }
  }
}
"""

RUN = """
mutation Bulk($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { code field message }
  }
}
"""

POLL = """
query Poll($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount url } }
}
"""

POLL_LIMIT = 3600.0  # seconds a bulk operation may take before the sync gives up (resumable)


def start(client: ShopifyClient) -> str:
    """Start the bulk query of every order; answers the operation's id."""
    payload = client.mutate(RUN, {"query": BULK_ORDERS}, "bulkOperationRunQuery")
    operation = payload.get("bulkOperation") or {}
    if not operation.get("id"):
        raise ShopifyError("Shopify started no bulk operation")
    return str(operation["id"])


def wait(
    client: ShopifyClient,
    operation_id: str,
    sleep: Callable[[float], None] = time.sleep,
    limit: float = POLL_LIMIT,
) -> str:
    """Poll until the operation completes; answers its result's URL."""
    waited, pause = 0.0, 0.1
    while True:
        node = client.execute(POLL, {"id": operation_id}).get("node") or {}
        status = node.get("status")
        if status == "COMPLETED":
            return str(node.get("url") or "")
        if status in ("FAILED", "CANCELED", "CANCELING", "EXPIRED") or not node:
            raise ShopifyError(
                f"the bulk operation {operation_id} ended {status or 'unknown'}"
                f" ({node.get('errorCode') or 'no error code'})"
            )
        if waited > limit:
            raise ShopifyError(f"the bulk operation {operation_id} is still running")
        sleep(pause)
        waited += pause
        pause = min(pause * 2, 5.0)


def orders_in(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    """The JSONL as order nodes shaped like a paged query's (`lineItems.nodes`)."""
    current: dict[str, Any] | None = None
    for raw in lines:
        if not raw.strip():
            continue
        line = json.loads(raw)
        parent = line.pop("__parentId", None)
        if parent is None:
            if current is not None:
                yield current
            current = {**line, "lineItems": {"nodes": []}, "fulfillmentOrders": {"nodes": []}}
        elif current is not None and parent == current["id"]:
            kind = "fulfillmentOrders" if "/FulfillmentOrder/" in line["id"] else "lineItems"
            current[kind]["nodes"].append(line)
    if current is not None:
        yield current


def completed(client: ShopifyClient, order: dict[str, Any]) -> dict[str, Any]:
    """The line items of fulfillments and fulfillment orders, which a bulk query cannot
    nest: one live fulfillment ships what has nothing left to fulfil, and one unfinished
    fulfillment order holds what is left; with more of either, the order is read on its own."""
    live = [
        f
        for f in order.get("fulfillments") or []
        if str(f.get("status", "")).upper() not in ("CANCELLED", "ERROR", "FAILURE")
    ]
    plans = (order.get("fulfillmentOrders") or {}).get("nodes") or []
    unfinished = [p for p in plans if str(p.get("status")) not in ("CLOSED", "CANCELLED")]
    if len(live) > 1 or len(unfinished) > 1:
        found = client.execute(queries.ORDER, {"id": order["id"]}).get("order")
        return dict(found) if found else order
    if live:
        shipped = [
            {"lineItem": {"id": item["id"]}}
            for item in order["lineItems"]["nodes"]
            if int(item.get("unfulfilledQuantity") or 0) == 0
            and int(item.get("currentQuantity") or 0) > 0
        ]
        live[0]["fulfillmentLineItems"] = {"nodes": shipped}
    left = [
        {"remainingQuantity": item.get("unfulfilledQuantity"), "lineItem": {"id": item["id"]}}
        for item in order["lineItems"]["nodes"]
        if int(item.get("unfulfilledQuantity") or 0) > 0
    ]
    for plan in plans:
        plan["lineItems"] = {"nodes": left if plan in unfinished else []}
    return order
