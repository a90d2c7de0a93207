"""Gorgias: a handed-off conversation as one ticket through the REST API, exactly once.

Documented (see ../shared/integrations.md): base `https://{domain}.gorgias.com/api`,
`Authorization: Basic base64(email:api_key)`; `POST /api/tickets` needs `messages` (each
with `channel`, `via`, `from_agent`), takes `customer`, `channel`, `via`, `subject`,
`external_id` (ours to use, up to 255 characters) and answers the ticket with its `id`.
A web-chat conversation becomes an email ticket (the shopper's replies come by email from
then on); an SMS conversation stays on SMS. Gorgias documents no idempotency header: before
a retry, `GET /api/tickets?external_id=…` (this adapter's reading of the list's filters,
kept in `find`) looks for the ticket a lost answer may have created.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from deskhand.helpdesk.vendor import (
    TIMEOUT,
    Handoff,
    HelpdeskError,
    basic,
    find_by_external_id,
    json_of,
    network_failure,
    refused,
)
from deskhand.net.http import NetworkError, request

VENDOR = "Gorgias"
TAG = "deskhand"
SMS_CHANNELS = frozenset({"sms", "whatsapp"})


def base_url(domain: str) -> str:
    return f"https://{domain}.gorgias.com"


def channel_for(conversation_channel: str) -> str:
    """Where the ticket lives at Gorgias: SMS stays SMS, everything else becomes email."""
    return "sms" if conversation_channel in SMS_CHANNELS else "email"


def ticket_body(handoff: Handoff) -> dict[str, Any]:
    """The create-ticket document; a ticket Gorgias could not answer (email without an
    address, SMS without a number) is refused here, for good."""
    channel = channel_for(handoff.channel)
    if (channel == "email" and not handoff.email) or (channel == "sms" and not handoff.phone):
        raise HelpdeskError(
            f"{VENDOR}: no shopper {'email address' if channel == 'email' else 'number'} "
            f"for this {channel} ticket",
            retryable=False,
        )
    customer: dict[str, Any] = {}
    if handoff.email:
        customer["email"] = handoff.email
    if handoff.name:
        customer["name"] = handoff.name
    if handoff.phone:
        customer["channels"] = [{"type": "phone", "address": handoff.phone}]
    text = handoff.transcript()
    message: dict[str, Any] = {
        "channel": channel,
        "via": "api",
        "from_agent": False,
        "sender": {"email": handoff.email} if handoff.email else dict(customer),
        "subject": handoff.subject,
        "body_text": text,
        "body_html": "<pre>" + html.escape(text) + "</pre>",
    }
    tags = [{"name": TAG}] + ([{"name": handoff.intent}] if handoff.intent else [])
    return {
        "channel": channel,
        "via": "api",
        "from_agent": False,
        "subject": handoff.subject,
        "customer": customer,
        "external_id": handoff.key,
        "language": handoff.language,
        "tags": tags,
        "messages": [message],
    }


@dataclass(frozen=True)
class GorgiasClient:
    base: str  # https://{domain}.gorgias.com (a local fake's address in tests)
    email: str
    api_key: str
    timeout: float = TIMEOUT

    def _headers(self) -> dict[str, str]:
        return {"Authorization": basic(self.email, self.api_key), "Accept": "application/json"}

    def find(self, key: str) -> str | None:
        url = f"{self.base.rstrip('/')}/api/tickets?external_id={quote(key)}"
        return find_by_external_id(VENDOR, url, self._headers(), self.timeout, "data", key)

    def create(self, handoff: Handoff) -> str:
        url = f"{self.base.rstrip('/')}/api/tickets"
        body = ticket_body(handoff)
        try:
            r = request(
                "POST",
                url,
                json=body,
                headers=self._headers(),
                timeout=self.timeout,
            )
        except NetworkError as exc:
            raise network_failure(VENDOR, exc) from None
        if r.status_code not in (200, 201):
            raise refused(VENDOR, "the new ticket", r)
        ticket_id = json_of(VENDOR, r).get("id")
        if ticket_id is None:
            raise HelpdeskError(
                f"{VENDOR}'s answer has no ticket id", r.status_code, retryable=True
            )
        return str(ticket_id)
