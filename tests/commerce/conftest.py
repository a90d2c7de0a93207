"""Fixtures for the Shopify store: a fake Shopify holding the demo's store, and the demo
brand synced from it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import FakeShopify
from deskhand.config import Settings
from tests.shopify_store import demo_as_fake_shopify, move_demo_to_shopify


@pytest.fixture
def fake(settings: Settings, demo_db: Engine) -> Iterator[FakeShopify]:
    with demo_as_fake_shopify(settings) as server:
        yield server


@pytest.fixture
def on_shopify(settings: Settings, fake: FakeShopify) -> int:
    """The demo brand, now on the fake Shopify (synced); answers its id."""
    return move_demo_to_shopify(settings, fake)


@pytest.fixture
def shop_client(on_shopify: int, client: TestClient) -> TestClient:
    return client


@pytest.fixture
def db(client: TestClient, settings: Settings) -> Iterator[Session]:
    """A session to look at what the app wrote (a plain engine, as in tests/hub)."""
    engine = create_engine(settings.resolved_database_url())
    with Session(engine) as session:
        yield session
    engine.dispose()
