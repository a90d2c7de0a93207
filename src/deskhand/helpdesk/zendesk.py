"""Zendesk Support: a handed-off conversation as one ticket, created exactly once.

Documented (see ../shared/integrations.md): base `https://{subdomain}.zendesk.com/api/v2`,
`Authorization: Basic base64("{email}/token:{api_token}")`; `POST /tickets.json` with
`{"ticket": {subject, comment{body, public}, requester{name, email}, tags, custom_fields
[{id, value}], external_id}}` answers 201 and `{"ticket": {"id": …}}`; the `Idempotency-Key`
header makes a repeated create return the first ticket; `GET /tickets.json?external_id=…`
lists the tickets carrying our key, which is how a retry checks before creating again.
429 carries Retry-After (seconds; the body may be text/plain).
"""

from __future__ import annotations

import re
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

VENDOR = "Zendesk"
TAG = "deskhand"


def base_url(subdomain: str) -> str:
    return f"https://{subdomain}.zendesk.com"


def _tag(value: str) -> str:
    """A Zendesk tag: lower case, no spaces (spaces would split it into several tags)."""
    return re.sub(r"[^a-z0-9_:-]+", "_", value.lower()).strip("_")[:80]


def _field_id(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def ticket_body(handoff: Handoff, fields: dict[str, Any]) -> dict[str, Any]:
    """The create-ticket document: requester, the transcript as a private first comment,
    tags (deskhand, the intent), the custom fields configured on connect, our key."""
    name = (
        handoff.name or handoff.email or handoff.phone or f"Shopper {handoff.conversation_id[:8]}"
    )
    requester: dict[str, str] = {"name": name}
    if handoff.email:
        requester["email"] = handoff.email
    tags = [TAG] + ([_tag(handoff.intent)] if handoff.intent else [])
    custom: list[dict[str, Any]] = []
    intent_field = _field_id(fields.get("intent_field_id"))
    order_field = _field_id(fields.get("order_field_id"))
    if intent_field is not None and handoff.intent:
        custom.append({"id": intent_field, "value": handoff.intent})
    if order_field is not None and handoff.order_number:
        custom.append({"id": order_field, "value": handoff.order_number})
    ticket: dict[str, Any] = {
        "subject": handoff.subject,
        "comment": {"body": handoff.transcript(), "public": False},
        "requester": requester,
        "tags": tags,
        "external_id": handoff.key,
    }
    if custom:
        ticket["custom_fields"] = custom
    return {"ticket": ticket}


@dataclass(frozen=True)
class ZendeskClient:
    base: str  # https://{subdomain}.zendesk.com (a local fake's address in tests)
    email: str
    api_token: str
    timeout: float = TIMEOUT

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {
            "Authorization": basic(f"{self.email}/token", self.api_token),
            "Accept": "application/json",
            **(extra or {}),
        }

    def find(self, key: str) -> str | None:
        """The id of the ticket created with this external_id earlier, if there is one."""
        url = f"{self.base.rstrip('/')}/api/v2/tickets.json?external_id={quote(key)}"
        return find_by_external_id(VENDOR, url, self._headers(), self.timeout, "tickets", key)

    def create(self, handoff: Handoff, fields: dict[str, Any]) -> str:
        """Create the ticket (Idempotency-Key: our key); its Zendesk id."""
        url = f"{self.base.rstrip('/')}/api/v2/tickets.json"
        headers = self._headers({"Idempotency-Key": handoff.key})
        try:
            r = request(
                "POST",
                url,
                json=ticket_body(handoff, fields),
                headers=headers,
                timeout=self.timeout,
            )
        except NetworkError as exc:
            raise network_failure(VENDOR, exc) from None
        if r.status_code not in (200, 201):
            raise refused(VENDOR, "the new ticket", r)
        ticket = json_of(VENDOR, r).get("ticket")
        ticket_id = ticket.get("id") if isinstance(ticket, dict) else None
        if ticket_id is None:
            raise HelpdeskError(
                f"{VENDOR}'s answer has no ticket id", r.status_code, retryable=True
            )
        return str(ticket_id)
