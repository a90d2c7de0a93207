"""What the Loop and AfterShip Returns adapters share: errors, webhook signatures, and a
provider's return as Deskhand reads it (mirrored into the `returns` table by webhooks)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field

from deskhand.domain.returns import ReturnState


class ProviderError(Exception):
    """The provider did not answer usefully (an error status, a timeout, a strange body)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def reason(self) -> str:
        """For the brand: the provider does not know this order for this shopper, or failed."""
        return "order_not_matched" if self.status in (404, 422) else "provider_error"


def signature_ok(secret: str, body: bytes, sent: str | None) -> bool:
    """base64(HMAC-SHA256(secret, raw body)) — how Loop and AfterShip Returns sign webhooks."""
    if not secret or not sent:
        return False
    mac = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(mac).decode(), sent.strip())


@dataclass(frozen=True)
class ProviderReturn:
    """One return as the provider reports it."""

    ref: str  # the provider's id
    state: ReturnState
    order_number: str  # digits, without "#"
    email: str
    rma: str = ""
    line_items: dict[int, int] = field(default_factory=dict)  # line item id -> quantity
    note: str = ""


def order_number_of(raw: object) -> str:
    """ "#1003", "1003" or 1003 -> "1003"."""
    return str(raw or "").strip().lstrip("#")


def line_item_id(raw: object) -> int | None:
    """A line item id as the store knows it (a number), else None (not one of ours)."""
    text = str(raw or "").rsplit("/", 1)[-1]  # Shopify GIDs end in the number
    return int(text) if text.isdigit() else None
