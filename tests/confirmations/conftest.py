"""Confirmations: the app behind a fake Twilio and a local SMTP server, and a Hub shopper."""

from tests.fakes.channels import (  # noqa: F401
    channel_settings,
    channels,
    fake_twilio,
    smtp_server,
)
