"""What privacy work did: which conversations were redacted, when and why (no personal data)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class Redaction(Base):
    """A conversation whose transcript was redacted: a shopper erased, or retention ran out.

    The conversation, its messages' order and their intents stay (metrics); what the
    shopper wrote, the agent's blocks, page context and addresses are gone.
    """

    __tablename__ = "redactions"
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # "erasure" | "retention"
    redacted_at: Mapped[datetime]
