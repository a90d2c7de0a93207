"""The integrations page's Shopify sync in a real Chromium: "Sync now", then the progress
changes on the page by itself (the page's script polls) when the worker has run it."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import expect

from deskhand.bench.shopify_fake import FakeShopify
from deskhand.commerce.shopify.scheduling import run_requested
from deskhand.config import Settings
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.team.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD
from deskhand.web.app import create_app
from tests.conftest import SECRET, DemoSnapshot, free_port
from tests.shopify_store import demo_as_fake_shopify, move_demo_to_shopify


@pytest.fixture
def live_shop(
    tmp_path: Path, sqlite_template: Path, sqlite_demo: DemoSnapshot
) -> Iterator[tuple[str, Settings, FakeShopify]]:
    """The demo app on a free port, its brand synced from a fake Shopify."""
    db = tmp_path / "live.db"
    shutil.copy(sqlite_template, db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(
        database_url=f"sqlite:///{db}", data_dir=tmp_path, demo=True, secret_key=SECRET,
        base_url=base,
    )  # fmt: skip
    engine = make_engine(settings.resolved_database_url())
    sqlite_demo.restore(engine, datetime.now(UTC))
    engine.dispose()
    with demo_as_fake_shopify(settings) as fake:
        move_demo_to_shopify(settings, fake)
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "the live server did not start"
            assert thread.is_alive(), "the live server stopped"
            time.sleep(0.05)
        yield base, settings, fake
        server.should_exit = True
        thread.join(timeout=10)


def test_sync_now_and_the_progress_updates_without_a_reload(
    live_shop: tuple[str, Settings, FakeShopify], page: Any
) -> None:
    base, settings, fake = live_shop
    page.goto(f"{base}/admin/integrations")
    page.get_by_label("Email").fill(DEMO_OWNER_EMAIL)
    page.get_by_label("Password").fill(DEMO_OWNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/integrations")
    state = page.locator("#shopify-sync-state")
    assert state.inner_text().strip() == "Up to date."
    assert page.locator("#shopify-orders").inner_text().strip() == "12 / 12"
    page.get_by_role("button", name="Sync now").click()
    page.wait_for_url("**/admin/integrations?done=shopify_sync*")
    assert state.inner_text().strip() == "Waiting for the worker to start the sync."
    order = next(o for o in fake.shop.orders.values() if o.name == "#1001")
    fake.shop.touch(order)  # one order changed in Shopify since the initial sync
    engine = make_engine(settings.resolved_database_url())
    try:
        assert run_requested(make_sessionmaker(engine, settings), settings) == 1
    finally:
        engine.dispose()
    # No reload: the page's script sees the finished catch-up.
    expect(state).to_have_text("Up to date.", timeout=20_000)
    expect(page.locator("#shopify-orders")).to_have_text("1")
    assert page.url.endswith("done=shopify_sync#shopify")  # still the same page
