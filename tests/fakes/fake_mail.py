"""A local SMTP server (aiosmtpd) that records what it receives, and a Mailgun-style poster.

The Mailgun poster builds the form Mailgun Routes forward() posts (`timestamp`, `token`,
hex HMAC-SHA256 `signature`, `from`, `recipient`, `subject`, `body-plain`, `body-html`,
`message-headers` as JSON pairs), url-encoded or multipart with attachments.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import socket
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

MAILGUN_KEY = "key-fake-mailgun-signing-0123456789"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class RecordingHandler:
    messages: list[Received] = field(default_factory=list)
    refuse_rcpt: dict[str, str] = field(default_factory=dict)  # address -> SMTP reply
    temporary_failures: int = 0  # answer DATA with 451 this many times

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if self.temporary_failures:
            self.temporary_failures -= 1
            return "451 4.3.0 Try again later"
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        self.handler = RecordingHandler()
        with socket.socket() as probe:  # aiosmtpd checks readiness by connecting to the port
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)
        self._port = port

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages


def mailgun_signature(key: str, timestamp: str, token: str) -> str:
    return hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def mailgun_fields(
    *,
    sender: str,
    subject: str,
    body_plain: str | None,
    body_html: str | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    recipient: str = "help@fjordfinch.example",
    extra_headers: list[tuple[str, str]] | None = None,
    key: str = MAILGUN_KEY,
    timestamp: int | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    """The fields of one signed Mailgun inbound POST."""
    message_id = message_id or f"<{secrets.token_hex(8)}@mail.example>"
    headers: list[tuple[str, str]] = [
        ("Received", "from mail.example by mxa.mailgun.org"),
        ("Mime-Version", "1.0"),
        ("From", sender),
        ("To", recipient),
        ("Subject", subject),
        ("Message-Id", message_id),
    ]
    if in_reply_to:
        headers.append(("In-Reply-To", in_reply_to))
    if references:
        headers.append(("References", references))
    headers += extra_headers or []
    ts = str(timestamp if timestamp is not None else int(time.time()))
    tok = token or secrets.token_hex(25)
    fields: dict[str, Any] = {
        "timestamp": ts,
        "token": tok,
        "signature": mailgun_signature(key, ts, tok),
        "recipient": recipient,
        "sender": sender.split("<")[-1].rstrip(">"),
        "from": sender,
        "subject": subject,
        "Message-Id": message_id,
        "message-headers": json.dumps(headers),
    }
    if body_plain is not None:
        fields["body-plain"] = body_plain
        fields["stripped-text"] = body_plain.split("\n\n")[0]
    if body_html is not None:
        fields["body-html"] = body_html
    return fields
