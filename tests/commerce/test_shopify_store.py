"""The Shopify store behind the port: shoppers our copy does not know yet are found with
Shopify's customer search; the worker's reconciliation chore."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import FakeShopify
from deskhand.bench.shopify_fake.shop import FakeCustomer, FakeLine, FakeOrder
from deskhand.commerce.registry import store_for
from deskhand.commerce.shopify.sync import reconcile_due, sync_status
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import make_sessionmaker
from tests.conftest import Chat, block
from tests.shopify_store import quick_client


def new_shopper(fake: FakeShopify) -> FakeCustomer:
    """Shopify-side: a new customer with one order; no webhook reaches us."""
    now = datetime.now(UTC)
    eve = FakeCustomer(fake.shop.new_id(), "eve@example.com", "+46701112233", "Eve", "Berg",
                       now, now)  # fmt: skip
    fake.shop.customers[eve.id] = eve
    variant = next(v for v in fake.shop.variants.values() if v.sku == "MB-CHR")
    line = FakeLine(fake.shop.new_id(), variant.id, "Merino Beanie", "Charcoal", "MB-CHR", 1, 1,
                    3500)  # fmt: skip
    template = next(iter(fake.shop.orders.values()))
    order = FakeOrder(fake.shop.new_id(), "#1051", eve.id, now - timedelta(minutes=5), now,
                      "EUR", [line], template.shipping)  # fmt: skip
    fake.shop.orders[order.id] = order
    return eve


def test_a_shopper_the_copy_does_not_know_is_found_by_shopify_customer_search(
    on_shopify: int, settings: Settings, demo_db: Engine, fake: FakeShopify
) -> None:
    new_shopper(fake)
    # A session as the app's: it carries the settings that open the sealed credentials.
    with make_sessionmaker(demo_db, settings)() as session:
        brand = find_brand(session)
        assert brand is not None
        store = store_for(session, brand)
        assert store.customer_by_email("nobody@example.com") is None
        fake.requests.clear()
        eve = store.customer_by_email("Eve@Example.com")
        assert eve is not None
        assert (eve.first_name, eve.email) == ("Eve", "eve@example.com")
        asked = [r["variables"].get("query") for r in fake.requests if "Customers" in r["query"]]
        assert asked == ["email:eve@example.com"]
        assert [o.number for o in store.orders_of(eve.id)] == ["1051"]
        fake.requests.clear()
        assert store.customer_by_phone("+46 70 111 22 33") == eve  # now from our copy
        assert fake.requests == []


def test_a_new_shopper_signs_in_and_tracks_an_order_before_any_webhook(
    shop_client: TestClient, fake: FakeShopify
) -> None:
    new_shopper(fake)
    chat = Chat(shop_client, locale="en")
    chat.send(text="where is my order 1051?")
    chat.verify("eve@example.com")
    reply = chat.last["messages"][0]
    assert reply["meta"]["outcome"] == "answered"
    assert block(reply, "order_card")["order"]["number"] == "1051"


def test_the_worker_reconciles_when_due_and_not_before(
    on_shopify: int, settings: Settings, demo_db: Engine, session: Session, fake: FakeShopify
) -> None:
    sessions = make_sessionmaker(demo_db, settings)
    now = datetime.now(UTC)
    assert reconcile_due(sessions, settings, now, timedelta(minutes=15)) == 0  # just synced
    new_shopper(fake)
    with sessions() as s:
        for webhook_id, age in (("old", timedelta(days=8)), ("recent", timedelta(days=1))):
            receipt = models.WebhookReceipt(
                brand_id=on_shopify, source="shopify", webhook_id=webhook_id,
                topic="orders/updated", outcome="applied", received_at=now - age,
            )  # fmt: skip
            s.add(receipt)
        s.commit()
    later = now + timedelta(minutes=16)
    assert (
        reconcile_due(sessions, settings, later, timedelta(minutes=15), quick_client_of(fake)) == 1
    )
    status = sync_status(session, on_shopify)
    assert status is not None
    assert (status.mode, status.status) == ("reconcile", "done")
    session.rollback()
    copied = session.scalar(select(models.Order).where(models.Order.number == "1051"))
    assert copied is not None  # in our copy without any lookup
    kept = session.scalars(select(models.WebhookReceipt.webhook_id)).all()
    assert kept == ["recent"]  # a week-old delivery id is forgotten


def quick_client_of(fake: FakeShopify):  # type: ignore[no-untyped-def]
    return lambda _row: quick_client(fake)
