"""The port through which a team member's message leaves on SMS, WhatsApp or email.

`serving` sits below `channels` and may not import it: the app (`web/app.py`) passes the
channels' implementation (`channels/team_replies.send_team_reply`) into `AppState`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from deskhand.db import models


class ChannelSender(Protocol):
    """Render `blocks` for the conversation's own channel (SMS, WhatsApp, email) and put them
    in the outbox in this transaction; False when the conversation has no such address."""

    def __call__(
        self,
        session: Session,
        *,
        brand: models.Brand,
        conv: models.Conversation,
        blocks: Sequence[Mapping[str, Any]],
        key: str,
        now: datetime,
    ) -> bool: ...
