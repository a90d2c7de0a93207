"""Loop's and AfterShip Returns' webhooks: signature first, replays ignored, then the return
mirrored (`returns/mirror.py`). Both sign base64(HMAC-SHA256(webhook secret, raw body)):
Loop in `X-Loop-Signature`, AfterShip Returns in `as-signature-hmac-sha256`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.commerce.registry import store_for
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import find_integration, secrets_of
from deskhand.db.models import WebhookNonce
from deskhand.domain.vocabulary import IntegrationKind, ReturnsProviderKind
from deskhand.returns import aftership, loop
from deskhand.returns.mirror import Mirrored, mirror_return
from deskhand.returns.vendors import ProviderReturn, signature_ok

SIGNATURE_HEADER = {
    ReturnsProviderKind.LOOP: "x-loop-signature",
    ReturnsProviderKind.AFTERSHIP: "as-signature-hmac-sha256",
}
_INTEGRATION = {
    ReturnsProviderKind.LOOP: IntegrationKind.LOOP,
    ReturnsProviderKind.AFTERSHIP: IntegrationKind.AFTERSHIP,
}


class Refused(StrEnum):
    NOT_CONNECTED = "not_connected"  # 404: this brand has no such connection
    BAD_SIGNATURE = "bad_signature"  # 401
    MALFORMED = "malformed"  # 400


class WebhookRefused(Exception):
    def __init__(self, why: Refused) -> None:
        super().__init__(why.value)
        self.why = why


def _read(kind: ReturnsProviderKind, payload: Mapping[str, Any]) -> ProviderReturn:
    if kind is ReturnsProviderKind.LOOP:
        inner = payload.get("return")
        return loop.read_return(inner if isinstance(inner, dict) else payload)
    data = payload.get("data")
    inner = data.get("return") if isinstance(data, dict) else None
    found = inner if isinstance(inner, dict) else data if isinstance(data, dict) else payload
    return aftership.read_return(found)


def receive(
    session: Session,
    *,
    settings: Settings,
    brand: models.Brand,
    kind: ReturnsProviderKind,
    body: bytes,
    headers: Mapping[str, str],
    now: datetime,
) -> str:
    """Check and apply one delivery; "duplicate" for a replay, else what the mirror did."""
    row = find_integration(session, brand.id, _INTEGRATION[kind])
    if row is None:
        raise WebhookRefused(Refused.NOT_CONNECTED)
    secret = str(secrets_of(settings, row).get("webhook_secret") or "")
    if not signature_ok(secret, body, headers.get(SIGNATURE_HEADER[kind])):
        raise WebhookRefused(Refused.BAD_SIGNATURE)
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookRefused(Refused.MALFORMED) from None
    if not isinstance(payload, dict):
        raise WebhookRefused(Refused.MALFORMED)
    nonce = hashlib.sha256(body).hexdigest()
    seen_before = session.scalar(
        select(WebhookNonce.id).where(
            WebhookNonce.provider == kind.value, WebhookNonce.nonce == nonce
        )
    )
    if seen_before:
        return "duplicate"
    session.add(WebhookNonce(provider=kind.value, nonce=nonce, seen_at=now))
    seen = _read(kind, payload)
    result: Mirrored = mirror_return(
        session, store=store_for(session, brand), brand_id=brand.id, kind=kind, seen=seen, now=now
    )
    return result.value
