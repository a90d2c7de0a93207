"""Installing Deskhand as a public Shopify app from the console: the authorization code grant
against the fake Shopify (state, the callback's HMAC, the shop's shape, the code exchange)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import TOKEN, FakeShopify
from deskhand.bench.shopify_fake.oauth import CLIENT_ID, query_hmac
from deskhand.commerce.shopify.connection import (
    check_connection,
    client_of,
    webhook_secret_of,
)
from deskhand.config import Settings
from deskhand.db import models
from deskhand.web.app import create_app
from tests.console.team_members import Member

SHOP = "fjord-finch.myshopify.com"
INSTALL = "/admin/shopify/install"


@pytest.fixture
def app_settings(settings: Settings, fake: FakeShopify) -> Settings:
    return settings.model_copy(
        update={
            "shopify_client_id": CLIENT_ID,
            "shopify_client_secret": fake.secret,
            "shopify_test_endpoint": fake.url,
            "allow_private_urls": True,
        }
    )


@pytest.fixture
def owner(app_settings: Settings, demo_db: Engine) -> Iterator[Member]:
    with TestClient(create_app(app_settings)) as c:
        member = Member(c)
        assert member.sign_in().status_code == 303
        yield member


def start(owner: Member, fake: FakeShopify, shop: str = SHOP) -> tuple[str, dict[str, str]]:
    """Press "Install": answers the redirect URI and what the authorize URL carried."""
    r = owner.client.get(INSTALL, params={"shop": shop}, follow_redirects=False)
    assert r.status_code == 303, r.text
    where = urlsplit(r.headers["location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == f"{fake.url}/admin/oauth/authorize"
    asked = {k: v[0] for k, v in parse_qs(where.query).items()}
    return asked["redirect_uri"], asked


def follow(owner: Member, callback: str) -> object:
    parts = urlsplit(callback)
    return owner.client.get(f"{parts.path}?{parts.query}", follow_redirects=False)


def shopify_row(db: Session) -> models.Integration | None:
    """Read, then end the transaction: on SQLite it holds the write lock the app needs."""
    db.rollback()
    row = db.scalar(select(models.Integration).where(models.Integration.kind == "shopify"))
    db.commit()
    return row


def test_the_install_connects_the_shop_with_a_sealed_token(
    owner: Member, fake: FakeShopify, session: Session, app_settings: Settings
) -> None:
    redirect, asked = start(owner, fake)
    assert redirect == "http://testserver/admin/shopify/callback"
    assert asked["client_id"] == CLIENT_ID
    assert "read_orders" in asked["scope"]
    assert len(asked["state"]) >= 40
    done = follow(owner, fake.oauth.approve(redirect, asked["state"]))
    assert done.status_code == 303, done.text
    assert done.headers["location"].endswith("done=shopify_installed#shopify")
    row = shopify_row(session)
    assert row is not None
    assert row.config["shop"] == SHOP
    assert TOKEN not in row.sealed_secrets
    assert webhook_secret_of(app_settings, row) == fake.secret  # signs the app's webhooks
    assert check_connection(client_of(app_settings, row)).domain == SHOP  # the token works
    assert session.scalars(select(models.OAuthState)).all() == []  # the state is spent
    session.commit()
    assert [e["code"] != "" for e in fake.oauth.exchanged] == [True]
    page = owner.client.get(done.headers["location"]).text
    assert "Shopify connected through the app install." in page
    assert "Not synced yet." in page  # the sync panel, with its "sync now"
    assert "shopify connected" in owner.client.get("/admin/audit").text


def test_a_replayed_callback_is_refused(owner: Member, fake: FakeShopify, session: Session) -> None:
    redirect, asked = start(owner, fake)
    callback = fake.oauth.approve(redirect, asked["state"])
    assert follow(owner, callback).status_code == 303
    again = follow(owner, callback)
    assert again.status_code == 400
    assert "unknown, used or expired" in again.text
    assert len(fake.oauth.exchanged) == 1  # the code was not sent again


@pytest.mark.parametrize("forgery", ["hmac", "shop", "state", "expired"])
def test_a_callback_that_does_not_check_out_connects_nothing(
    owner: Member, fake: FakeShopify, session: Session, forgery: str
) -> None:
    redirect, asked = start(owner, fake)
    callback = urlsplit(fake.oauth.approve(redirect, asked["state"]))
    params = {k: v[0] for k, v in parse_qs(callback.query).items()}
    if forgery == "hmac":
        params["code"] = "a-code-of-my-own"  # the signature no longer matches
    elif forgery == "shop":  # signed right, but not a myshopify.com shop
        params["shop"] = "evil.example.com"
        params["hmac"] = query_hmac(fake.secret, params)
    elif forgery == "state":
        params["state"] = "guessed-" + asked["state"][8:]
        params["hmac"] = query_hmac(fake.secret, params)
    else:
        session.execute(
            update(models.OAuthState).values(created_at=datetime.now(UTC) - timedelta(minutes=11))
        )
        session.commit()
    r = owner.client.get(f"{callback.path}?{urlencode(params)}", follow_redirects=False)
    assert r.status_code == 400
    assert "Shopify was not connected" in r.text
    assert shopify_row(session) is None
    assert fake.oauth.exchanged == []  # no code was traded


def test_a_bad_shop_name_or_no_app_is_said_plainly(
    owner: Member, settings: Settings, demo_db: Engine
) -> None:
    r = owner.client.get(INSTALL, params={"shop": "not a shop!"}, follow_redirects=False)
    assert r.status_code == 400
    assert "is not a shop domain" in r.text
    with TestClient(create_app(settings)) as plain:
        member = Member(plain)
        member.sign_in()
        r = plain.get(INSTALL, params={"shop": SHOP}, follow_redirects=False)
    assert r.status_code == 400
    assert "DESKHAND_SHOPIFY_CLIENT_ID" in r.text
