"""Send outbox email over SMTP: multipart/alternative (text + HTML) with threading headers."""

from __future__ import annotations

import hashlib
import hmac
import smtplib
import ssl
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from deskhand.config import Settings
from deskhand.jobs.transport import Outgoing, Sent, TransportError

TIMEOUT_SECONDS = 20


def smtp_unavailable(settings: Settings) -> str | None:
    """Why email cannot be sent, or None when it can."""
    if not settings.smtp_host:
        return "SMTP is not configured: set DESKHAND_SMTP_HOST (and DESKHAND_SMTP_FROM)"
    if "@" not in parseaddr(settings.smtp_from)[1]:
        return "DESKHAND_SMTP_FROM needs an address, e.g. 'Shop <help@shop.example>'"
    return None


def stable_message_id(item: Outgoing, settings: Settings, sender: str) -> str:
    """The same Message-ID on every attempt of one outbox row: should a crash make the worker
    send it twice (at-least-once), mail systems see one message. Keyed with the installation's
    secret, so it neither repeats across installations nor gives the row away."""
    mac = hmac.new(settings.resolved_secret_key().encode(), b"message-id:", hashlib.sha256)
    mac.update(item.idempotency_key.encode())
    return f"<{mac.hexdigest()[:32]}@{sender.rsplit('@')[-1]}>"


def build_message(item: Outgoing, settings: Settings) -> EmailMessage:
    payload = item.payload or {}
    name, address = parseaddr(settings.smtp_from)
    msg = EmailMessage()
    display = payload.get("from_name") or name
    msg["From"] = Address(display_name=display, addr_spec=address) if display else address
    msg["To"] = item.recipient
    msg["Subject"] = item.subject
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = payload.get("message_id") or stable_message_id(item, settings, address)
    if payload.get("in_reply_to"):
        msg["In-Reply-To"] = payload["in_reply_to"]
    if payload.get("references"):
        msg["References"] = " ".join(payload["references"])
    # RFC 3834: an automatic answer, so other responders (out-of-office) do not answer it.
    msg["Auto-Submitted"] = "auto-replied" if payload.get("in_reply_to") else "auto-generated"
    msg.set_content(item.body)
    if payload.get("html"):
        msg.add_alternative(payload["html"], subtype="html")
    return msg


class SmtpTransport:
    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def deliver(self, item: Outgoing) -> Sent:
        s = self.settings
        msg = build_message(item, s)
        try:
            if s.smtp_security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.smtp_host,
                    s.smtp_port,
                    timeout=TIMEOUT_SECONDS,
                    context=ssl.create_default_context(),
                )
            else:
                client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT_SECONDS)
            with client:
                if s.smtp_security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if s.smtp_user:
                    client.login(s.smtp_user, s.smtp_password)
                refused = client.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise TransportError(
                f"recipient refused: {code} {text!r}", permanent=code >= 500
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise TransportError(
                f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", permanent=exc.smtp_code >= 500
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(f"SMTP: {type(exc).__name__}: {exc}", permanent=False) from None
        if refused:
            raise TransportError(f"recipient refused: {refused}", permanent=True)
        return Sent(provider_ref=str(msg["Message-ID"])[:64], provider_status="sent")
