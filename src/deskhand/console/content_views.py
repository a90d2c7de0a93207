"""What the Content page shows beyond the articles: which articles the agent used most and
the questions that found no answer (content gaps), read from the stored transcripts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db.models import Message, PreviewConversation

LOOK_BACK = timedelta(days=30)
SCAN_LIMIT = 5000  # the newest agent messages read


@dataclass(frozen=True)
class Gap:
    question: str
    asked_at: datetime


def _recent_agent_messages(session: Session, brand_id: int, now: datetime) -> list[Message]:
    previews = select(PreviewConversation.conversation_id)
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.brand_id == brand_id,
                Message.role == "agent",
                Message.created_at >= now - LOOK_BACK,
                Message.conversation_id.not_in(previews),
            )
            .order_by(Message.created_at.desc())
            .limit(SCAN_LIMIT)
        )
    )


def most_used_articles(session: Session, brand_id: int, now: datetime) -> list[tuple[str, int]]:
    """Article titles by how many answers cited them in the last 30 days."""
    used: Counter[str] = Counter()
    for message in _recent_agent_messages(session, brand_id, now):
        for block in message.blocks:
            if isinstance(block, dict) and block.get("type") == "sources":
                used.update({str(a.get("title", "")) for a in block.get("articles", [])})
    return used.most_common(10)


def content_gaps(session: Session, brand_id: int, now: datetime) -> list[Gap]:
    """The shopper questions the knowledge base had no answer for, newest first."""
    missed = [
        m
        for m in _recent_agent_messages(session, brand_id, now)
        if m.meta.get("outcome") == "no_answer"
    ][:20]
    gaps: list[Gap] = []
    for m in missed:
        question = session.scalar(
            select(Message.text).where(
                Message.conversation_id == m.conversation_id,
                Message.seq == m.seq - 1,
                Message.role == "shopper",
            )
        )
        if question:
            gaps.append(Gap(question[:300], m.created_at))
    return gaps
