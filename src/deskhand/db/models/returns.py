"""Returns: what a shopper sends back, for what, and every state it went through.

Orders may live in another system (the Store port), so a return keeps the store's order id
and number and a copy of each line it covers, not a foreign key into the embedded store.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from deskhand.db.models.base import Base


class ReturnRequest(Base):
    """One return (an RMA) of one order."""

    __tablename__ = "returns"
    __table_args__ = (
        UniqueConstraint("brand_id", "rma"),
        UniqueConstraint("brand_id", "submit_key"),  # a double submit finds the first
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    rma: Mapped[str] = mapped_column(String(32))
    order_id: Mapped[int] = mapped_column(Integer, index=True)  # the store's order id
    order_number: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int] = mapped_column(Integer, index=True)
    email: Mapped[str] = mapped_column(String(320))  # where state changes are emailed
    language: Mapped[str] = mapped_column(String(8))  # the shopper's, for those emails
    state: Mapped[str] = mapped_column(String(16))  # domain.returns.ReturnState
    resolution: Mapped[str] = mapped_column(String(16))  # domain.returns.Resolution
    reason: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str] = mapped_column(Text, default="")
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3))
    items_value: Mapped[int]  # minor units
    return_shipping: Mapped[int]
    refund_amount: Mapped[int]
    store_credit: Mapped[int]
    exchange_difference: Mapped[int]
    provider: Mapped[str] = mapped_column(String(16))  # domain.vocabulary.ReturnsProviderKind
    provider_ref: Mapped[str | None] = mapped_column(String(100))
    submit_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="ret", order_by="ReturnLine.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[ReturnEvent]] = relationship(
        back_populates="ret", order_by="ReturnEvent.id", cascade="all, delete-orphan"
    )


class ReturnLine(Base):
    """One line item of the order, and how many of it go back."""

    __tablename__ = "return_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    line_item_id: Mapped[int] = mapped_column(Integer)  # the store's line item id
    title: Mapped[str] = mapped_column(String(200))
    variant: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int]
    unit_price: Mapped[int]
    exchange_variant_id: Mapped[int | None] = mapped_column(Integer)
    exchange_variant: Mapped[str | None] = mapped_column(String(200))
    ret: Mapped[ReturnRequest] = relationship(back_populates="lines")


class ReturnEvent(Base):
    """One step of a return's timeline: the state it entered, who moved it, when."""

    __tablename__ = "return_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(16))  # "customer" | "staff" | "provider" | "system"
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    ret: Mapped[ReturnRequest] = relationship(back_populates="events")
