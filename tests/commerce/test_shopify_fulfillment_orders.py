"""Shopify's fulfillment orders in our copy: synced (paged and bulk), kept current by webhooks
and reconciliation, and deciding what the Hub may still change."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import FakeShopify, fulfillment_order_payload
from deskhand.bench.shopify_fake.shop import FakeOrder
from deskhand.commerce.shopify.sync import BULK_FROM, reconcile
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import make_sessionmaker
from tests.hub.shopping import Shopper, csrf_in, order_row
from tests.shopify_store import move_demo_to_shopify, quick_client

HOOK = "/webhooks/shopify"
EDIT = "/hub/orders/1001/edit"
IN_FULFILMENT = "This item is already being packed, so it can no longer be changed here."


def fake_order(fake: FakeShopify, number: str) -> FakeOrder:
    return next(o for o in fake.shop.orders.values() if o.name == f"#{number}")


def expected(fake: FakeShopify) -> dict[str, tuple[str, set[str]]]:
    """Order number -> (status, titles of the items left to ship), as the fake sees it."""
    found = {}
    for order in fake.shop.orders.values():
        node = fake.shop.fulfillment_order_node(order)
        shipped = {i for f in order.fulfillments for i in f.line_ids}
        left = {
            line.title
            for line in order.lines
            if line.current > 0 and line.id not in shipped and order.cancelled_at is None
        }
        found[order.name.lstrip("#")] = (node["status"], left)
    return found


def ours(db: Session) -> dict[str, tuple[str, set[str]]]:
    db.rollback()
    found = {}
    for order in db.scalars(select(models.Order)):
        plans = order.fulfillment_orders
        assert len(plans) == 1, order.number
        titles = {i.id: i.title for i in order.items}
        found[order.number] = (plans[0].status, {titles[i] for i in plans[0].line_item_ids})
        assert plans[0].location == "Main warehouse"
    return found


@pytest.mark.parametrize("bulk_from", [BULK_FROM, 1], ids=["paged", "bulk"])
def test_the_sync_copies_every_orders_fulfillment_order(
    settings: Settings, demo_db: Engine, fake: FakeShopify, bulk_from: int
) -> None:
    fake_order(fake, "1002").fo_status = "ON_HOLD"  # Shopify-side: held before the sync
    move_demo_to_shopify(settings, fake, bulk_from=bulk_from)
    with Session(demo_db) as db:
        copied = ours(db)
    assert copied == expected(fake)
    assert copied["1001"] == ("OPEN", {"Trail Jacket", "Merino Beanie"})
    statuses = {status for status, _left in copied.values()}
    assert {"OPEN", "CLOSED", "ON_HOLD"} <= statuses  # the demo has shipped orders too


@pytest.fixture
def ava(on_shopify: int, client: TestClient) -> Shopper:
    shopper = Shopper(client)
    shopper.sign_in("ava@example.com")
    return shopper


def beanie(db: Session) -> str:
    return str(next(i.id for i in order_row(db, "1001").items if i.title == "Merino Beanie"))


def test_a_hold_locks_the_items_until_it_is_released(
    ava: Shopper, db: Session, fake: FakeShopify
) -> None:
    order = fake_order(fake, "1001")
    order.fo_status = "ON_HOLD"  # a hold need not change the order's updatedAt
    headers, body = fake.webhook(
        "fulfillment_orders/placed_on_hold", fulfillment_order_payload(order, "on_hold")
    )
    assert ava.client.post(HOOK, content=body, headers=headers).status_code == 200
    assert ours(db)["1001"][0] == "ON_HOLD"
    r = ava.form(EDIT, f"{EDIT}/quantity", {"item": beanie(db), "quantity": "2"})
    assert r.status_code in (409, 422)
    assert IN_FULFILMENT in r.text
    assert next(line for line in order.lines if line.sku == "MB-CHR").current == 1
    db.rollback()
    assert order_row(db, "1001").items[1].quantity == 1
    assert db.scalars(select(models.OrderHistory)).all() == []

    order.fo_status = "OPEN"
    headers, body = fake.webhook(
        "fulfillment_orders/hold_released", fulfillment_order_payload(order, "open")
    )
    assert ava.client.post(HOOK, content=body, headers=headers).status_code == 200
    assert ours(db)["1001"][0] == "OPEN"
    r = ava.form(EDIT, f"{EDIT}/quantity", {"item": beanie(db), "quantity": "2"})
    assert r.status_code == 303, r.text
    assert next(line for line in order.lines if line.sku == "MB-CHR").current == 2


def test_a_cancellation_of_items_being_picked_is_refused(
    ava: Shopper, db: Session, fake: FakeShopify
) -> None:
    page = ava.get("/hub/orders/1001/cancel").text  # opened before the warehouse took it
    terms = page.split('name="terms" value="', 1)[1].split('"', 1)[0]
    order = fake_order(fake, "1001")
    order.fo_status = "IN_PROGRESS"
    fake.shop.touch(order)
    headers, body = fake.webhook(
        "fulfillment_orders/fulfillment_request_accepted",
        fulfillment_order_payload(order, "in_progress"),
    )
    assert ava.client.post(HOOK, content=body, headers=headers).status_code == 200
    fresh = ava.get("/hub/orders/1001/cancel").text  # now: nothing offered
    assert "This order is already being packed, so it can no longer be cancelled." in fresh
    assert 'name="terms"' not in fresh
    r = ava.client.post(
        "/hub/orders/1001/cancel",
        data={"csrf": csrf_in(page), "terms": terms},
        follow_redirects=False,
    )
    assert r.status_code in (409, 422), r.text
    assert IN_FULFILMENT in r.text
    assert order.cancelled_at is None
    assert all(line.current > 0 for line in order.lines)


def test_a_forged_fulfillment_order_webhook_changes_nothing(
    on_shopify: int, client: TestClient, db: Session, fake: FakeShopify
) -> None:
    order = fake_order(fake, "1001")
    order.fo_status = "ON_HOLD"
    headers, body = fake.webhook(
        "fulfillment_orders/placed_on_hold", fulfillment_order_payload(order, "on_hold")
    )
    headers["X-Shopify-Hmac-Sha256"] = "Zm9yZ2Vk"
    assert client.post(HOOK, content=body, headers=headers).status_code == 401
    assert ours(db)["1001"][0] == "OPEN"


def test_reconciliation_catches_a_missed_change_of_a_fulfillment_order(
    settings: Settings, session: Session, fake: FakeShopify
) -> None:
    brand_id = move_demo_to_shopify(settings, fake)
    order = fake_order(fake, "1001")
    order.fo_status = "IN_PROGRESS"  # accepted by the warehouse; the webhook never came
    fake.shop.touch(order)
    sessions = make_sessionmaker(session.get_bind(), settings)  # type: ignore[arg-type]
    reconcile(sessions, brand_id, quick_client(fake))
    assert ours(session)["1001"] == ("IN_PROGRESS", {"Trail Jacket", "Merino Beanie"})
