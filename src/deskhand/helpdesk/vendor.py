"""What the Zendesk and Gorgias clients share: their one error type, how an HTTP answer is
read (retry or give up), and the handed-off conversation as the text of a first comment."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from deskhand.net.http import NetworkError, request

TIMEOUT = 10.0
# Answers worth trying again: the helpdesk is down, busy, or asks us to slow down.
RETRYABLE = frozenset({408, 409, 429, 500, 502, 503, 504})


class HelpdeskError(Exception):
    """A helpdesk call failed. `status` is None when no HTTP answer came (refused, timeout);
    `retryable` says whether the same call may work later."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        *,
        retryable: bool,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.retryable, self.retry_after = status, retryable, retry_after


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (both vendors send seconds); None when absent or unreadable."""
    value = response.headers.get("retry-after", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def network_failure(vendor: str, exc: NetworkError) -> HelpdeskError:
    return HelpdeskError(f"{vendor}: {exc}", retryable=True)


def refused(vendor: str, what: str, response: httpx.Response) -> HelpdeskError:
    """The error for a non-2xx answer: 5xx, 429, 408 retry (after Retry-After); the rest
    (401, 403, 404, 422, …) cannot work by being sent again."""
    status = response.status_code
    detail = response.text[:300].strip()
    message = f"{vendor} answered {status} to {what}" + (f": {detail}" if detail else "")
    return HelpdeskError(
        message, status, retryable=status in RETRYABLE, retry_after=retry_after(response)
    )


def json_of(vendor: str, response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise HelpdeskError(
            f"{vendor} sent no JSON", response.status_code, retryable=True
        ) from None
    if not isinstance(data, dict):
        raise HelpdeskError(f"{vendor} sent unexpected JSON", retryable=True)
    return data


@dataclass(frozen=True)
class Line:
    at: datetime | None
    who: str  # shopper | agent | team
    text: str


@dataclass(frozen=True)
class Handoff:
    """One ticket as both helpdesks are told it (built by `helpdesk/delivery.py`)."""

    key: str  # the ticket's idempotency key; sent as the vendor's external_id too
    brand_name: str
    conversation_id: str
    channel: str
    language: str
    email: str
    phone: str
    name: str
    customer_id: int | None
    intent: str
    reason: str
    order_number: str
    lines: Sequence[Line] = field(default_factory=tuple)

    @property
    def subject(self) -> str:
        topic = self.intent.replace("_", " ") if self.intent else "a question"
        order = f" (order #{self.order_number})" if self.order_number else ""
        return f"{self.brand_name}: {topic}{order}"[:150]

    def transcript(self) -> str:
        """The first comment: who, why, then the conversation with its timestamps."""
        head = [
            f"Handed over by Deskhand from a {self.channel} conversation ({self.language}).",
            f"Shopper: {self.name or '-'} <{self.email or '-'}>"
            + (f" {self.phone}" if self.phone else ""),
        ]
        if self.customer_id is not None:
            head.append(f"Customer id: {self.customer_id}")
        if self.order_number:
            head.append(f"Order: #{self.order_number}")
        if self.intent:
            head.append(f"Intent: {self.intent}")
        if self.reason:
            head.append(f"Why a person: {self.reason}")
        head.append(f"Conversation: {self.conversation_id}")
        body = [
            f"[{line.at.strftime('%Y-%m-%d %H:%M:%S UTC') if line.at else '?'}] "
            f"{line.who}: {line.text}"
            for line in self.lines
        ]
        return "\n".join([*head, "", "Transcript:", *body])


def text_of_blocks(blocks: Sequence[Mapping[str, Any]] | None) -> str:
    """The readable text of stored reply blocks (text, and the titles of cards and buttons)."""
    parts: list[str] = []
    for block in blocks or ():
        if not isinstance(block, Mapping):
            continue
        for key in ("text", "title", "label"):
            value = block.get(key)
            if isinstance(value, str) and value.strip():
                parts.append(value.strip())
                break
    return " ".join(parts)


def find_by_external_id(
    vendor: str, url: str, headers: dict[str, str], timeout: float, listed: str, key: str
) -> str | None:
    """GET a ticket search (`url`) and the id of the ticket under `listed` whose external_id
    is our key: before any retry, so a ticket the helpdesk already made is never made twice."""
    found = find_ticket(vendor, url, headers, timeout, listed, key)
    return None if found is None else str(found.get("id"))


def find_ticket(
    vendor: str, url: str, headers: dict[str, str], timeout: float, listed: str, key: str
) -> dict[str, Any] | None:
    """`find_by_external_id`, answering the whole ticket the helpdesk listed."""
    try:
        r = request("GET", url, headers=headers, timeout=timeout)
    except NetworkError as exc:
        raise network_failure(vendor, exc) from None
    if r.status_code != 200:
        raise refused(vendor, "the ticket lookup", r)
    found = json_of(vendor, r).get(listed)
    for ticket in found if isinstance(found, list) else []:
        if isinstance(ticket, dict) and str(ticket.get("external_id")) == key:
            return ticket
    return None
