"""The Store port says which items the warehouse is already packing (or holds), on the
embedded store (its own fulfillment orders: the demo has one order being packed) and on the
Shopify store (its synced copy, against the local fake Shopify), and both refuse to change
them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import FakeShopify
from deskhand.commerce.registry import store_for
from deskhand.commerce.shopify.adapter import ShopifyStore
from deskhand.commerce.shopify.sync import reconcile
from deskhand.commerce.store import Store, StoreRefused
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import make_sessionmaker
from deskhand.domain.orders import FulfillmentOrderStatus, Order
from tests.shopify_store import quick_client


def brand_store(session: Session) -> Store:
    brand = find_brand(session)
    assert brand is not None
    return store_for(session, brand)


def order(store: Store, email: str, number: str) -> Order:
    customer = store.customer_by_email(email)
    assert customer is not None
    found = store.order_of(customer.id, number)
    assert found is not None
    return found


def packing(found: Order) -> set[str]:
    return {i.title for i in found.in_fulfilment_items}


def plan(session: Session, number: str, status: str, titles: set[str]) -> None:
    """A fulfillment order of the embedded store for these items of the order."""
    row = session.scalar(select(models.Order).where(models.Order.number == number))
    assert row is not None
    row.fulfillment_orders.append(
        models.FulfillmentOrder(
            brand_id=row.brand_id,
            status=status,
            location="Warehouse",
            line_item_ids=[i.id for i in row.items if i.title in titles],
        )
    )
    session.flush()


# -- the embedded store ------------------------------------------------------------------


def test_the_demo_has_one_order_being_packed_and_no_other(session: Session) -> None:
    store = brand_store(session)
    being_packed = order(store, "finn@example.com", "1012")
    assert packing(being_packed) == {"Fleece Pullover", "Rain Hat"}
    assert all(i.in_fulfilment for i in being_packed.items)
    listed = {o.number: packing(o) for o in store.orders_of(being_packed.customer_id)}
    assert listed["1012"] == {"Fleece Pullover", "Rain Hat"}  # orders_of says it too
    for email in ("ava@example.com", "ben@example.com", "chloe@example.com"):
        customer = store.customer_by_email(email)
        assert customer is not None
        others = [o for o in store.orders_of(customer.id) if o.number != "1012"]
        assert others
        assert all(packing(o) == set() for o in others)


@pytest.mark.parametrize(
    ("status", "locked"),
    [
        (FulfillmentOrderStatus.OPEN, False),
        (FulfillmentOrderStatus.SCHEDULED, False),
        (FulfillmentOrderStatus.IN_PROGRESS, True),
        (FulfillmentOrderStatus.ON_HOLD, True),
        (FulfillmentOrderStatus.INCOMPLETE, True),
    ],
)
def test_only_a_plan_someone_works_on_locks_its_items(
    session: Session, status: FulfillmentOrderStatus, locked: bool
) -> None:
    plan(session, "1001", status.value, {"Trail Jacket"})
    found = order(brand_store(session), "ava@example.com", "1001")
    assert packing(found) == ({"Trail Jacket"} if locked else set())
    assert next(i for i in found.items if i.title == "Merino Beanie").in_fulfilment is False


def test_the_embedded_store_refuses_to_change_an_item_being_packed(session: Session) -> None:
    plan(session, "1001", "IN_PROGRESS", {"Trail Jacket"})
    store = brand_store(session)
    before = order(store, "ava@example.com", "1001")
    jacket = next(i for i in before.items if i.title == "Trail Jacket")
    beanie = next(i for i in before.items if i.title == "Merino Beanie")
    assert jacket.variant_id is not None
    other = next(
        v
        for v in store.variants_of(store.variant(jacket.variant_id).product_id)  # type: ignore[union-attr]
        if v.id != jacket.variant_id and v.stock > 0
    )
    stock_before = store.variant(other.id).stock  # type: ignore[union-attr]
    attempts: list[Callable[[], None]] = [
        lambda: store.swap_variant(before.id, jacket.id, other.id),
        lambda: store.change_quantity(before.id, jacket.id, 2),
        lambda: store.cancel(before.id, [jacket.id, beanie.id], datetime.now(UTC)),
    ]
    for attempt in attempts:
        with pytest.raises(StoreRefused) as refused:
            attempt()
        assert refused.value.reason == "in_fulfilment"
    assert order(store, "ava@example.com", "1001") == before  # nothing changed
    assert store.variant(other.id).stock == stock_before  # type: ignore[union-attr]
    store.cancel(before.id, [beanie.id], datetime.now(UTC))  # the free item still goes
    after = order(store, "ava@example.com", "1001")
    assert [i.status.value for i in after.items] == ["unfulfilled", "cancelled"]
    assert after.cancelled_at is None


# -- the Shopify store, on the fake Shopify ------------------------------------------------


def test_the_shopify_store_reads_the_lock_from_shopifys_fulfillment_orders(
    on_shopify: int, settings: Settings, demo_db: Engine, fake: FakeShopify
) -> None:
    sessions = make_sessionmaker(demo_db, settings)
    with sessions() as session:
        store = brand_store(session)
        assert isinstance(store, ShopifyStore)
        assert packing(order(store, "finn@example.com", "1012")) == {"Fleece Pullover", "Rain Hat"}
        assert packing(order(store, "ava@example.com", "1001")) == set()
    held = next(o for o in fake.shop.orders.values() if o.name == "#1001")
    held.fo_status = "ON_HOLD"  # Shopify-side; reconciliation copies it
    fake.shop.touch(held)
    reconcile(sessions, on_shopify, quick_client(fake))
    with sessions() as session:
        store = brand_store(session)
        found = order(store, "ava@example.com", "1001")
        assert packing(found) == {"Trail Jacket", "Merino Beanie"}
        beanie = next(i for i in found.items if i.title == "Merino Beanie")
        fake.requests.clear()
        with pytest.raises(StoreRefused) as refused:
            store.change_quantity(found.id, beanie.id, 2)
        assert refused.value.reason == "in_fulfilment"
        assert not [r for r in fake.requests if "orderEdit" in r["query"]]  # never asked
    assert next(line for line in held.lines if line.sku == "MB-CHR").current == 1
