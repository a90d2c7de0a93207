"""Fixtures for the messaging channels: the app wired to a fake Twilio and a local SMTP server.

Import the fixtures into a conftest: `from tests.fakes.channels import channels, ...`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from deskhand.channels.transports import transports_for
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.models import InboundMessage
from deskhand.db.session import transaction
from deskhand.jobs.worker import deliver_due
from deskhand.serving.deps import AppState
from deskhand.web.app import create_app
from tests.fakes.fake_mail import MAILGUN_KEY, SmtpServer, mailgun_fields
from tests.fakes.fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    SMS_NUMBER,
    WHATSAPP_NUMBER,
    FakeTwilio,
    inbound_params,
    twilio_signature,
)

SENDGRID_SECRET = "sendgrid-path-secret-0123456789"
AVA_PHONE, BEN_PHONE = "+31612345678", "+4915112345678"
STRANGER_PHONE = "+31699999999"


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def channel_settings(
    settings: Settings, fake_twilio: FakeTwilio, smtp_server: SmtpServer
) -> Settings:
    return settings.model_copy(
        update={
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": AUTH_TOKEN,
            "twilio_from": SMS_NUMBER,
            "twilio_whatsapp_from": WHATSAPP_NUMBER,
            "twilio_api_base": fake_twilio.base_url,
            "mailgun_signing_key": MAILGUN_KEY,
            "sendgrid_inbound_secret": SENDGRID_SECRET,
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_server.port,
            "smtp_security": "none",
            "smtp_from": "Fjord & Finch <help@fjordfinch.example>",
            "outbox_backoff_seconds": 0.0,
        }
    )


class Channels:
    """The app behind Twilio and Mailgun, as those vendors would call it."""

    def __init__(
        self,
        client: TestClient,
        settings: Settings,
        twilio: FakeTwilio,
        smtp: SmtpServer,
    ) -> None:
        self.client, self.settings, self.twilio, self.smtp = client, settings, twilio, smtp
        self.state: AppState = client.app.state.deskhand  # type: ignore[attr-defined]

    # -- Twilio -> us -----------------------------------------------------------------
    def post_twilio(self, path: str, params: dict[str, str], sign: bool = True) -> httpx.Response:
        url = f"{self.settings.base_url}{path}"
        headers = {"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, url, params)} if sign else {}
        return self.client.post(url, data=params, headers=headers)

    def sms(self, sender: str, body: str, **extra: Any) -> httpx.Response:
        params = inbound_params(sender, body, **extra)
        self.last_params = params
        return self.post_twilio("/webhooks/twilio/messages", params)

    def whatsapp(self, sender: str, body: str, **extra: Any) -> httpx.Response:
        params = inbound_params(sender, body, whatsapp=True, **extra)
        self.last_params = params
        return self.post_twilio("/webhooks/twilio/messages", params)

    def status(self, message: dict[str, Any], status: str, code: str | None = None) -> Any:
        params = self.twilio.status_params(message, status, code)
        return self.post_twilio("/webhooks/twilio/status", params)

    # -- Mailgun -> us ----------------------------------------------------------------
    def email(self, files: list[tuple[str, tuple[str, bytes, str]]] | None = None, **kw: Any):  # type: ignore[no-untyped-def]
        fields = mailgun_fields(**kw)
        self.last_fields = fields
        if files:
            return self.client.post("/webhooks/email/mailgun", data=fields, files=files)
        return self.client.post("/webhooks/email/mailgun", data=fields)

    # -- the worker and the database ---------------------------------------------------
    def deliver(self) -> dict[int, str]:
        return deliver_due(self.state.sessions, transports_for(self.settings), self.settings)

    def outbox(self, kind: str | None = None) -> list[models.OutboxMessage]:
        with transaction(self.state.sessions) as session:
            query = select(models.OutboxMessage).order_by(models.OutboxMessage.id)
            if kind:
                query = query.where(models.OutboxMessage.kind == kind)
            return list(session.scalars(query))

    def inbound(self) -> list[InboundMessage]:
        with transaction(self.state.sessions) as session:
            return list(session.scalars(select(InboundMessage).order_by(InboundMessage.id)))

    def conversations(self) -> list[models.Conversation]:
        with transaction(self.state.sessions) as session:
            return list(
                session.scalars(
                    select(models.Conversation).order_by(models.Conversation.created_at)
                )
            )

    def transcript(self, conversation_id: str) -> list[models.Message]:
        with transaction(self.state.sessions) as session:
            return list(
                session.scalars(
                    select(models.Message)
                    .where(models.Message.conversation_id == conversation_id)
                    .order_by(models.Message.seq)
                )
            )

    def sent_bodies(self, to: str) -> list[str]:
        return [m["Body"] for m in self.twilio.sent if m["To"] == to]


@pytest.fixture
def channels(
    channel_settings: Settings, demo_db: Engine, fake_twilio: FakeTwilio, smtp_server: SmtpServer
) -> Iterator[Channels]:
    with TestClient(create_app(channel_settings)) as client:
        yield Channels(client, channel_settings, fake_twilio, smtp_server)
