"""Twilio webhooks: verify X-Twilio-Signature first, then dispatch (message or status).

Signature (twilio-python's RequestValidator): the full URL Twilio called, then each POST
parameter sorted by name as name+value (repeated names: every value, sorted), HMAC-SHA1
keyed with the auth token, base64. The URL is rebuilt from our public webhook base, since a
proxy in front of us changes what the app itself sees; with and without the default port.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from python_multipart import QuerystringParser
from python_multipart.exceptions import QuerystringParseError
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.channels.received import Received
from deskhand.channels.twilio.client import OPTED_OUT_CODE
from deskhand.db import models
from deskhand.db.models import ChannelOptOut, DeliveryEvent
from deskhand.domain.contact import normalise_phone

MAX_FIELDS = 200
MAX_MEDIA = 10
# Later statuses never go back to earlier ones, whatever order the callbacks arrive in.
STATUS_RANK = {
    "accepted": 1,
    "scheduled": 1,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "undelivered": 4,
    "failed": 4,
    "canceled": 4,
    "delivered": 4,
    "partially_delivered": 4,
    "read": 5,
}


class MalformedRequest(ValueError):
    """The body is not a form Twilio would send."""


def parse_form(body: bytes) -> list[tuple[str, str]]:
    """Every (name, value) of the urlencoded body in order, repeats kept: exactly what Twilio
    signed. python-multipart splits the fields; each must be UTF-8, as Twilio sends it."""
    fields: list[tuple[str, str]] = []
    name, value = bytearray(), bytearray()

    def start() -> None:
        name.clear()
        value.clear()

    def end() -> None:
        if len(fields) >= MAX_FIELDS:
            raise MalformedRequest(f"not a form-encoded body: more than {MAX_FIELDS} fields")
        try:
            fields.append((_field(name), _field(value)))
        except UnicodeDecodeError as exc:
            raise MalformedRequest(f"not a form-encoded body: {exc}") from None

    parser = QuerystringParser(
        {
            "on_field_start": start,
            "on_field_name": lambda data, at, to: name.extend(data[at:to]),
            "on_field_data": lambda data, at, to: value.extend(data[at:to]),
            "on_field_end": end,
        },
        strict_parsing=True,
    )
    try:
        parser.write(body)
        parser.finalize()
    except QuerystringParseError as exc:
        raise MalformedRequest(f"not a form-encoded body: {exc}") from None
    return fields


def _field(raw: bytearray) -> str:
    return unquote_plus(raw.decode("utf-8"))


def compute_signature(token: str, url: str, params: list[tuple[str, str]]) -> str:
    data = url
    for name in sorted({k for k, _ in params}):
        for value in sorted({v for k, v in params if k == name}):
            data += name + value
    digest = hmac.new(token.encode(), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _port_variants(url: str) -> set[str]:
    parts = urlsplit(url)
    default = {"https": 443, "http": 80}.get(parts.scheme)
    host = parts.hostname or ""
    variants = {url}
    if default is not None:
        with_port = parts._replace(netloc=f"{host}:{parts.port or default}")
        without = parts._replace(netloc=host)
        if parts.port in (None, default):
            variants |= {urlunsplit(with_port), urlunsplit(without)}
    return variants


def signature_valid(
    token: str, url: str, params: list[tuple[str, str]], signature: str | None
) -> bool:
    if not signature or not token:
        return False
    return any(
        hmac.compare_digest(compute_signature(token, candidate, params), signature)
        for candidate in _port_variants(url)
    )


def received_message(params: dict[str, str], max_chars: int) -> Received:
    """An inbound SMS or WhatsApp message as the channel pipeline takes it."""
    sid = params.get("MessageSid") or params.get("SmsMessageSid") or params.get("SmsSid")
    sender = params.get("From", "")
    phone = normalise_phone(sender)
    if not sid or not phone:
        raise MalformedRequest("MessageSid and a phone number in From are required")
    whatsapp = sender.lower().startswith("whatsapp:")
    try:
        media_count = min(int(params.get("NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        media_count = 0
    media = [
        {"url": params.get(f"MediaUrl{i}", ""), "type": params.get(f"MediaContentType{i}", "")}
        for i in range(media_count)
    ]
    body = params.get("Body", "").replace("\x00", "")
    return Received(
        channel="whatsapp" if whatsapp else "sms",
        external_id=sid[:500],
        address=f"whatsapp:{phone}" if whatsapp else phone,
        payload={
            "text": body[:max_chars],
            "to": params.get("To", ""),
            "media": media,
            "profile_name": params.get("ProfileName", ""),
            "opt_out_type": params.get("OptOutType") or None,
            "params": params,  # everything Twilio sent, new parameters included
        },
    )


def record_status(session: Session, params: dict[str, str], now: datetime) -> bool:
    """Keep a status callback; False for a replay of one already kept."""
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    status = (params.get("MessageStatus") or params.get("SmsStatus") or "").lower()
    if not sid or not status:
        raise MalformedRequest("MessageSid and MessageStatus are required")
    seen = session.scalar(
        select(DeliveryEvent.id).where(
            DeliveryEvent.provider == "twilio",
            DeliveryEvent.provider_ref == sid[:64],
            DeliveryEvent.status == status[:32],
        )
    )
    if seen is not None:
        return False
    row = session.scalar(
        select(models.OutboxMessage).where(models.OutboxMessage.provider_ref == sid[:64])
    )
    code = params.get("ErrorCode") or None
    session.add(
        DeliveryEvent(
            outbox_id=row.id if row else None,
            provider="twilio",
            provider_ref=sid[:64],
            status=status[:32],
            error_code=code[:16] if code else None,
            received_at=now,
        )
    )
    if row is not None:
        if STATUS_RANK.get(status, 0) >= STATUS_RANK.get(row.provider_status or "", 0):
            row.provider_status = status[:32]
        if status in ("failed", "undelivered"):
            row.last_error = f"Twilio reports {status}" + (f" (error {code})" if code else "")
        if code == str(OPTED_OUT_CODE):
            _opt_out(session, row, now)
    session.flush()
    return True


def _opt_out(session: Session, row: models.OutboxMessage, now: datetime) -> None:
    exists = session.scalar(
        select(ChannelOptOut.id).where(
            ChannelOptOut.brand_id == row.brand_id,
            ChannelOptOut.channel == row.kind,
            ChannelOptOut.address == row.recipient,
        )
    )
    if exists is None:
        session.add(
            ChannelOptOut(
                brand_id=row.brand_id,
                channel=row.kind,
                address=row.recipient,
                keyword=str(OPTED_OUT_CODE),
                created_at=now,
            )
        )
