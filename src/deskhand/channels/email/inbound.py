"""Inbound email from a provider webhook: verify, parse, and hand over what the agent reads.

Mailgun (Routes -> forward()) posts form fields signed with hex HMAC-SHA256 of timestamp +
token under the webhook signing key; we refuse bad signatures, stale timestamps and reused
tokens. SendGrid Inbound Parse signs nothing, so its URL carries a secret path segment.
Both may send the raw MIME message instead of parsed fields (`body-mime` / `email`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import HeaderParser
from email.utils import getaddresses, parseaddr
from typing import Any

from deskhand.channels.email.htmltext import html_to_text
from deskhand.channels.email.quotes import strip_reply
from deskhand.channels.email.threading import message_ids
from deskhand.channels.received import Received
from deskhand.config import Settings

SIGNATURE_WINDOW_SECONDS = 300
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|antw|réf|rif|ref|r|fw|fwd|wg|tr)\s*:", re.IGNORECASE)
_NO_REPLY_SENDERS = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+@.-]|$)", re.IGNORECASE
)


class SignatureRejected(Exception):
    """The webhook is not from the provider (or is too old to trust)."""


@dataclass
class Attachment:
    name: str
    content_type: str
    size: int


@dataclass
class ParsedEmail:
    sender: str
    sender_name: str
    recipient: str
    subject: str
    headers: list[tuple[str, str]]
    text: str | None
    html: str | None
    attachments: list[Attachment] = field(default_factory=list)
    spf_dkim_failed: bool = False

    def header(self, name: str) -> str:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return ""


def verify_mailgun(fields: Mapping[str, Any], signing_key: str, now: datetime) -> str:
    """Check Mailgun's signature; returns the one-time token (the caller refuses reuse)."""
    timestamp, token = str(fields.get("timestamp") or ""), str(fields.get("token") or "")
    signature = str(fields.get("signature") or "")
    if not (timestamp and token and signature):
        raise SignatureRejected("missing timestamp, token or signature")
    expected = hmac.new(
        signing_key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, signature.lower()):
        raise SignatureRejected("signature does not match")
    if not timestamp.isdigit() or abs(now.timestamp() - int(timestamp)) > SIGNATURE_WINDOW_SECONDS:
        raise SignatureRejected("timestamp outside the accepted window")
    return token


def _fail(verdict: str) -> bool:
    return bool(re.search(r"\b(fail|softfail)\b", verdict, re.IGNORECASE))


def from_mime(raw: bytes, *, spf: str = "", dkim: str = "") -> ParsedEmail:
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    name, sender = parseaddr(str(msg.get("From", "")))
    text_part = msg.get_body(preferencelist=("plain",))
    html_part = msg.get_body(preferencelist=("html",))
    attachments = [
        Attachment(
            part.get_filename() or "attachment",
            part.get_content_type(),
            len(part.get_payload(decode=True) or b""),
        )
        for part in msg.iter_attachments()
    ]
    return ParsedEmail(
        sender=sender,
        sender_name=name,
        recipient=parseaddr(str(msg.get("To", "")))[1],
        subject=str(msg.get("Subject", "")),
        headers=[(k, str(v)) for k, v in msg.items()],
        text=text_part.get_content() if text_part is not None else None,
        html=html_part.get_content() if html_part is not None else None,
        attachments=attachments,
        spf_dkim_failed=_fail(spf) or _fail(dkim),
    )


def from_mailgun(fields: Mapping[str, Any], files: list[Attachment]) -> ParsedEmail:
    """Mailgun's parsed fields (or its raw `body-mime`)."""
    if fields.get("body-mime"):
        parsed = from_mime(str(fields["body-mime"]).encode())
        parsed.attachments = parsed.attachments or files
    else:
        try:
            pairs = json.loads(str(fields.get("message-headers") or "[]"))
            headers = [(str(k), str(v)) for k, v in pairs]
        except (ValueError, TypeError):
            headers = []
        name, sender = parseaddr(str(fields.get("from") or fields.get("sender") or ""))
        parsed = ParsedEmail(
            sender=sender,
            sender_name=name,
            recipient=str(fields.get("recipient") or ""),
            subject=str(fields.get("subject") or ""),
            headers=headers,
            text=str(fields["body-plain"]) if fields.get("body-plain") else None,
            html=str(fields["body-html"]) if fields.get("body-html") else None,
            attachments=files,
        )
        for key in ("Message-Id", "In-Reply-To", "References"):
            if not parsed.header(key) and fields.get(key):
                parsed.headers.append((key, str(fields[key])))
    spf, dkim = parsed.header("X-Mailgun-Spf"), parsed.header("X-Mailgun-Dkim-Check-Result")
    parsed.spf_dkim_failed = parsed.spf_dkim_failed or _fail(spf) or _fail(dkim)
    return parsed


def from_sendgrid(fields: Mapping[str, Any], files: list[Attachment]) -> ParsedEmail:
    """SendGrid Inbound Parse fields (or its raw `email`)."""
    spf, dkim = str(fields.get("SPF") or ""), str(fields.get("dkim") or "")
    if fields.get("email"):
        parsed = from_mime(str(fields["email"]).encode(), spf=spf, dkim=dkim)
        parsed.attachments = parsed.attachments or files
        return parsed
    head = HeaderParser().parsestr(str(fields.get("headers") or ""))
    name, sender = parseaddr(str(fields.get("from") or head.get("From", "")))
    to = getaddresses([str(fields.get("to") or "")])
    return ParsedEmail(
        sender=sender,
        sender_name=name,
        recipient=to[0][1] if to else "",
        subject=str(fields.get("subject") or head.get("Subject", "")),
        headers=[(k, str(v)) for k, v in head.items()],
        text=str(fields["text"]) if fields.get("text") else None,
        html=str(fields["html"]) if fields.get("html") else None,
        attachments=files,
        spf_dkim_failed=_fail(spf) or _fail(dkim),
    )


def _is_automatic(parsed: ParsedEmail, own_address: str) -> bool:
    """Out-of-office replies, bounces, lists and our own mail are never answered (no loops)."""
    auto = parsed.header("Auto-Submitted").strip().lower()
    precedence = parsed.header("Precedence").strip().lower()
    return (
        (bool(auto) and auto != "no")
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or bool(parsed.header("X-Autoreply") or parsed.header("X-Autorespond"))
        or bool(parsed.header("List-Id"))
        or bool(_NO_REPLY_SENDERS.match(parsed.sender))
        or (bool(own_address) and parsed.sender.lower() == own_address.lower())
    )


def _truncate(text: str, limit: int) -> str:
    cut = text[:limit]
    space = cut.rfind(" ", int(limit * 0.8))
    return cut[:space] if space > 0 else cut


def to_received(parsed: ParsedEmail, settings: Settings) -> Received:
    """What the agent reads and what the transcript keeps, from one parsed email."""
    sender = parsed.sender.strip().lower()
    if "@" not in sender:
        raise ValueError("the email has no sender address")
    html_only = parsed.text is None and parsed.html is not None
    plain = parsed.text if parsed.text is not None else html_to_text(parsed.html or "")
    in_reply_to = message_ids(parsed.header("In-Reply-To"))
    references = message_ids(parsed.header("References"))
    body = strip_reply(plain)
    subject = " ".join(parsed.subject.split())
    text = body
    if not in_reply_to and not references and subject and not _REPLY_PREFIX.match(subject):
        text = f"{subject}\n\n{body}" if body else subject  # a new email's subject says a lot
    notes: list[str] = []
    truncated = len(text) > settings.max_message_chars
    if truncated:
        text = _truncate(text, settings.max_message_chars)
        notes.append("mail.truncated")
    if parsed.attachments:
        notes.append("mail.attachments")
    ids = message_ids(parsed.header("Message-Id") or parsed.header("Message-ID"))
    message_id = ids[0] if ids else ""
    if not message_id:  # rare, but a replay must still be recognised
        digest = hashlib.sha256(f"{sender}\n{subject}\n{plain}".encode()).hexdigest()[:40]
        message_id = f"<no-id-{digest}@deskhand>"
    _, own = parseaddr(settings.smtp_from)
    payload: dict[str, Any] = {
        "text": text,
        "subject": subject,
        "message_id": message_id[:500],
        "in_reply_to": in_reply_to,
        "references": references,
        "from_name": parsed.sender_name,
        "to": parsed.recipient,
        "full_text": plain,  # the whole body as received: nothing is lost
        "html_only": html_only,
        "truncated": truncated,
        "attachments": [a.__dict__ for a in parsed.attachments],
        "notes": notes,
        "auto_reply": _is_automatic(parsed, own),
        "sender_verified": not parsed.spf_dkim_failed,
    }
    return Received(channel="email", external_id=message_id[:500], address=sender, payload=payload)
