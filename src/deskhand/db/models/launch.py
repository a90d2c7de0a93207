"""Safe launch: whether a brand's agent is live, or in test mode answering only test addresses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class AgentLaunch(Base):
    """No row: test mode (a new brand's agent starts there until an owner or admin publishes)."""

    __tablename__ = "agent_launch"
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    live: Mapped[bool]
    test_addresses: Mapped[list[Any]]  # normalised emails and E.164 phone numbers
    published_at: Mapped[datetime | None]
    changed_at: Mapped[datetime]
