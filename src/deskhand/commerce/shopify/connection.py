"""A brand's Shopify connection: shop domain and Admin API token (sealed), tested with a
shop query; the small Python API the console and `deskhand shopify` call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from deskhand.commerce.shopify import queries
from deskhand.commerce.shopify.client import API_VERSION, ShopifyClient, shop_domain
from deskhand.config import Settings, get_settings
from deskhand.db import models
from deskhand.db.integrations import connect, find_integration, secrets_of
from deskhand.db.session import settings_of
from deskhand.domain.vocabulary import IntegrationKind


class NotConnected(LookupError):
    """The brand has no Shopify connection."""


@dataclass(frozen=True)
class Shop:
    name: str
    domain: str
    currency: str


def connect_shop(
    session: Session,
    settings: Settings,
    brand_id: int,
    *,
    shop: str,
    access_token: str,
    webhook_secret: str,
    endpoint: str | None = None,
) -> models.Integration:
    """Store the connection (token and webhook secret sealed). `endpoint` is only for a
    local test server standing in for https://{shop}."""
    domain = shop_domain(shop)
    if not access_token.strip():
        raise ValueError("the Admin API access token is empty")
    if not webhook_secret.strip():
        raise ValueError("the app's client secret (for webhook signatures) is empty")
    config: dict[str, Any] = {"shop": domain, "api_version": API_VERSION}
    if endpoint:
        config["endpoint"] = endpoint.rstrip("/")
    return connect(
        session,
        settings,
        brand_id,
        IntegrationKind.SHOPIFY,
        config=config,
        secrets={"access_token": access_token.strip(), "webhook_secret": webhook_secret.strip()},
    )


def client_of(settings: Settings, row: models.Integration) -> ShopifyClient:
    secrets = secrets_of(settings, row)
    return ShopifyClient(
        str(row.config["shop"]), str(secrets["access_token"]), endpoint=row.config.get("endpoint")
    )


def client_for(session: Session, brand_id: int, settings: Settings | None = None) -> ShopifyClient:
    row = find_integration(session, brand_id, IntegrationKind.SHOPIFY)
    if row is None:
        raise NotConnected(f"brand {brand_id} has no Shopify connection")
    return client_of(settings or settings_of(session) or get_settings(), row)


def webhook_secret_of(settings: Settings, row: models.Integration) -> str:
    return str(secrets_of(settings, row).get("webhook_secret") or "")


def check_connection(client: ShopifyClient) -> Shop:
    """Ask Shopify for the shop: proves the domain, the token and the API version."""
    shop = client.execute(queries.SHOP).get("shop") or {}
    return Shop(
        str(shop.get("name") or ""),
        str(shop.get("myshopifyDomain") or client.shop),
        str(shop.get("currencyCode") or ""),
    )
