"""SQLAlchemy models of the channels area (kept apart so areas can grow independently)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models import Base


class WidgetSettings(Base):
    """How one brand's web chat widget looks and greets; a brand without a row gets defaults."""

    __tablename__ = "widget_settings"
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    accent_colour: Mapped[str] = mapped_column(String(7))  # "#2f6b4f"
    position: Mapped[str] = mapped_column(String(8), default="right")  # "right" | "left"
    greetings: Mapped[dict[str, Any]]  # language -> greeting; missing ones use the default
    updated_at: Mapped[datetime]
