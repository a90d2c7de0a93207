"""Shopify webhooks through the app's route: valid, forged, replayed, out of order, and a
missed one caught by reconciliation; signed by the fake exactly as Shopify signs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import (
    FakeShopify,
    customer_payload,
    fulfillment_payload,
    order_payload,
    shopify_hmac,
)
from deskhand.bench.shopify_fake.shop import FakeFulfillment, FakeOrder
from deskhand.commerce.shopify.webhooks import signature_valid
from deskhand.db.models import Customer, WebhookReceipt
from tests.hub.shopping import order_row

HOOK = "/webhooks/shopify"


def fake_order(fake: FakeShopify, number: str) -> FakeOrder:
    return next(o for o in fake.shop.orders.values() if o.name == f"#{number}")


def ship(fake: FakeShopify, order: FakeOrder, number: str = "JJD0001") -> FakeFulfillment:
    """Shopify-side: the warehouse ships the whole order."""
    fulfillment = FakeFulfillment(
        fake.shop.new_id(), datetime.now(UTC), "DHL", number, "https://dhl.example/t",
        [line.id for line in order.lines],
    )  # fmt: skip
    order.fulfillments.append(fulfillment)
    fake.shop.touch(order)
    return fulfillment


def deliver(client: TestClient, fake: FakeShopify, topic: str, payload: dict, **kw: str):  # type: ignore[no-untyped-def,type-arg]
    headers, body = fake.webhook(topic, payload, **kw)
    return client.post(HOOK, content=body, headers=headers)


def test_the_signature_is_base64_hmac_sha256_of_the_raw_body(fake: FakeShopify) -> None:
    headers, body = fake.webhook("orders/updated", {"id": 1})
    assert signature_valid(fake.secret, body, headers["X-Shopify-Hmac-Sha256"])
    assert not signature_valid(fake.secret, body + b" ", headers["X-Shopify-Hmac-Sha256"])
    assert not signature_valid("another-secret", body, headers["X-Shopify-Hmac-Sha256"])


def test_a_fulfilment_webhook_brings_tracking_into_our_copy(
    shop_client: TestClient, db: Session, fake: FakeShopify
) -> None:
    order = fake_order(fake, "1001")
    fulfillment = ship(fake, order)
    r = deliver(shop_client, fake, "fulfillments/create", fulfillment_payload(order, fulfillment))
    assert (r.status_code, r.json()) == (200, {"outcome": "applied"})
    row = order_row(db, "1001")
    assert [s.tracking_number for s in row.shipments] == ["JJD0001"]
    assert {i.status for i in row.items} == {"shipped"}


@pytest.mark.parametrize(
    "tamper",
    ["body", "signature", "secret", "shop"],
)
def test_a_forged_delivery_is_refused_and_changes_nothing(
    shop_client: TestClient, db: Session, fake: FakeShopify, tamper: str
) -> None:
    order = fake_order(fake, "1001")
    order.cancelled_at = datetime.now(UTC)
    fake.shop.touch(order)
    headers, body = fake.webhook("orders/cancelled", order_payload(fake.shop, order))
    if tamper == "body":
        body = body.replace(b'"#1001"', b'"#1002"')
    elif tamper == "signature":
        headers["X-Shopify-Hmac-Sha256"] = "AAAA" + headers["X-Shopify-Hmac-Sha256"][4:]
    elif tamper == "secret":
        fake.secret = "not-the-app-secret-at-all-0000"
        headers, body = fake.webhook("orders/cancelled", order_payload(fake.shop, order))
    else:
        headers["X-Shopify-Shop-Domain"] = "someone-else.myshopify.com"
    r = shop_client.post(HOOK, content=body, headers=headers)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert order_row(db, "1001").cancelled_at is None
    db.rollback()
    assert db.scalars(select(WebhookReceipt)).all() == []


def test_a_replayed_delivery_is_acknowledged_once_and_applied_once(
    shop_client: TestClient, db: Session, fake: FakeShopify
) -> None:
    order = fake_order(fake, "1001")
    order.cancelled_at = datetime.now(UTC)
    fake.shop.touch(order)
    payload = order_payload(fake.shop, order)
    first = deliver(shop_client, fake, "orders/cancelled", payload, webhook_id="wh-1")
    fake.requests.clear()
    again = deliver(shop_client, fake, "orders/cancelled", payload, webhook_id="wh-1")
    assert first.json() == {"outcome": "applied"}
    assert (again.status_code, again.json()) == (200, {"outcome": "duplicate"})
    assert fake.requests == []  # nothing read again
    assert order_row(db, "1001").cancelled_at is not None
    db.rollback()
    assert len(db.scalars(select(WebhookReceipt)).all()) == 1


def test_an_older_delivery_after_a_newer_one_is_stale(
    shop_client: TestClient, db: Session, fake: FakeShopify
) -> None:
    order = fake_order(fake, "1001")
    order.tags = ["gift"]
    fake.shop.touch(order)
    older = order_payload(fake.shop, order)  # updated_at t1: tags gift
    order.tags = ["gift", "vip"]
    order.updated_at = order.updated_at + timedelta(seconds=5)
    newer = order_payload(fake.shop, order)  # updated_at t2
    assert deliver(shop_client, fake, "orders/updated", newer).json() == {"outcome": "applied"}
    fake.requests.clear()
    late = deliver(shop_client, fake, "orders/updated", older)
    assert (late.status_code, late.json()) == (200, {"outcome": "stale"})
    assert fake.requests == []
    assert order_row(db, "1001").tags == ["gift", "vip"]


def test_a_customer_update_and_a_new_order_of_a_new_customer_arrive_by_webhook(
    shop_client: TestClient, db: Session, fake: FakeShopify
) -> None:
    ben = next(c for c in fake.shop.customers.values() if c.email == "ben@example.com")
    ben.phone, ben.updated_at = "+4915199999999", datetime.now(UTC)
    r = deliver(shop_client, fake, "customers/update", customer_payload(ben))
    assert r.json() == {"outcome": "applied"}
    # An order of someone our copy has never seen: the customer is fetched with it.
    template = fake_order(fake, "1001")
    new_customer = type(ben)(fake.shop.new_id(), "eve@example.com", None, "Eve", "Berg",
                             datetime.now(UTC), datetime.now(UTC))  # fmt: skip
    fake.shop.customers[new_customer.id] = new_customer
    order = FakeOrder(fake.shop.new_id(), "#1051", new_customer.id, datetime.now(UTC),
                      datetime.now(UTC), "EUR", [], template.shipping)  # fmt: skip
    fake.shop.orders[order.id] = order
    r = deliver(shop_client, fake, "orders/create", order_payload(fake.shop, order))
    assert r.json() == {"outcome": "applied"}
    assert order_row(db, "1051").customer_id is not None
    db.rollback()
    assert db.scalar(select(Customer.phone).where(Customer.email == "ben@example.com")) == (
        "+4915199999999"
    )


def test_a_topic_we_do_not_copy_is_acknowledged_and_ignored(
    shop_client: TestClient, fake: FakeShopify
) -> None:
    r = deliver(shop_client, fake, "products/update", {"id": 1, "updated_at": None})
    assert (r.status_code, r.json()) == (200, {"outcome": "ignored"})


def test_a_malformed_delivery_is_a_clear_400(shop_client: TestClient, fake: FakeShopify) -> None:
    headers, _ = fake.webhook("orders/updated", {})
    body = b"not json"
    headers["X-Shopify-Hmac-Sha256"] = shopify_hmac(fake.secret, body)  # signed, but not JSON
    r = shop_client.post(HOOK, content=body, headers=headers)
    assert r.status_code == 400
    assert "not JSON" in r.json()["detail"]
