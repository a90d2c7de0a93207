"""`deskhand bench shopify`: the initial sync of a large shop against the fake Shopify.

A generated shop (one to four items per order, a third shipped; a quarter as many customers
as orders) is served on 127.0.0.1 with Shopify's cost-based rate limit: a bucket of 2,000
points refilled at `--restore-rate` points per second (100: Shopify's Standard plan), 1,000
points per query at most. The initial sync runs into a fresh SQLite database twice: the
orders through one bulk operation (how Deskhand copies a shop from 2,500 orders on), and
through cursor pages (how it copies a small shop, and how reconciliation reads). Reported:
orders per second, and where the time went: working (requests, downloads and writing our
copy) or waiting for the bucket. Staying under the throttle means the client waits before
the bucket runs dry, so Shopify (almost) never answers THROTTLED.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from graphql import parse

from deskhand.bench.report import write_section
from deskhand.bench.shopify_fake import SECRET, TOKEN, FakeShopify, generated_shop
from deskhand.bench.shopify_fake.schema import requested_cost
from deskhand.commerce.shopify.client import Meter, ShopifyClient
from deskhand.commerce.shopify.connection import connect_shop
from deskhand.commerce.shopify.queries import ORDER_PAGE, ORDERS
from deskhand.commerce.shopify.status import overview
from deskhand.commerce.shopify.sync import initial_sync
from deskhand.config import Settings
from deskhand.db import migrate, models
from deskhand.db.session import make_engine, make_sessionmaker, transaction

TITLE = "Shopify initial sync"
BUCKET = 2000.0


@dataclass(frozen=True)
class Run:
    how: str
    orders: int
    copied: int
    elapsed: float
    meter: Meter
    server_throttled: int
    lowest: float


def sync_once(tmp: Path, orders: int, restore: float, bulk: bool) -> Run:
    path = tmp / f"shopify-{'bulk' if bulk else 'pages'}.db"
    url = f"sqlite:///{path}"
    settings = Settings(database_url=url, data_dir=tmp, secret_key="b" * 48)
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine, settings)
    shop = generated_shop(orders)
    with FakeShopify(shop, maximum=BUCKET, restore_rate=restore) as fake:
        with transaction(sessions) as session:
            brand = models.Brand(
                slug="bench", name="Bench", currency="EUR", timezone="UTC", languages=["en"],
                default_language="en", policy={}, created_at=datetime.now(UTC),
                store_kind="shopify",
            )  # fmt: skip
            session.add(brand)
            session.flush()
            connect_shop(session, settings, brand.id, shop=shop.domain, access_token=TOKEN,
                         webhook_secret=SECRET, endpoint=fake.url)  # fmt: skip
            brand_id = brand.id
        client = ShopifyClient(shop.domain, TOKEN, endpoint=fake.url)
        started = time.monotonic()
        initial_sync(sessions, brand_id, client, bulk_from=1 if bulk else orders + 1)
        elapsed = time.monotonic() - started
        client.close()
        throttled, lowest = fake.bucket.throttled, fake.bucket.lowest
    with transaction(sessions) as session:
        copied = overview(session, brand_id).progress()["orders"][0]
    engine.dispose()
    how = "one bulk operation" if bulk else f"cursor pages of {ORDER_PAGE}"
    return Run(how, orders, copied, elapsed, client.meter, throttled, lowest)


def _share(part: float, whole: float) -> str:
    return f"{part:.1f} s ({100 * part / whole:.0f} %)"


def main(args: argparse.Namespace) -> int:
    orders = int(getattr(args, "orders", 10_000) or 10_000)
    paged = int(getattr(args, "paged_orders", 1_000) or 1_000)
    restore = float(getattr(args, "restore_rate", 100.0) or 100.0)
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(args.data_dir or tmp)
        runs = [sync_once(where, orders, restore, bulk=True)]
        runs.append(sync_once(where, paged, restore, bulk=False))
    rows = {
        "orders in the shop": [f"{r.orders:,}" for r in runs],
        "orders copied": [f"{r.copied:,}" for r in runs],
        "wall time": [f"{r.elapsed:.1f} s" for r in runs],
        "**orders per second**": [f"**{r.orders / r.elapsed:,.0f}**" for r in runs],
        "requests": [f"{r.meter.requests:,}" for r in runs],
        "working (requests, download, writes)": [
            _share(r.elapsed - r.meter.waiting, r.elapsed) for r in runs
        ],
        "waiting for the bucket": [_share(r.meter.waiting, r.elapsed) for r in runs],
        "THROTTLED answers (server's count)": [
            f"{r.meter.throttled} ({r.server_throttled})" for r in runs
        ],
        "lowest bucket level": [f"{r.lowest:,.0f} of {BUCKET:,.0f}" for r in runs],
        "actual query cost": [
            f"{r.meter.cost:,.0f} points ({r.meter.cost / r.orders:.1f}/order)" for r in runs
        ],
    }
    body = "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d} on this machine: `deskhand bench shopify "
            f"--orders {orders} --paged-orders {paged} --restore-rate {restore:g}`. The "
            "initial sync (products, customers, orders with line items, fulfillment orders, "
            "fulfillments and tracking) of a generated shop from the local fake Shopify "
            "(`bench/shopify_fake/`) "
            "over HTTP into a fresh SQLite database. The fake enforces Shopify's cost limit: "
            f"bucket {BUCKET:,.0f} points restored at {restore:g}/s (the Standard plan's rate), "
            "1,000 points per query at most.",
            "",
            "| | " + " | ".join(r.how for r in runs) + " |",
            "|---|" + "---|" * len(runs),
            *[f"| {name} | " + " | ".join(values) + " |" for name, values in rows.items()],
            "",
            "Paging is bound by the rate limit: a page of orders reserves about "
            f"{requested_cost(parse(ORDERS), {'first': ORDER_PAGE}):,} points and "
            f"uses {runs[1].meter.cost / runs[1].orders:.0f} per order (Shopify refunds the rest), "
            "so at the Standard restore rate "
            "the client spends most of its time waiting for the bucket; it waits before the "
            "bucket runs dry (reading `throttleStatus` from every answer), so it is not "
            "throttled. A bulk operation costs a few requests whatever the shop's size: its "
            "time is the download and writing our copy. That is why the initial sync of a shop "
            "with 2,500 orders or more copies the orders through a bulk operation.",
        ]
    )
    write_section(Path(args.out), TITLE, body)
    print(body)
    return 0
