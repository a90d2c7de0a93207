"""The initial sync and the reconciliation, against the fake Shopify holding the demo store,
on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import FakeShopify
from deskhand.bench.shopify_fake.shop import FakeCustomer, FakeFulfillment, FakeLine, FakeOrder
from deskhand.commerce.registry import store_for
from deskhand.commerce.shopify import sync
from deskhand.commerce.shopify.adapter import ShopifyStore
from deskhand.commerce.shopify.client import ShopifyUnavailable
from deskhand.commerce.shopify.queries import ORDER_PAGE
from deskhand.commerce.shopify.sync import BULK_FROM, initial_sync, reconcile, sync_status
from deskhand.commerce.store import Store
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import make_sessionmaker
from tests.shopify_store import move_demo_to_shopify, quick_client

EMAILS = [
    "ava@example.com",
    "ben@example.com",
    "chloe@example.com",
    "dan@example.com",
    "finn@example.com",
]


def _times_close(a: Any, b: Any) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return abs(a - b) < timedelta(seconds=30)
    return bool(a == b)


def view(store: Store) -> dict[str, Any]:
    """Everything the agent and the Hub can read about the demo's shoppers, without ids."""
    out: dict[str, Any] = {}
    for email in EMAILS:
        customer = store.customer_by_email(email)
        assert customer is not None, email
        assert store.customer_by_phone(customer.phone or "") == customer
        for order in store.orders_of(customer.id):
            data = asdict(order)
            for key in ("id", "customer_id"):
                data.pop(key)
            for item in data["items"]:
                variant = store.variant(item.pop("variant_id"))
                item["sku"] = variant.sku if variant else None
                item["choices"] = (
                    [(v.title, v.stock, v.price) for v in store.variants_of(variant.product_id)]
                    if variant
                    else []
                )
                item["shipment"] = item.pop("shipment_id") is not None
                item.pop("id")
            for shipment in data["shipments"]:
                shipment.pop("id")
            data["status"] = order.status
            out[f"{email} {order.number}"] = data
    return out


def same(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"]
        return [d for k in a for d in same(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)}"]
        return [
            d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in same(x, y, f"{path}[{i}]")
        ]
    return [] if _times_close(a, b) else [f"{path}: {a!r} != {b!r}"]


@pytest.mark.parametrize("how", ["pages", "bulk"])
def test_the_synced_copy_reads_exactly_like_the_embedded_store(
    settings: Settings, session: Session, fake: FakeShopify, how: str
) -> None:
    brand = find_brand(session)
    assert brand is not None
    embedded = view(store_for(session, brand))
    session.rollback()
    move_demo_to_shopify(settings, fake, bulk_from=1 if how == "bulk" else BULK_FROM)
    bulk_runs = len(fake.shop.bulk)
    assert bulk_runs == (1 if how == "bulk" else 0)
    session.expire_all()
    brand = find_brand(session)
    assert brand is not None
    assert brand.store_kind == "shopify"
    store = store_for(session, brand)
    assert isinstance(store, ShopifyStore)
    synced = view(store)
    assert same(embedded, synced) == []
    status = sync_status(session, brand.id)
    assert status is not None
    assert status.status == "done"
    assert status.counts == {
        "products": 10,
        "customers": 5,
        "orders": 12,
        "products_total": 10,
        "customers_total": 5,
        "orders_total": 12,
    }


def test_an_interrupted_sync_resumes_where_it_stopped(
    settings: Settings, demo_db: Engine, fake: FakeShopify
) -> None:
    brand_id = move_demo_to_shopify(settings, fake)  # connected; now sync afresh elsewhere
    sessions = make_sessionmaker(demo_db, settings)
    with sessions() as s:
        for model in (models.LineItem, models.FulfillmentOrder, models.Shipment, models.Order):
            s.execute(model.__table__.delete())
        s.execute(models.SyncRun.__table__.delete())
        s.execute(
            models.ExternalLink.__table__.delete().where(
                models.ExternalLink.kind.in_(["order", "line_item", "shipment"])
            )
        )
        s.commit()

    def break_midway(phase: str, done: int, _total: int | None) -> None:
        if phase == "orders" and done == 2 * ORDER_PAGE:
            fake.fail_next(50)

    fake.requests.clear()
    with pytest.raises(ShopifyUnavailable):
        initial_sync(sessions, brand_id, quick_client(fake), break_midway)
    with sessions() as s:
        status = sync_status(s, brand_id)
        assert status is not None
        assert (status.status, status.phase, status.counts["orders"]) == (
            "failed",
            "orders",
            2 * ORDER_PAGE,
        )
        assert "HTTP 503" in status.error
        assert s.scalar(select(func.count()).select_from(models.Order)) == 2 * ORDER_PAGE
        cursor = s.scalar(select(models.SyncRun.cursor))
        integration = s.scalar(select(models.Integration))
        assert integration is not None
        assert "503" in integration.last_error
    fake.heal()
    fake.requests.clear()
    initial_sync(sessions, brand_id, quick_client(fake))
    orders_asked = [r["variables"] for r in fake.requests if "query Orders" in r["query"]]
    assert orders_asked[0]["after"] == cursor  # not from the start
    assert not any("query Products" in r["query"] for r in fake.requests)
    with sessions() as s:
        status = sync_status(s, brand_id)
        assert status is not None
        assert status.status == "done"
        assert status.counts["orders"] == 12
        numbers = s.scalars(select(models.Order.number).order_by(models.Order.number)).all()
        assert numbers == [str(n) for n in range(1001, 1013)]
        assert s.scalar(select(func.count()).select_from(models.SyncRun)) == 1


def test_reconciliation_catches_changes_whose_webhooks_never_came(
    settings: Settings, session: Session, fake: FakeShopify
) -> None:
    brand_id = move_demo_to_shopify(settings, fake)
    order = next(o for o in fake.shop.orders.values() if o.name == "#1001")
    order.fulfillments.append(
        FakeFulfillment(
            fake.shop.new_id(),
            datetime.now(UTC),
            "DHL",
            "JJD0001",
            "https://dhl.example/1",
            [line.id for line in order.lines],
        )
    )
    fake.shop.touch(order)
    customer = next(c for c in fake.shop.customers.values() if c.email == "ben@example.com")
    customer.first_name, customer.updated_at = "Benjamin", datetime.now(UTC)
    sessions = make_sessionmaker(session.get_bind(), settings)  # type: ignore[arg-type]
    fake.requests.clear()
    reconcile(sessions, brand_id, quick_client(fake))
    asked = [r["variables"]["query"] for r in fake.requests if "query Orders" in r["query"]]
    assert asked
    assert asked[0].startswith("updated_at:>")  # only what changed
    session.expire_all()
    store = store_for(session, find_brand(session))  # type: ignore[arg-type]
    ava = store.customer_by_email("ava@example.com")
    assert ava is not None
    copied = store.order_of(ava.id, "1001")
    assert copied is not None
    assert copied.status == "fulfilled"
    assert copied.shipments[0].tracking_number == "JJD0001"
    ben = store.customer_by_email("ben@example.com")
    assert ben is not None
    assert ben.first_name == "Benjamin"
    status = sync_status(session, brand_id)
    assert status is not None
    assert (status.mode, status.status) == ("reconcile", "done")


def test_an_interrupted_bulk_copy_resumes_without_a_second_bulk_operation(
    settings: Settings, demo_db: Engine, fake: FakeShopify, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand_id = move_demo_to_shopify(settings, fake)
    sessions = make_sessionmaker(demo_db, settings)
    with sessions() as s:
        for model in (
            models.LineItem,
            models.FulfillmentOrder,
            models.Shipment,
            models.Order,
            models.SyncRun,
        ):
            s.execute(model.__table__.delete())
        s.execute(
            models.ExternalLink.__table__.delete().where(
                models.ExternalLink.kind.in_(["order", "line_item", "shipment"])
            )
        )
        s.commit()
    monkeypatch.setattr(sync, "BULK_BATCH", 4)

    def power_cut(phase: str, done: int, _total: int | None) -> None:
        if phase == "orders" and done == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        initial_sync(sessions, brand_id, quick_client(fake), power_cut, bulk_from=1)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(models.Order)) == 4
        assert s.scalar(select(models.SyncRun.cursor)).endswith(":4")
    initial_sync(sessions, brand_id, quick_client(fake), bulk_from=1)
    assert len(fake.shop.bulk) == 1  # the same operation's result, read again from order 5
    with sessions() as s:
        numbers = s.scalars(select(models.Order.number).order_by(models.Order.number)).all()
        assert numbers == [str(n) for n in range(1001, 1013)]
        status = sync_status(s, brand_id)
        assert status is not None
        assert (status.status, status.counts["orders"]) == ("done", 12)


def test_bulk_orders_with_two_fulfillments_are_read_again_exactly(
    settings: Settings, session: Session, fake: FakeShopify
) -> None:
    order = next(o for o in fake.shop.orders.values() if o.name == "#1010")
    first = order.fulfillments[0]
    hat = first.line_ids.pop()  # the second item ships in a parcel of its own
    order.fulfillments.append(
        FakeFulfillment(fake.shop.new_id(), first.created_at, "PostNL", "3SPARCEL2",
                        "https://postnl.example/2", [hat], delivered_at=first.delivered_at)
    )  # fmt: skip
    fake.requests.clear()
    move_demo_to_shopify(settings, fake, bulk_from=1)
    reread = [r["variables"]["id"] for r in fake.requests if "query Order(" in r["query"]]
    assert reread == [f"gid://shopify/Order/{order.id}"]  # only the order with two parcels
    session.expire_all()
    brand = find_brand(session)
    assert brand is not None
    store = store_for(session, brand)
    chloe = store.customer_by_email("chloe@example.com")
    assert chloe is not None
    copied = store.order_of(chloe.id, "1010")
    assert copied is not None
    parcels = {s.tracking_number: s.id for s in copied.shipments}
    assert len(parcels) == 2
    by_item = {i.title: i.shipment_id for i in copied.items}
    assert by_item["Rain Hat"] == parcels["3SPARCEL2"]
    assert by_item["Fleece Pullover"] != parcels["3SPARCEL2"]


def test_an_order_whose_customer_the_copy_lacks_brings_them_along(
    settings: Settings, session: Session, fake: FakeShopify
) -> None:
    """The customer is read before the page's write transaction, never inside it."""
    brand_id = move_demo_to_shopify(settings, fake)
    shop = fake.shop
    long_ago = datetime.now(UTC) - timedelta(days=30)  # outside the catch-up's window
    customer = FakeCustomer(
        shop.new_id(), "zoe@example.com", None, "Zoe", "Lind", long_ago, long_ago
    )
    shop.customers[customer.id] = customer
    variant = next(iter(shop.variants.values()))
    line = FakeLine(
        shop.new_id(), variant.id, "Trail Jacket", variant.title, variant.sku, 1, 1, 100
    )
    now = datetime.now(UTC)
    order = FakeOrder(shop.new_id(), "#2001", customer.id, now, now, "EUR", [line], {})
    shop.orders[order.id] = order
    sessions = make_sessionmaker(session.get_bind(), settings)  # type: ignore[arg-type]
    fake.requests.clear()
    reconcile(sessions, brand_id, quick_client(fake))
    asked = [r["query"] for r in fake.requests]
    assert any("query Customer(" in q for q in asked)
    session.expire_all()  # our copy itself (not the store, which would search Shopify)
    copied = session.scalar(select(models.Order).where(models.Order.number == "2001"))
    assert copied is not None
    assert copied.customer_id == session.scalar(
        select(models.Customer.id).where(models.Customer.email == "zoe@example.com")
    )
    assert [i.title for i in copied.items] == ["Trail Jacket"]
