"""A brand's handoff settings: where what the agent cannot resolve goes, the "don't hand off"
message and links, business hours and the office-hours message (one row per brand, JSON read
by `helpdesk/settings.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class HandoffSettings(Base):
    """No row means the defaults: the built-in helpdesk, open around the clock."""

    __tablename__ = "handoff_settings"
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
