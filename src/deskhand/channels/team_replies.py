"""A team member's reply on SMS, WhatsApp or email: rendered and enqueued like the agent's.

The implementation of `serving/senders.ChannelSender`, wired into the app by `web/app.py`
(with the app's settings bound), so the inbox in `console/` sends without importing
`channels/`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.channels.outgoing import send_reply
from deskhand.config import Settings
from deskhand.db import models
from deskhand.serving.senders import ChannelSender


def team_sender(settings: Settings) -> ChannelSender:
    def send_team_reply(
        session: Session,
        *,
        brand: models.Brand,
        conv: models.Conversation,
        blocks: Sequence[Mapping[str, Any]],
        key: str,
        now: datetime,
    ) -> bool:
        address = session.scalar(
            select(models.ConversationAddress).where(
                models.ConversationAddress.conversation_id == conv.id,
                models.ConversationAddress.channel == conv.channel,
            )
        )
        if address is None:
            return False
        send_reply(
            session,
            settings=settings,
            brand=brand,
            conv=conv,
            address=address,
            blocks=blocks,
            words=Wording(conv.language, brand.timezone, brand.currency),
            key=key,
            inbound=None,
            now=now,
        )
        return True

    return send_team_reply
