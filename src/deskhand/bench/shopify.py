"""`deskhand bench shopify`: the initial sync of a large shop against the fake Shopify.

A fake shop with `--orders` orders (one to four items each, a third shipped; a quarter as
many customers) is served on 127.0.0.1 with Shopify's cost-based rate limit (a bucket of
2,000 points refilled at `--restore-rate` points per second, 1,000 points per query at
most). The whole initial sync runs into a fresh SQLite database: orders per second, and
where the time went: working (requests and writing our copy) or waiting for the bucket.
Staying under the throttle means the client waits before the bucket runs dry, so Shopify
answers THROTTLED (almost) never.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from deskhand.bench.report import write_section
from deskhand.bench.shopify_fake import SECRET, TOKEN, FakeShopify, generated_shop
from deskhand.commerce.shopify.client import ShopifyClient
from deskhand.commerce.shopify.connection import connect_shop
from deskhand.commerce.shopify.queries import ORDER_PAGE
from deskhand.commerce.shopify.status import overview
from deskhand.commerce.shopify.sync import initial_sync
from deskhand.config import Settings
from deskhand.db import migrate, models
from deskhand.db.session import make_engine, make_sessionmaker, transaction

TITLE = "Shopify initial sync"


def main(args: argparse.Namespace) -> int:
    orders = int(getattr(args, "orders", 10_000) or 10_000)
    restore = float(getattr(args, "restore_rate", 1000.0) or 1000.0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.data_dir or tmp) / "shopify-bench.db"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        settings = Settings(database_url=url, data_dir=Path(tmp), secret_key="b" * 48)
        engine = make_engine(url)
        migrate.upgrade(engine)
        sessions = make_sessionmaker(engine, settings)
        shop = generated_shop(orders)
        with FakeShopify(shop, maximum=2000.0, restore_rate=restore) as fake:
            with transaction(sessions) as session:
                now = datetime.now(UTC)
                brand = models.Brand(
                    slug="bench", name="Bench", currency="EUR", timezone="UTC",
                    languages=["en"], default_language="en", policy={}, created_at=now,
                    store_kind="shopify",
                )  # fmt: skip
                session.add(brand)
                session.flush()
                connect_shop(
                    session, settings, brand.id, shop=shop.domain, access_token=TOKEN,
                    webhook_secret=SECRET, endpoint=fake.url,
                )  # fmt: skip
                brand_id = brand.id
            client = ShopifyClient(shop.domain, TOKEN, endpoint=fake.url)
            started = time.monotonic()
            initial_sync(sessions, brand_id, client)
            elapsed = time.monotonic() - started
            client.close()
            server_throttled, lowest = fake.bucket.throttled, fake.bucket.lowest
        with transaction(sessions) as session:
            counts = overview(session, brand_id).progress()
        copied = counts["orders"][0]
        engine.dispose()
    meter = client.meter
    working = elapsed - meter.waiting
    figures = [
        ("orders copied", f"{copied:,} of {orders:,}"),
        ("customers, products copied", f"{counts['customers'][0]:,}, {counts['products'][0]:,}"),
        ("wall time", f"{elapsed:.1f} s"),
        ("**orders per second**", f"**{orders / elapsed:,.0f}**"),
        (f"requests (order pages of {ORDER_PAGE})", f"{meter.requests:,}"),
        ("working (requests and writes)", f"{working:.1f} s ({100 * working / elapsed:.0f} %)"),
        ("waiting for the bucket", f"{meter.waiting:.1f} s ({100 * meter.waiting / elapsed:.0f} %)"),  # noqa: E501
        ("THROTTLED answers", f"{meter.throttled} (server counted {server_throttled})"),
        ("lowest bucket level seen", f"{lowest:,.0f} of 2,000 points"),
        ("actual query cost, total", f"{meter.cost:,.0f} points ({meter.cost / orders:.1f}/order)"),
    ]  # fmt: skip
    body = "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d} on this machine: `deskhand bench shopify "
            f"--orders {orders} --restore-rate {restore:g}`. The initial sync (products, "
            "customers, orders with line items, fulfillments and tracking) of a generated "
            "shop from the local fake Shopify (`bench/shopify_fake/`) over HTTP into a fresh "
            f"SQLite database; the fake enforces Shopify's cost limit (bucket 2,000 points, "
            f"restored at {restore:g}/s, 1,000 points per query at most).",
            "",
            "| | |",
            "|---|---|",
            *[f"| {name} | {value} |" for name, value in figures],
            "",
            "Each order page reserves about 850 points (requested cost) but uses a dozen per "
            "order; Shopify refunds the difference. The client reads `throttleStatus` from "
            "every answer and waits, before each request, until the bucket holds that query's "
            "requested cost, so it runs at the restore rate without being throttled.",
        ]
    )
    write_section(Path(args.out), TITLE, body)
    print(body)
    return 0
