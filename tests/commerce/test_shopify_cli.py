"""`deskhand shopify connect | test | sync | status` against the fake Shopify."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import SECRET, TOKEN, FakeShopify, generated_shop
from deskhand.cli import main
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.sealed import unseal


@pytest.fixture
def shop() -> Iterator[FakeShopify]:
    with FakeShopify(generated_shop(20, customers=8)) as fake:
        yield fake


@pytest.fixture
def env(settings: Settings, demo_db: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("DESKHAND_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("DESKHAND_SECRET_KEY", settings.secret_key)
    with Session(demo_db) as session:
        session.add(
            models.Brand(slug="north", name="North", currency="EUR", timezone="UTC",
                         languages=["en"], default_language="en", policy={},
                         created_at=datetime.now(UTC))
        )  # fmt: skip
        session.commit()
    return demo_db


def one(engine: Engine, query):  # type: ignore[no-untyped-def]
    """A read in its own short session (SQLite: no transaction left open for the CLI)."""
    with Session(engine) as session:
        return session.scalar(query)


def connect(shop: FakeShopify, *extra: str) -> int:
    return main(["shopify", "connect", "--brand", "north", "--shop", "fjord-finch.myshopify.com",
                 "--token", TOKEN, "--secret", SECRET, "--endpoint", shop.url, *extra])  # fmt: skip


def test_connect_tests_and_seals_then_sync_copies_and_switches_the_brand(
    env: Engine, shop: FakeShopify, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert connect(shop) == 0
    assert "connected fjord-finch.myshopify.com (Fjord & Finch, EUR)" in capsys.readouterr().out
    row = one(env, select(models.Integration))
    assert row is not None
    assert row.config["shop"] == "fjord-finch.myshopify.com"
    assert TOKEN not in row.sealed_secrets
    assert unseal(settings, row.sealed_secrets)["access_token"] == TOKEN
    assert main(["shopify", "test", "--brand", "north"]) == 0
    assert main(["shopify", "sync", "--brand", "north"]) == 0
    captured = capsys.readouterr()
    assert "orders" in captured.err
    assert "[##############################] 20 / 20" in captured.err  # the progress bar
    assert "0 throttled" in captured.out
    brand = one(env, select(models.Brand).where(models.Brand.slug == "north"))
    assert brand is not None
    assert brand.store_kind == "shopify"
    assert main(["shopify", "status", "--brand", "north"]) == 0
    out = capsys.readouterr().out
    assert "latest run: initial, done" in out
    assert "orders: 20 / 20" in out


def test_a_wrong_token_stores_nothing(
    env: Engine, shop: FakeShopify, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["shopify", "connect", "--brand", "north", "--shop", "fjord-finch",
                 "--token", "shpat_wrong", "--secret", SECRET, "--endpoint", shop.url])  # fmt: skip
    assert code == 1
    assert "refused the access token" in capsys.readouterr().err
    assert one(env, select(models.Integration)) is None


def test_a_brand_with_its_own_orders_is_not_mixed_with_a_shop(
    env: Engine, shop: FakeShopify, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["shopify", "connect", "--brand", "demo", "--shop", "fjord-finch",
                 "--token", TOKEN, "--secret", SECRET, "--endpoint", shop.url]) == 0  # fmt: skip
    assert main(["shopify", "sync", "--brand", "demo"]) == 1
    assert "holds orders of its own" in capsys.readouterr().err


def test_the_token_and_secret_can_come_from_the_environment(
    env: Engine, shop: FakeShopify, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPIFY_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("SHOPIFY_CLIENT_SECRET", SECRET)
    code = main(["shopify", "connect", "--brand", "north", "--shop", "fjord-finch",
                 "--endpoint", shop.url])  # fmt: skip
    assert code == 0
    row = one(env, select(models.Integration))
    assert unseal(settings, row.sealed_secrets) == {"access_token": TOKEN, "webhook_secret": SECRET}
