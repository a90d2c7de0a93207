"""Old transcripts purged on a schedule: `DESKHAND_TRANSCRIPT_RETENTION_DAYS` (0 keeps them).

A conversation untouched for longer than that is redacted like an erased shopper's
(`privacy/redact.py`): the words go, the metrics stay. The worker runs it as a chore, at
most once an hour, a batch at a time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.jobs.worker import Chore
from deskhand.privacy.held import Reason
from deskhand.privacy.redact import redact_conversation

EVERY = timedelta(hours=1)
BATCH = 200


def purge_old_transcripts(session: Session, settings: Settings, now: datetime) -> int:
    """Redact up to BATCH conversations older than the retention; returns how many."""
    days = settings.transcript_retention_days
    if days <= 0:
        return 0
    done = select(models.Redaction.conversation_id)
    due = session.scalars(
        select(models.Conversation.id)
        .where(
            models.Conversation.updated_at < now - timedelta(days=days),
            models.Conversation.id.not_in(done),
        )
        .order_by(models.Conversation.updated_at)
        .limit(BATCH)
    ).all()
    for conversation_id in due:
        redact_conversation(session, conversation_id, Reason.RETENTION, now)
    return len(due)


def retention_chore(sessions: sessionmaker[Session], settings: Settings) -> Chore:
    """The worker's chore: purge when an hour has passed since the last full purge."""
    last: list[datetime] = []

    def purge(now: datetime) -> int:
        if settings.transcript_retention_days <= 0 or (last and now - last[0] < EVERY):
            return 0
        with transaction(sessions) as session:
            count = purge_old_transcripts(session, settings, now)
        if count < BATCH:  # caught up: wait an hour; else go on next round
            last[:] = [now]
        return count

    return purge
