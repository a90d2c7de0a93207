"""The demo brand moved onto a (fake) Shopify: its store's rows replaced by a synced copy.

The fake Shopify is filled from the demo brand's own rows (customers, catalogue, orders,
shipments, at exactly the times the test's demo holds), as Shopify would hold them: flags
as line item attributes, shipments as fulfillments, cancelled items as removed quantities.
Then the brand's embedded rows are removed, the brand is connected to the fake, synced from
it, and switched to the Shopify store: what the agent and the Hub read is what the sync
copied, and every change goes to the fake.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import SECRET, TOKEN, FakeShop, FakeShopify
from deskhand.bench.shopify_fake.shop import (
    FakeCustomer,
    FakeFulfillment,
    FakeLine,
    FakeOrder,
    FakeProduct,
    FakeVariant,
)
from deskhand.commerce.shopify.client import ShopifyClient
from deskhand.commerce.shopify.connection import client_for, connect_shop
from deskhand.commerce.shopify.sync import BULK_FROM, initial_sync
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import make_engine, make_sessionmaker, transaction

COMMERCE = (
    models.OrderHistory,
    models.LineItem,
    models.FulfillmentOrder,
    models.Shipment,
    models.Order,
    models.Variant,
    models.Product,
    models.HubHandoff,
    models.HubSession,
    models.Customer,
)
_FLAGS = {"personalised": "personalised", "preorder": "preorder", "final_sale": "final-sale"}


def quick_client(fake: FakeShopify) -> ShopifyClient:
    """A client on the fake that does not sleep between retries."""
    return ShopifyClient("fjord-finch.myshopify.com", TOKEN, endpoint=fake.url, backoff=0.0)


def _address(raw: dict[str, str]) -> dict[str, str]:
    first, _, last = raw["name"].partition(" ")
    return {
        "name": raw["name"], "firstName": first, "lastName": last, "address1": raw["line1"],
        "city": raw["city"], "zip": raw["postcode"], "countryCodeV2": raw["country"],
    }  # fmt: skip


def fake_shop_of(session: Session, brand_id: int) -> FakeShop:
    """The brand's embedded store, as a Shopify shop holds it."""
    shop = FakeShop()
    now = datetime.now(UTC)
    variants: dict[int, int] = {}
    for product in session.scalars(
        select(models.Product).where(models.Product.brand_id == brand_id)
    ):
        fake_product = FakeProduct(shop.new_id(), product.title, product.handle, [], now)
        shop.products[fake_product.id] = fake_product
        for v in product.variants:
            options = {k: x for k, x in (("Size", v.size), ("Color", v.colour)) if x}
            fake = FakeVariant(shop.new_id(), fake_product.id, v.title, v.sku, v.price, v.stock,
                               v.position, options)  # fmt: skip
            shop.variants[fake.id] = fake
            variants[v.id] = fake.id
    customers: dict[int, int] = {}
    for c in session.scalars(select(models.Customer).where(models.Customer.brand_id == brand_id)):
        fake_customer = FakeCustomer(shop.new_id(), c.email, c.phone, c.first_name, c.last_name,
                                     c.created_at, c.created_at)  # fmt: skip
        shop.customers[fake_customer.id] = fake_customer
        customers[c.id] = fake_customer.id
    orders = session.scalars(select(models.Order).where(models.Order.brand_id == brand_id))
    for o in orders:
        lines: dict[int, FakeLine] = {}
        for i in o.items:
            removed = i.status == "cancelled" and o.cancelled_at is None
            lines[i.id] = FakeLine(
                shop.new_id(), variants.get(i.variant_id or 0), i.title, i.variant, i.sku,
                i.quantity, 0 if removed else i.quantity, i.unit_price, gift_card=i.gift_card,
                attributes={tag: "yes" for flag, tag in _FLAGS.items() if getattr(i, flag)},
            )  # fmt: skip
        fulfillments = [
            FakeFulfillment(
                shop.new_id(),
                s.shipped_at,
                s.carrier,
                s.tracking_number,
                s.tracking_url,
                [lines[i.id].id for i in o.items if i.shipment_id == s.id],
                delivered_at=s.delivered_at if s.status == "delivered" else None,
                eta=datetime.combine(s.eta, datetime.min.time(), UTC) if s.eta else None,
            )  # fmt: skip
            for s in o.shipments
        ]
        order = FakeOrder(shop.new_id(), f"#{o.number}", customers[o.customer_id], o.placed_at,
                          o.placed_at, o.currency, list(lines.values()),
                          _address(o.shipping_address), list(o.tags), fulfillments,
                          o.cancelled_at)  # fmt: skip
        # The fake keeps one fulfillment order per order: the demo's order being packed has
        # one for all its items, which Shopify would hold the same way.
        statuses = {plan.status for plan in o.fulfillment_orders}
        assert len(statuses) <= 1, o.number
        if statuses:
            order.fo_status = statuses.pop()
        shop.orders[order.id] = order
    return shop


def demo_as_fake_shopify(settings: Settings) -> FakeShopify:
    """A fake Shopify (not started) holding the demo brand's store."""
    engine = make_engine(settings.resolved_database_url())
    try:
        with Session(engine) as session:
            brand = find_brand(session)
            assert brand is not None
            return FakeShopify(fake_shop_of(session, brand.id))
    finally:
        engine.dispose()


def move_demo_to_shopify(settings: Settings, fake: FakeShopify, bulk_from: int = BULK_FROM) -> int:
    """Replace the demo brand's store by a copy synced from `fake`; answers the brand id.

    Conversations and codes that named a shopper keep their rows but lose the link (the
    shopper's row is replaced by the synced one).
    """
    engine = make_engine(settings.resolved_database_url())
    sessions = make_sessionmaker(engine, settings)
    try:
        with transaction(sessions) as session:
            brand = find_brand(session)
            assert brand is not None
            for linked in (models.Conversation, models.VerificationCode):
                session.execute(
                    update(linked).where(linked.brand_id == brand.id).values(customer_id=None)
                )
            for model in COMMERCE:
                session.execute(delete(model).where(model.brand_id == brand.id))
            connect_shop(session, settings, brand.id, shop=fake.shop.domain, access_token=TOKEN,
                         webhook_secret=SECRET, endpoint=fake.url)  # fmt: skip
            brand.store_kind = "shopify"
            brand_id = brand.id
        with transaction(sessions) as session:
            client = client_for(session, brand_id)
        initial_sync(sessions, brand_id, client, bulk_from=bulk_from)
        client.close()
    finally:
        engine.dispose()
    return brand_id
