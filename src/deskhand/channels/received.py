"""What every messaging channel hands over: one received message, before it is kept.

Its own module, below both the channels' webhook parsers (Twilio, email) and the pipeline
that answers (`channels.inbound`), which itself uses the channels' threading and keywords.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Received:
    """A message as a channel hands it over: where to answer, and what it said."""

    channel: str
    external_id: str
    address: str  # where replies go: "+31…", "whatsapp:+31…", "ava@example.com"
    payload: dict[str, Any]  # "text" (what the agent reads) plus the channel's own fields
