"""The demo brand moved onto a (fake) Shopify: its store's rows replaced by a synced copy.

The fake Shopify holds the demo's customers, catalogue and orders (same times, relative to
now); the demo brand's embedded rows are removed, the brand is connected to the fake, synced
from it, and switched to the Shopify store. What the agent and the Hub then read is what the
sync copied, and every change goes to the fake.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import delete

from deskhand.bench.shopify_fake import SECRET, TOKEN, FakeShopify, demo_shop
from deskhand.commerce.shopify.client import ShopifyClient
from deskhand.commerce.shopify.connection import client_for, connect_shop
from deskhand.commerce.shopify.sync import initial_sync
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import make_engine, make_sessionmaker, transaction

COMMERCE = (
    models.OrderHistory,
    models.LineItem,
    models.Shipment,
    models.Order,
    models.Variant,
    models.Product,
    models.Customer,
)


def quick_client(fake: FakeShopify) -> ShopifyClient:
    """A client on the fake that does not sleep between retries."""
    return ShopifyClient("fjord-finch.myshopify.com", TOKEN, endpoint=fake.url, backoff=0.0)


def move_demo_to_shopify(settings: Settings, fake: FakeShopify) -> int:
    """Replace the demo brand's store by a copy synced from `fake`; answers the brand id."""
    engine = make_engine(settings.resolved_database_url())
    sessions = make_sessionmaker(engine, settings)
    try:
        with transaction(sessions) as session:
            brand = find_brand(session)
            assert brand is not None
            for model in COMMERCE:
                session.execute(delete(model).where(model.brand_id == brand.id))
            connect_shop(
                session,
                settings,
                brand.id,
                shop=fake.shop.domain,
                access_token=TOKEN,
                webhook_secret=SECRET,
                endpoint=fake.url,
            )
            brand.store_kind = "shopify"
            brand_id = brand.id
        with transaction(sessions) as session:
            client = client_for(session, brand_id)
        initial_sync(sessions, brand_id, client)
        client.close()
    finally:
        engine.dispose()
    return brand_id


@contextmanager
def demo_on_fake_shopify() -> Iterator[FakeShopify]:
    with FakeShopify(demo_shop(datetime.now(UTC))) as fake:
        yield fake
