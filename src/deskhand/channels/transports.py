"""The transport registry: which Transport delivers each outbox kind, as configured."""

from __future__ import annotations

from collections.abc import Callable

from deskhand.channels.email.smtp import SmtpTransport, smtp_unavailable
from deskhand.channels.twilio.adapter import TwilioTransport
from deskhand.channels.twilio.client import twilio_unavailable
from deskhand.config import Settings
from deskhand.jobs.transport import Transport
from deskhand.jobs.worker import DevOutbox, Unconfigured


def transports_for(settings: Settings) -> dict[str, Transport]:
    """The transport of each outbox kind; a missing configuration fails (or, in the demo,
    keeps the message in the dev outbox) and says which settings are missing."""

    def pick(reason: str | None, make: Callable[[], Transport]) -> Transport:
        if reason is None:
            return make()
        return DevOutbox() if settings.demo else Unconfigured(reason)

    twilio = pick(twilio_unavailable(settings), lambda: TwilioTransport(settings))
    return {
        "sms": twilio,
        "whatsapp": twilio,
        "email": pick(smtp_unavailable(settings), lambda: SmtpTransport(settings)),
    }
