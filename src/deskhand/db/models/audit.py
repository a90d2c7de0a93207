"""Deskhand's own record of what shoppers changed on their orders (whatever store holds them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class OrderHistory(Base):
    """One change to an order: who, through what, what, before and after, when."""

    __tablename__ = "order_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    line_item_id: Mapped[int | None] = mapped_column(ForeignKey("line_items.id"))
    actor: Mapped[str] = mapped_column(String(16))  # "customer" | "staff" | "system"
    actor_id: Mapped[int | None] = mapped_column(Integer)
    via: Mapped[str] = mapped_column(String(16))  # "hub"
    hub_session_id: Mapped[int | None] = mapped_column(ForeignKey("hub_sessions.id"))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any]]
    after: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
