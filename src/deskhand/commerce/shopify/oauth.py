"""Installing Deskhand as a public Shopify app: the authorization code grant.

1. An owner or admin, signed in to the console, names the shop. `begin_install` stores a
   random `state` (single use, good for STATE_TTL, bound to the brand, the shop and the
   member) and answers the shop's authorize URL: https://{shop}/admin/oauth/authorize with
   the app's client id, the scopes, the redirect URL and the state.
2. Shopify sends the merchant back to the redirect URL with `code`, `shop`, `state`,
   `timestamp` and `hmac`. `finish_install` checks, before anything else is trusted: the
   shop's shape (`name.myshopify.com`), the HMAC (hex HMAC-SHA256 under the client secret
   of the other parameters, decoded, sorted by name, joined `k=v` with `&`; compared in
   constant time), and the state (known, unused, unexpired, same brand, shop and member;
   consumed whatever follows). Then it trades the code for the shop's offline access token
   (POST /admin/oauth/access_token) and stores it sealed as the brand's connection, with
   the client secret as the webhook secret (Shopify signs a public app's webhooks with it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from deskhand.commerce.shopify.client import shop_domain
from deskhand.commerce.shopify.connection import connect_shop
from deskhand.config import Settings
from deskhand.db import models
from deskhand.domain.vocabulary import IntegrationKind
from deskhand.net.http import NetworkError, request

STATE_TTL = timedelta(minutes=10)
CALLBACK_PATH = "/admin/shopify/callback"
_KIND = IntegrationKind.SHOPIFY.value


class InstallRefused(Exception):
    """The install cannot go on; the message is safe to show the member."""


def configured(settings: Settings) -> bool:
    return bool(settings.shopify_client_id and settings.shopify_client_secret)


def _base(settings: Settings, shop: str) -> str:
    """Where the shop answers: https://{shop}, or the fake Shopify in tests."""
    if settings.shopify_test_endpoint and settings.allow_private_urls:
        return settings.shopify_test_endpoint.rstrip("/")
    return f"https://{shop}"


def redirect_uri(settings: Settings) -> str:
    return settings.base_url.rstrip("/") + CALLBACK_PATH


def query_hmac(secret: str, params: Mapping[str, str]) -> str:
    message = "&".join(
        f"{k}={v}" for k, v in sorted(params.items()) if k not in ("hmac", "signature")
    )
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def query_signed(secret: str, params: Mapping[str, str]) -> bool:
    given = params.get("hmac") or ""
    if not secret or not given:
        return False
    return hmac.compare_digest(query_hmac(secret, params), given.strip().lower())


def begin_install(
    session: Session,
    settings: Settings,
    brand_id: int,
    shop: str,
    member_id: int | None,
    now: datetime,
) -> str:
    """Store a fresh state and answer the shop's authorize URL."""
    if not configured(settings):
        raise InstallRefused("Set DESKHAND_SHOPIFY_CLIENT_ID and _SECRET to install an app.")
    try:
        domain = shop_domain(shop)
    except ValueError as exc:
        raise InstallRefused(str(exc)) from None
    session.execute(delete(models.OAuthState).where(models.OAuthState.created_at < now - STATE_TTL))
    state = secrets.token_urlsafe(32)
    session.add(
        models.OAuthState(
            brand_id=brand_id,
            kind=_KIND,
            state=state,
            shop=domain,
            member_id=member_id,
            created_at=now,
        )
    )
    query = {
        "client_id": settings.shopify_client_id,
        "scope": settings.shopify_scopes,
        "redirect_uri": redirect_uri(settings),
        "state": state,
    }
    return f"{_base(settings, domain)}/admin/oauth/authorize?{urlencode(query)}"


def _take_state(session: Session, state: str, now: datetime) -> models.OAuthState | None:
    """The stored state, removed (a state works once, even when the rest fails)."""
    row = session.scalar(
        select(models.OAuthState).where(
            models.OAuthState.state == state, models.OAuthState.kind == _KIND
        )
    )
    if row is None:
        return None
    session.delete(row)
    session.flush()
    return row if row.created_at >= now - STATE_TTL else None


def finish_install(
    session: Session,
    settings: Settings,
    brand_id: int,
    params: Mapping[str, str],
    member_id: int | None,
    now: datetime,
) -> models.Integration:
    """Check the callback, trade the code for a token, store the connection."""
    if not configured(settings):
        raise InstallRefused("This Deskhand has no Shopify app configured.")
    shop = params.get("shop") or ""
    try:
        well_formed = shop_domain(shop) == shop
    except ValueError:
        well_formed = False
    if not well_formed:
        raise InstallRefused("The shop in the answer is not a myshopify.com domain.")
    if not query_signed(settings.shopify_client_secret, params):
        raise InstallRefused("The answer's signature does not match: it did not come from Shopify.")
    stored = _take_state(session, params.get("state") or "", now)
    if (
        stored is None
        or stored.brand_id != brand_id
        or stored.shop != shop
        or stored.member_id != member_id
    ):
        raise InstallRefused("This install link is unknown, used or expired: start it again.")
    code = params.get("code") or ""
    if not code:
        raise InstallRefused("Shopify sent no authorization code.")
    try:
        answer = request(
            "POST",
            f"{_base(settings, shop)}/admin/oauth/access_token",
            json={
                "client_id": settings.shopify_client_id,
                "client_secret": settings.shopify_client_secret,
                "code": code,
            },
            headers={"Accept": "application/json"},
            timeout=15,
        )
    except NetworkError as exc:
        raise InstallRefused(f"Shopify could not be reached: {exc}") from None
    token = ""
    if answer.status_code == 200:
        try:
            token = str((answer.json() or {}).get("access_token") or "")
        except ValueError:
            token = ""
    if not token:
        raise InstallRefused(f"Shopify did not give an access token (HTTP {answer.status_code}).")
    endpoint = _base(settings, shop) if settings.shopify_test_endpoint else None
    return connect_shop(
        session,
        settings,
        brand_id,
        shop=shop,
        access_token=token,
        webhook_secret=settings.shopify_client_secret,
        endpoint=endpoint if endpoint and settings.allow_private_urls else None,
    )
