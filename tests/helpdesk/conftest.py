"""The helpdesk tests: console members of each role, and the messaging channels."""

from tests.console.conftest import admin, db, owner, viewer  # noqa: F401
from tests.fakes.channels import (  # noqa: F401
    channel_settings,
    channels,
    fake_twilio,
    smtp_server,
)
