"""What the outbox worker hands a transport, what it gets back, and the one error type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class TransportError(Exception):
    """Delivery failed. `permanent`: retrying cannot help (bad address, opted out, config)."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class Outgoing:
    """One outbox row, detached from the database while it is being delivered."""

    id: int
    brand_id: int
    kind: str
    recipient: str
    subject: str
    body: str
    idempotency_key: str
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class Sent:
    provider_ref: str | None = None  # the vendor's id (Twilio SM…, SMTP Message-ID)
    provider_status: str | None = None  # the vendor's first status ("queued", "accepted")


class Transport(Protocol):
    name: str

    def deliver(self, item: Outgoing) -> Sent: ...
