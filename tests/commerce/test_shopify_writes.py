"""Changes made in the Hub on a Shopify brand go to Shopify; our copy takes Shopify's answer.

The Hub is driven through its forms exactly as on the embedded store (tests/hub); the
assertions look at the fake Shopify's data and at our synced copy.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import FakeShopify
from deskhand.bench.shopify_fake.shop import FakeOrder
from deskhand.db.models import OrderHistory, Variant
from tests.hub.shopping import Shopper, csrf_in, order_row

EDIT = "/hub/orders/1001/edit"


@pytest.fixture
def ava(on_shopify: int, client: TestClient) -> Shopper:
    shopper = Shopper(client)
    shopper.sign_in("ava@example.com")
    return shopper


def fake_order(fake: FakeShopify, number: str) -> FakeOrder:
    return next(o for o in fake.shop.orders.values() if o.name == f"#{number}")


def fake_stock(fake: FakeShopify, sku: str) -> int:
    return next(v.stock for v in fake.shop.variants.values() if v.sku == sku)


def our_stock(db: Session, sku: str) -> int:
    db.rollback()
    return int(db.scalar(select(Variant.stock).where(Variant.sku == sku)) or 0)


def item_id(db: Session, number: str, title: str) -> str:
    return str(next(i.id for i in order_row(db, number).items if i.title == title))


def test_a_size_swap_is_an_order_edit_on_shopify_and_our_copy_follows(
    ava: Shopper, db: Session, fake: FakeShopify
) -> None:
    jacket = item_id(db, "1001", "Trail Jacket")
    olive = str(db.scalar(select(Variant.id).where(Variant.sku == "TJ-L-OLV")))
    navy_before, olive_before = fake_stock(fake, "TJ-M-NVY"), fake_stock(fake, "TJ-L-OLV")
    r = ava.form(EDIT, f"{EDIT}/variant", {"item": jacket, "variant": olive})
    assert r.status_code == 303, r.text
    lines = {(line.sku, line.current) for line in fake_order(fake, "1001").lines}
    assert ("TJ-M-NVY", 0) in lines
    assert ("TJ-L-OLV", 1) in lines  # removed, and added
    assert (fake_stock(fake, "TJ-M-NVY"), fake_stock(fake, "TJ-L-OLV")) == (
        navy_before + 1,
        olive_before - 1,
    )
    order = order_row(db, "1001")
    swapped = next(i for i in order.items if str(i.id) == jacket)  # the same item, changed
    assert (swapped.variant, swapped.sku, swapped.status) == (
        "L / Olive",
        "TJ-L-OLV",
        "unfulfilled",
    )
    assert [i.title for i in order.items] == ["Trail Jacket", "Merino Beanie"]
    assert (our_stock(db, "TJ-M-NVY"), our_stock(db, "TJ-L-OLV")) == (
        navy_before + 1,
        olive_before - 1,
    )
    assert "Trail Jacket: M / Navy changed to L / Olive." in ava.get("/hub/orders/1001").text


def test_a_quantity_change_goes_through_an_order_edit(
    ava: Shopper, db: Session, fake: FakeShopify
) -> None:
    r = ava.form(
        EDIT, f"{EDIT}/quantity", {"item": item_id(db, "1001", "Merino Beanie"), "quantity": "3"}
    )
    assert r.status_code == 303, r.text
    beanie = next(line for line in fake_order(fake, "1001").lines if line.sku == "MB-CHR")
    assert beanie.current == 3
    assert order_row(db, "1001").items[1].quantity == 3
    assert our_stock(db, "MB-CHR") == fake_stock(fake, "MB-CHR")


def test_the_address_goes_through_order_update(
    ava: Shopper, db: Session, fake: FakeShopify
) -> None:
    address = {"name": "Ava Jansen", "line1": "Prinsengracht 263", "city": "Amsterdam",
               "postcode": "1016gv", "country": "NL"}  # fmt: skip
    r = ava.form(EDIT, f"{EDIT}/address", address)
    assert r.status_code == 303, r.text
    shipping = fake_order(fake, "1001").shipping
    assert (shipping["address1"], shipping["zip"], shipping["countryCodeV2"]) == (
        "Prinsengracht 263",
        "1016 GV",
        "NL",
    )
    assert order_row(db, "1001").shipping_address == {
        "name": "Ava Jansen", "line1": "Prinsengracht 263", "city": "Amsterdam",
        "postcode": "1016 GV", "country": "NL",
    }  # fmt: skip


def confirm_cancel(shopper: Shopper, number: str) -> int:
    page = shopper.get(f"/hub/orders/{number}/cancel").text
    terms = page.split('name="terms" value="', 1)[1].split('"', 1)[0]
    r = shopper.client.post(
        f"/hub/orders/{number}/cancel",
        data={"csrf": csrf_in(page), "terms": terms},
        follow_redirects=False,
    )
    return r.status_code


def test_a_whole_cancellation_is_order_cancel_with_refund_and_restock(
    ava: Shopper, db: Session, fake: FakeShopify
) -> None:
    beanie_before = fake_stock(fake, "MB-CHR")
    assert confirm_cancel(ava, "1001") == 303
    assert fake_order(fake, "1001").cancelled_at is not None
    assert fake_order(fake, "1001").refunded  # free within the window: refunded in full
    assert "refund due 224.00 EUR" in fake_order(fake, "1001").notes[-1]
    assert fake_stock(fake, "MB-CHR") == beanie_before + 1
    order = order_row(db, "1001")
    assert order.cancelled_at is not None
    assert {i.status for i in order.items} == {"cancelled"}
    assert "Order #1001 is cancelled." in ava.get("/hub/orders/1001").text


def test_a_cancellation_with_a_fee_leaves_the_refund_due_to_the_staff_note(
    on_shopify: int, client: TestClient, db: Session, fake: FakeShopify
) -> None:
    ben = Shopper(client)
    ben.sign_in("ben@example.com")
    assert confirm_cancel(ben, "1004") == 303
    shopify = fake_order(fake, "1004")
    assert shopify.cancelled_at is not None
    assert not shopify.refunded  # orderCancel refunds all or nothing; the fee is kept
    assert "Cancellation fee 5.00 EUR; refund due 203.00 EUR." in shopify.notes[-1]
    assert order_row(db, "1004").cancelled_at is not None


def test_a_partial_cancellation_removes_only_the_unshipped_items(
    ava: Shopper, db: Session, fake: FakeShopify
) -> None:
    assert confirm_cancel(ava, "1002") == 303
    shopify = fake_order(fake, "1002")
    assert shopify.cancelled_at is None
    assert [(line.sku, line.current) for line in shopify.lines] == [
        ("TJ-L-OLV", 1),
        ("WS-3942-GRY", 0),
    ]
    assert "refund due 38.00 EUR" in shopify.notes[-1]
    order = order_row(db, "1002")
    assert order.cancelled_at is None
    assert [i.status for i in order.items] == ["shipped", "cancelled"]


@pytest.mark.parametrize("how", ["user_errors", "outage"])
def test_a_change_shopify_refuses_says_so_and_changes_nothing(
    ava: Shopper, db: Session, fake: FakeShopify, how: str
) -> None:
    if how == "user_errors":
        fake.shop.refuse_writes = "Order cannot be edited right now"
    page = ava.get(EDIT).text
    if how == "outage":
        fake.fail_next(1, status=500)
    r = ava.client.post(
        f"{EDIT}/quantity",
        data={"csrf": csrf_in(page), "item": item_id(db, "1001", "Merino Beanie"), "quantity": "2"},
        follow_redirects=False,
    )
    assert r.status_code in (409, 422)
    assert "The shop did not accept this change, so nothing was changed." in r.text
    assert order_row(db, "1001").items[1].quantity == 1
    assert (
        next(line for line in fake_order(fake, "1001").lines if line.sku == "MB-CHR").current == 1
    )
    db.rollback()
    assert db.scalars(select(OrderHistory)).all() == []
