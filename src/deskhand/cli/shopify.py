"""`deskhand shopify connect | test | sync | reconcile | status`: a brand's Shopify shop.

`connect` stores the shop domain, the Admin API access token and the app's client secret
(sealed) after a test query; `sync` copies the shop (resuming an interrupted sync) with a
progress bar, then switches the brand to the Shopify store; `reconcile` re-reads what
changed; `status` shows the connection and the latest run.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time

from sqlalchemy.orm import Session, sessionmaker

from deskhand.cli.common import settings_from
from deskhand.commerce.shopify.client import ShopifyError
from deskhand.commerce.shopify.connection import (
    NotConnected,
    check_connection,
    client_for,
    connect_shop,
)
from deskhand.commerce.shopify.status import overview, unlinked_orders, use_shopify
from deskhand.commerce.shopify.sync import initial_sync, reconcile
from deskhand.config import Settings
from deskhand.db import migrate
from deskhand.db.brands import find_brand
from deskhand.db.session import make_engine, make_sessionmaker, transaction

BAR = 30


class Progress:
    """One line per phase, redrawn in place: `orders    [#####.....]  1,234 / 10,000`."""

    def __init__(self) -> None:
        self.phase = ""
        self.started = time.monotonic()

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase != self.phase:
            if self.phase:
                print(file=sys.stderr)
            self.phase, self.started = phase, time.monotonic()
        filled = BAR if not total else min(BAR, BAR * done // max(total, 1))
        of = f" / {total:,}" if total is not None else ""
        rate = done / max(time.monotonic() - self.started, 1e-6)
        line = f"\r{phase:<10} [{'#' * filled}{'.' * (BAR - filled)}] {done:,}{of}  {rate:,.0f}/s"
        print(line, end="", file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.phase:
            print(file=sys.stderr)


def _sessions(settings: Settings) -> sessionmaker[Session]:
    engine = make_engine(settings.resolved_database_url())
    migrate.upgrade(engine)
    return make_sessionmaker(engine, settings)


def _brand_id(session: Session, slug: str | None) -> int:
    brand = find_brand(session, slug)
    if brand is None:
        raise SystemExit(f"error: no brand {slug!r}" if slug else "error: no brand yet")
    return brand.id


def _secret(given: str | None, variable: str, prompt: str) -> str:
    """A flag, else an environment variable, else asked without echo (not in the history)."""
    return given or os.environ.get(variable, "") or getpass.getpass(f"{prompt}: ")


def connect(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=False)
    token = _secret(args.token, "SHOPIFY_ACCESS_TOKEN", "Admin API access token")
    secret = _secret(args.secret, "SHOPIFY_CLIENT_SECRET", "The app's client secret")
    sessions = _sessions(settings)
    try:
        with transaction(sessions) as session:
            brand_id = _brand_id(session, args.brand)
            row = connect_shop(
                session, settings, brand_id, shop=args.shop, access_token=token,
                webhook_secret=secret, endpoint=args.endpoint,
            )  # fmt: skip
            shop = check_connection(client_for(session, brand_id, settings))
            if shop.domain and shop.domain != row.config["shop"]:
                raise ShopifyError(f"the token belongs to {shop.domain}, not {row.config['shop']}")
    except (ValueError, ShopifyError) as exc:  # nothing was stored: the transaction rolled back
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"connected {shop.domain} ({shop.name}, {shop.currency}); next: deskhand shopify sync")
    return 0


def test(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=False)
    with transaction(_sessions(settings)) as session:
        try:
            shop = check_connection(client_for(session, _brand_id(session, args.brand), settings))
        except (NotConnected, ShopifyError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(f"ok: {shop.domain} ({shop.name}, {shop.currency})")
    return 0


def sync(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=False)
    sessions = _sessions(settings)
    with transaction(sessions) as session:
        brand_id = _brand_id(session, args.brand)
        if unlinked_orders(session, brand_id):
            print(
                "error: this brand holds orders of its own (the embedded store); "
                "connect Shopify to a brand of its own",
                file=sys.stderr,
            )
            return 1
        try:
            client = client_for(session, brand_id, settings)
        except NotConnected as exc:
            print(f"error: {exc}; run deskhand shopify connect first", file=sys.stderr)
            return 1
    progress = Progress()
    started = time.monotonic()
    try:
        run = reconcile if args.command_name == "reconcile" else initial_sync
        run(sessions, brand_id, client, progress)
    except ShopifyError as exc:
        progress.end()
        print(f"error: {exc}; run the same command again to resume", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        progress.end()
        print("interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    finally:
        client.close()
    progress.end()
    with transaction(sessions) as session:
        use_shopify(session, brand_id)
    meter = client.meter
    print(
        f"done in {time.monotonic() - started:.1f}s: {meter.requests} requests, "
        f"{meter.waiting:.1f}s waiting for Shopify's rate limit, {meter.throttled} throttled"
    )
    return 0


def status(args: argparse.Namespace) -> int:
    settings = settings_from(args, demo=False)
    with transaction(_sessions(settings)) as session:
        view = overview(session, _brand_id(session, args.brand))
    if not view.connected:
        print("not connected")
        return 1
    print(f"shop: {view.shop} (API {view.api_version})")
    print(f"store in use: {'yes' if view.store_active else 'no (run deskhand shopify sync)'}")
    print(f"connected: {view.connected_at:%Y-%m-%d %H:%M} UTC" if view.connected_at else "")
    if view.last_synced_at:
        print(f"last synced: {view.last_synced_at:%Y-%m-%d %H:%M} UTC")
    if view.last_error:
        print(f"last error: {view.last_error}")
    if view.run:
        print(f"latest run: {view.run.mode}, {view.run.status}")
        for name, (done, total) in view.progress().items():
            print(f"  {name}: {done:,}" + (f" / {total:,}" if total is not None else ""))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("shopify", help="connect and sync a Shopify shop")
    commands = p.add_subparsers(dest="command_name", required=True)

    def command(name: str, help_text: str, run: object) -> argparse.ArgumentParser:
        c = commands.add_parser(name, help=help_text)
        c.add_argument("--brand", default=None, help="brand slug (default: the only brand)")
        c.add_argument("--data-dir", default=None)
        c.set_defaults(run=run)
        return c

    c = command("connect", "store and test the shop's credentials", connect)
    c.add_argument("--shop", required=True, help="your-shop.myshopify.com")
    c.add_argument("--token", help="Admin API access token (else $SHOPIFY_ACCESS_TOKEN or asked)")
    c.add_argument(
        "--secret", help="the app's client secret (else $SHOPIFY_CLIENT_SECRET or asked)"
    )
    c.add_argument("--endpoint", default=None, help=argparse.SUPPRESS)  # a local test server
    command("test", "ask Shopify for the shop with the stored credentials", test)
    command("sync", "copy the shop (resumes an interrupted sync)", sync)
    command("reconcile", "re-read what changed since the last sync", sync)
    command("status", "the connection and the latest sync", status)
