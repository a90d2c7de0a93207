"""One settings object, read from DESKHAND_* environment variables."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESKHAND_", extra="ignore")

    data_dir: Path = Path("./deskhand-data")
    database_url: str = ""  # empty: SQLite file in data_dir
    demo: bool = False  # enables the dev outbox and demo seeding
    secret_key: str = Field(default="", repr=False)
    # Earlier secret keys, comma-separated: sealed credentials still open with them until
    # they are sealed again under the current key (key rotation, `db/sealed.py`).
    previous_secret_keys: str = Field(default="", repr=False)
    base_url: str = "http://127.0.0.1:8000"
    code_ttl_minutes: int = 10
    code_max_failures: int = 5
    code_lockout_minutes: int = 15
    codes_per_address_per_hour: int = 5
    codes_per_client_per_hour: int = 10
    messages_per_minute: int = 30
    conversations_per_minute: int = 20
    max_message_chars: int = 4000
    # Shared store for the API's rate limits (redis://host:6379/0); empty: in process memory.
    redis_url: str = Field(default="", repr=False)
    # Tests only: let knowledge-base imports fetch from 127.0.0.1 and other private addresses.
    allow_private_urls: bool = False

    # -- messaging channels (SMS and WhatsApp through Twilio; email) ----------------------
    # Public address Twilio and the mail provider call (it is part of Twilio's signature);
    # empty: base_url.
    webhook_base_url: str = ""
    twilio_account_sid: str = ""
    twilio_auth_token: str = Field(default="", repr=False)
    twilio_messaging_service_sid: str = ""  # send from a Messaging Service ...
    twilio_from: str = ""  # ... or from this number (E.164)
    twilio_whatsapp_from: str = ""  # the WhatsApp sender, E.164 without "whatsapp:"
    twilio_api_base: str = "https://api.twilio.com"
    # True: Twilio answers STOP/START/HELP itself (its default on long codes and toll-free
    # numbers); we only record opt-outs. False (short codes): Deskhand answers them.
    twilio_answers_keywords: bool = True
    sms_max_segments: int = 3  # longer replies go out as numbered parts
    mailgun_signing_key: str = Field(default="", repr=False)
    sendgrid_inbound_secret: str = Field(default="", repr=False)  # secret path segment
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = Field(default="", repr=False)
    smtp_from: str = ""  # e.g. "Fjord & Finch <help@fjordfinch.example>"
    smtp_security: str = "starttls"  # "starttls" | "ssl" | "none"
    email_max_bytes: int = 30 * 1024 * 1024  # largest inbound webhook body accepted
    conversation_resume_hours: int = 24  # continue a shopper's open conversation this long
    # Redact transcripts untouched this many days (the worker's chore); 0 keeps them.
    transcript_retention_days: int = 0
    outbox_max_attempts: int = 8
    outbox_backoff_seconds: float = 5.0  # first retry delay; doubles, capped at one hour
    worker_poll_seconds: float = 1.0
    # A claimed outbox row belongs to its worker this long; a worker that dies leaves it to
    # be claimed again when the lease runs out.
    outbox_lease_seconds: float = 300.0
    # Deliver the outbox from a thread inside each app process; false when separate
    # `deskhand worker` processes do it (several app processes, Kubernetes).
    inline_worker: bool = True
    shopify_reconcile_minutes: int = 15  # re-read what changed in Shopify (missed webhooks)
    # A public Shopify app's credentials (Partner Dashboard): with both, the console offers
    # "Install from Shopify" (OAuth) beside pasting a custom app's token. Its redirect URL is
    # {base_url}/admin/shopify/callback.
    shopify_client_id: str = ""
    shopify_client_secret: str = Field(default="", repr=False)
    shopify_scopes: str = (
        "read_customers,read_products,read_orders,write_orders,write_order_edits,"
        "read_merchant_managed_fulfillment_orders"
    )
    # Tests only (with allow_private_urls): the fake Shopify's address instead of https://{shop}.
    shopify_test_endpoint: str = ""

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'deskhand.db').resolve()}"

    def resolved_secret_key(self) -> str:
        """The signing key; outside demo mode a real one must be configured."""
        if self.secret_key:
            if len(self.secret_key) < 32:
                raise ValueError("DESKHAND_SECRET_KEY must be at least 32 characters")
            return self.secret_key
        if not self.demo:
            raise ValueError("DESKHAND_SECRET_KEY is required outside demo mode")
        key_file = self.data_dir / "secret.key"
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            write_private(key_file, secrets.token_urlsafe(48))
        return key_file.read_text().strip()


def write_private(path: Path, text: str) -> None:
    """Create a file only its owner can read (0600), whatever the umask: it holds a secret."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


@lru_cache
def get_settings() -> Settings:
    return Settings()
