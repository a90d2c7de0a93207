"""The shopper's own word on a conversation: `conversation.confirmed` and `.reopened`.

Confirmed: the shopper thanks the agent or says goodbye right after an answer (the last
request's reply had an answering outcome) and nobody was handed the conversation. Reopened:
after that, the shopper asks about the same thing again in the same conversation. Each is
recorded once per conversation, in the same transaction as the turn; the dashboard's
resolution rules (`analytics/resolution.py`, docs/metrics.md) count them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.analytics.events import record
from deskhand.analytics.metrics import CONFIRMED, REOPENED, REPLIED
from deskhand.analytics.resolution import ANSWERING, HANDOFF, NOT_A_REQUEST
from deskhand.db import models
from deskhand.domain.vocabulary import Intent

THANKS_OR_BYE = frozenset({Intent.THANKS, Intent.GOODBYE})


def note_turn(
    session: Session, brand_id: int, conversation_id: str, intent: str, now: datetime
) -> str | None:
    """Record what the shopper's message (read as `intent`) says about the conversation
    being resolved, before this turn's reply is recorded; the event's name, if any."""
    if intent not in THANKS_OR_BYE and intent in NOT_A_REQUEST:
        return None
    events = session.scalars(
        select(models.AnalyticsEvent)
        .where(
            models.AnalyticsEvent.brand_id == brand_id,
            models.AnalyticsEvent.conversation_id == conversation_id,
            models.AnalyticsEvent.name.in_((REPLIED, CONFIRMED, REOPENED)),
        )
        .order_by(models.AnalyticsEvent.created_at, models.AnalyticsEvent.id)
    ).all()
    names = {e.name for e in events}
    replies = [e.props for e in events if e.name == REPLIED]
    if REOPENED in names or any(r.get("outcome") in HANDOFF for r in replies):
        return None
    if intent in THANKS_OR_BYE:
        if CONFIRMED in names:
            return None
        requests = [r for r in replies if r.get("intent") not in NOT_A_REQUEST]
        if not requests or requests[-1].get("outcome") not in ANSWERING:
            return None
        record(session, brand_id, conversation_id, CONFIRMED, {"via": intent}, now)
        return CONFIRMED
    if CONFIRMED not in names:
        return None
    confirmed_at = next(i for i, e in enumerate(events) if e.name == CONFIRMED)
    asked = {
        e.props.get("intent")
        for e in events[:confirmed_at]
        if e.name == REPLIED and e.props.get("intent") not in NOT_A_REQUEST
    }
    if intent not in asked:
        return None  # a new question: the confirmed one stays resolved
    record(session, brand_id, conversation_id, REOPENED, {"intent": intent}, now)
    return REOPENED
