"""Deliver an outbox row of kind "sms" or "whatsapp" through Twilio's Messages API."""

from __future__ import annotations

from deskhand.channels.twilio.client import TwilioClient
from deskhand.config import Settings
from deskhand.jobs.transport import Outgoing, Sent, TransportError

STATUS_PATH = "/webhooks/twilio/status"
INBOUND_PATH = "/webhooks/twilio/messages"


def webhook_base(settings: Settings) -> str:
    return (settings.webhook_base_url or settings.base_url).rstrip("/")


class TwilioTransport:
    name = "twilio"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = TwilioClient(
            settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_api_base
        )

    def params(self, item: Outgoing) -> dict[str, str]:
        s = self.settings
        params = {
            "To": item.recipient,
            "Body": item.body,
            "StatusCallback": webhook_base(s) + STATUS_PATH,
        }
        if item.kind == "whatsapp":
            if not s.twilio_whatsapp_from:
                raise TransportError(
                    "WhatsApp is not configured: set DESKHAND_TWILIO_WHATSAPP_FROM", permanent=True
                )
            params["From"] = f"whatsapp:{s.twilio_whatsapp_from}"
        elif s.twilio_messaging_service_sid:
            params["MessagingServiceSid"] = s.twilio_messaging_service_sid
        elif s.twilio_from:
            params["From"] = s.twilio_from
        else:
            raise TransportError(
                "SMS sender missing: set DESKHAND_TWILIO_MESSAGING_SERVICE_SID or "
                "DESKHAND_TWILIO_FROM",
                permanent=True,
            )
        return params

    def deliver(self, item: Outgoing) -> Sent:
        # Twilio's Messages API takes no idempotency key: the outbox claims each row once and
        # records the returned sid, so a row is sent again only if the worker died mid-call.
        message = self.client.send_message(self.params(item))
        return Sent(provider_ref=message.get("sid"), provider_status=message.get("status"))
