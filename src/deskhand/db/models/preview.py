"""Agent Preview: conversations a team member holds with the agent in the console.

They are real conversations of the agent (same pipeline) marked here as previews, so the
dashboard and every metric leave them out; `turns` keeps each reply's diagnostics.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class PreviewConversation(Base):
    __tablename__ = "preview_conversations"
    conversation_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("conversations.id"), primary_key=True
    )
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("team_members.id"), index=True)
    as_customer: Mapped[str] = mapped_column(String(320), default="")  # "" : an anonymous shopper
    turns: Mapped[list[Any]]  # one diagnostics record per agent reply
    created_at: Mapped[datetime]
