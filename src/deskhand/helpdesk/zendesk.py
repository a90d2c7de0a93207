"""Zendesk Support: a handed-off conversation as one ticket, created exactly once.

Documented (see ../shared/integrations.md): base `https://{subdomain}.zendesk.com/api/v2`,
`Authorization: Basic base64("{email}/token:{api_token}")`; `POST /tickets.json` with
`{"ticket": {subject, comment{body, public}, requester{name, email}, tags, custom_fields
[{id, value}], external_id}}` answers 201 and `{"ticket": {"id": …}}`; the `Idempotency-Key`
header makes a repeated create return the first ticket; `GET /tickets.json?external_id=…`
lists the tickets carrying our key, which is how a retry checks before creating again; the
ticket's `requester_id` is the shopper's user id. A comment is added by updating the ticket
(`PUT /tickets/{id}.json` with `{"ticket": {"comment": {body, public, author_id}}}`: the
comment's author may be set, so a follow-up is the requester's own);
`GET /tickets/{id}/comments.json` lists the comments (`author_id`, `body`, `public`) in cursor
pages. 429 carries Retry-After (seconds; the body may be text/plain).
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
    find_ticket,
    json_of,
    network_failure,
    refused,
)
from deskhand.net.http import NetworkError, request

VENDOR = "Zendesk"
TAG = "deskhand"
MAX_PAGES = 50  # 5,000 comments: the most a Zendesk ticket can hold


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
class Created:
    """A ticket at Zendesk: its id, and its requester's user id (None when not answered)."""

    id: str
    requester_id: str | None


def _created(ticket: Any) -> Created | None:
    if not isinstance(ticket, dict) or ticket.get("id") is None:
        return None
    requester = ticket.get("requester_id")
    return Created(str(ticket["id"]), None if requester is None else str(requester))


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

    def _url(self, path: str) -> str:
        return f"{self.base.rstrip('/')}/api/v2/{path}"

    def _call(self, method: str, url: str, what: str, body: Any = None) -> dict[str, Any]:
        try:
            r = request(method, url, json=body, headers=self._headers(), timeout=self.timeout)
        except NetworkError as exc:
            raise network_failure(VENDOR, exc) from None
        if r.status_code not in (200, 201):
            raise refused(VENDOR, what, r)
        return json_of(VENDOR, r)

    def find(self, key: str) -> Created | None:
        """The ticket created with this external_id earlier, if there is one."""
        url = self._url(f"tickets.json?external_id={quote(key)}")
        return _created(find_ticket(VENDOR, url, self._headers(), self.timeout, "tickets", key))

    def create(self, handoff: Handoff, fields: dict[str, Any]) -> Created:
        """Create the ticket (Idempotency-Key: our key)."""
        headers = self._headers({"Idempotency-Key": handoff.key})
        try:
            r = request(
                "POST",
                self._url("tickets.json"),
                json=ticket_body(handoff, fields),
                headers=headers,
                timeout=self.timeout,
            )
        except NetworkError as exc:
            raise network_failure(VENDOR, exc) from None
        if r.status_code not in (200, 201):
            raise refused(VENDOR, "the new ticket", r)
        created = _created(json_of(VENDOR, r).get("ticket"))
        if created is None:
            raise HelpdeskError(
                f"{VENDOR}'s answer has no ticket id", r.status_code, retryable=True
            )
        return created

    def requester_of(self, ticket_id: str) -> str | None:
        """The ticket's requester (`GET /tickets/{id}.json`), for a ticket made before we
        kept it."""
        found = _created(
            self._call("GET", self._url(f"tickets/{ticket_id}.json"), "the ticket").get("ticket")
        )
        return found.requester_id if found else None

    def comments(self, ticket_id: str) -> list[dict[str, Any]]:
        """Every comment on the ticket, oldest first (cursor pages of 100, following
        `links.next` on this same server while `meta.has_more`)."""
        url: str | None = self._url(f"tickets/{ticket_id}/comments.json?page[size]=100")
        found: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            if url is None:
                break
            page = self._call("GET", url, "the comment list")
            listed = page.get("comments")
            found += [c for c in listed if isinstance(c, dict)] if isinstance(listed, list) else []
            meta, links = page.get("meta"), page.get("links")
            more = isinstance(meta, dict) and bool(meta.get("has_more"))
            following = links.get("next") if isinstance(links, dict) else None
            same_server = isinstance(following, str) and following.startswith(self.base)
            url = following if more and same_server else None
        return found

    def add_comment(self, ticket_id: str, body: str, author_id: str | None) -> str | None:
        """Add a public comment (`PUT /tickets/{id}.json`), written by `author_id` (the
        requester) when given; the new comment's id when the answer's audit names it."""
        comment: dict[str, Any] = {"body": body, "public": True}
        if author_id is not None:
            comment["author_id"] = int(author_id) if author_id.isdigit() else author_id
        answer = self._call(
            "PUT",
            self._url(f"tickets/{ticket_id}.json"),
            "the comment",
            {"ticket": {"comment": comment}},
        )
        audit = answer.get("audit")
        events = audit.get("events") if isinstance(audit, dict) else None
        for event in events if isinstance(events, list) else []:
            if isinstance(event, dict) and event.get("type") == "Comment" and event.get("id"):
                return str(event["id"])
        return None
