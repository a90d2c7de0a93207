"""Shopify's webhooks: verified, applied once, never letting an older copy win.

1. The shop (`X-Shopify-Shop-Domain`) names the brand's connection; the body's
   HMAC-SHA256 under the app's secret, base64, must equal `X-Shopify-Hmac-Sha256`
   (constant-time, on the raw bytes, before anything is parsed).
2. `X-Shopify-Webhook-Id` is kept: a replay or a retry of the same delivery is acknowledged
   and ignored.
3. A delivery whose `updated_at` is not newer than our copy is stale (it arrived out of
   order) and changes nothing. Otherwise the record is read again from Shopify and copied:
   the copy is always Shopify's current state, never a patch from a payload. A fulfillment
   order's delivery (`fulfillment_orders/placed_on_hold`, …) has no `updated_at`, and a
   hold need not touch the order's: its order is read back and copied regardless.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.commerce.shopify import queries
from deskhand.commerce.shopify.client import ShopifyClient
from deskhand.commerce.shopify.connection import client_of, webhook_secret_of
from deskhand.commerce.shopify.ingest import SOURCE, Links, parse_time, upsert_customer
from deskhand.commerce.shopify.sync import copy_order
from deskhand.config import Settings
from deskhand.db import models
from deskhand.domain.vocabulary import IntegrationKind

ORDER_TOPICS = frozenset(
    {"orders/create", "orders/updated", "orders/edited", "orders/cancelled", "orders/fulfilled"}
)
FULFILLMENT_TOPICS = frozenset({"fulfillments/create", "fulfillments/update"})
CUSTOMER_TOPICS = frozenset({"customers/create", "customers/update"})
# {"fulfillment_order": {"id": gid, "status": …}}: no order id and no updated_at in the body.
FULFILLMENT_ORDER_TOPICS = frozenset(
    {
        "fulfillment_orders/placed_on_hold",
        "fulfillment_orders/hold_released",
        "fulfillment_orders/cancelled",
        "fulfillment_orders/moved",
        "fulfillment_orders/split",
        "fulfillment_orders/merged",
        "fulfillment_orders/rescheduled",
        "fulfillment_orders/scheduled_fulfillment_order_ready",
        "fulfillment_orders/fulfillment_request_accepted",
        "fulfillment_orders/order_routing_complete",
    }
)
TOPICS = ORDER_TOPICS | FULFILLMENT_TOPICS | CUSTOMER_TOPICS | FULFILLMENT_ORDER_TOPICS


class Outcome(StrEnum):
    APPLIED = "applied"
    STALE = "stale"  # older than our copy: arrived out of order
    DUPLICATE = "duplicate"  # this webhook id was applied before
    IGNORED = "ignored"  # a topic we do not copy


class WebhookRejected(Exception):
    """Not a delivery from the connected shop: `status` is the HTTP answer (400 or 401)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Delivery:
    topic: str
    shop: str
    webhook_id: str
    payload: dict[str, Any]


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_valid(secret: str, body: bytes, given: str | None) -> bool:
    if not secret or not given:
        return False
    return hmac.compare_digest(signature(secret, body), given.strip())


def _header(headers: Mapping[str, str], name: str) -> str:
    return (headers.get(name) or headers.get(name.lower()) or "").strip()


def _connection(session: Session, shop: str) -> models.Integration | None:
    rows = session.scalars(
        select(models.Integration).where(models.Integration.kind == IntegrationKind.SHOPIFY.value)
    )
    return next((r for r in rows if str(r.config.get("shop", "")).lower() == shop.lower()), None)


def verify(
    session: Session, settings: Settings, headers: Mapping[str, str], body: bytes
) -> tuple[models.Integration, Delivery]:
    """The connection and the delivery, or WebhookRejected."""
    shop = _header(headers, "X-Shopify-Shop-Domain")
    row = _connection(session, shop) if shop else None
    if row is None:
        raise WebhookRejected(401, "no connected shop with this domain")
    if not signature_valid(
        webhook_secret_of(settings, row), body, _header(headers, "X-Shopify-Hmac-Sha256")
    ):
        raise WebhookRejected(401, "the HMAC signature does not match the body")
    topic, webhook_id = (
        _header(headers, "X-Shopify-Topic"),
        _header(headers, "X-Shopify-Webhook-Id"),
    )
    if not topic or not webhook_id:
        raise WebhookRejected(400, "X-Shopify-Topic and X-Shopify-Webhook-Id are required")
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookRejected(400, "the body is not JSON") from None
    if not isinstance(payload, dict):
        raise WebhookRejected(400, "the body is not a JSON object")
    return row, Delivery(topic, shop, webhook_id[:128], payload)


def _gid(kind: str, payload: dict[str, Any], key: str = "id") -> str | None:
    if key == "id" and isinstance(payload.get("admin_graphql_api_id"), str):
        return str(payload["admin_graphql_api_id"])
    value = payload.get(key)
    return f"gid://shopify/{kind}/{value}" if value not in (None, "") else None


def _apply(links: Links, client: ShopifyClient, delivery: Delivery) -> Outcome:
    payload, topic = delivery.payload, delivery.topic
    updated_at = parse_time(payload.get("updated_at"))
    if topic in CUSTOMER_TOPICS:
        gid = _gid("Customer", payload)
        if gid is None or links.newer_than("customer", gid, updated_at):
            return Outcome.STALE
        node = client.execute(queries.CUSTOMER, {"id": gid}).get("customer")
        if node:
            upsert_customer(links, node)
        return Outcome.APPLIED
    if topic in FULFILLMENT_ORDER_TOPICS:  # read its order back through it: always current
        plan = payload.get("fulfillment_order") or {}
        plan_gid = plan.get("id") if isinstance(plan, dict) else None
        if not isinstance(plan_gid, str) or not plan_gid:
            raise WebhookRejected(400, "the payload names no fulfillment order")
        found = client.execute(queries.FULFILLMENT_ORDER, {"id": plan_gid}).get("fulfillmentOrder")
        if found and found.get("order"):
            copy_order(links, client, found["order"], force=True)
        return Outcome.APPLIED
    if topic in ORDER_TOPICS:
        if topic == "orders/edited":  # {"order_edit": {"order_id": …}}: no updated_at
            gid = _gid("Order", payload.get("order_edit") or {}, "order_id")
            updated_at = None
        else:
            gid = _gid("Order", payload)
    elif topic in FULFILLMENT_TOPICS:
        gid, updated_at = _gid("Order", payload, "order_id"), None
    else:
        return Outcome.IGNORED
    if gid is None:
        raise WebhookRejected(400, "the payload names no order")
    if links.newer_than("order", gid, updated_at):
        return Outcome.STALE
    node = client.execute(queries.ORDER, {"id": gid}).get("order")
    if node:
        copy_order(links, client, node)
    return Outcome.APPLIED


def receive(
    session: Session,
    settings: Settings,
    headers: Mapping[str, str],
    body: bytes,
    client_factory: Callable[[models.Integration], ShopifyClient] | None = None,
) -> Outcome:
    """Verify one delivery and apply it once (in the caller's transaction)."""
    row, delivery = verify(session, settings, headers, body)
    seen = session.scalar(
        select(models.WebhookReceipt.id).where(
            models.WebhookReceipt.source == SOURCE,
            models.WebhookReceipt.webhook_id == delivery.webhook_id,
        )
    )
    if seen is not None:
        return Outcome.DUPLICATE
    client = client_factory(row) if client_factory else client_of(settings, row)
    outcome = _apply(Links(session, row.brand_id), client, delivery)
    session.add(
        models.WebhookReceipt(
            brand_id=row.brand_id,
            source=SOURCE,
            webhook_id=delivery.webhook_id,
            topic=delivery.topic[:64],
            outcome=outcome.value,
            received_at=datetime.now(UTC),
        )
    )
    session.flush()
    return outcome
