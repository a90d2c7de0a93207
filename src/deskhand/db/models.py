"""SQLAlchemy models. Every row belongs to a brand; money is integer minor units."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware datetimes as UTC; SQLite drops the zone, so put it back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Brand(Base):
    __tablename__ = "brands"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    languages: Mapped[list[Any]]
    default_language: Mapped[str] = mapped_column(String(8))
    policy: Mapped[dict[str, Any]]
    shop_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime]


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("brand_id", "email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("brand_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    placed_at: Mapped[datetime]
    currency: Mapped[str] = mapped_column(String(3))
    cancelled_at: Mapped[datetime | None]
    shipping_address: Mapped[dict[str, Any]]
    tags: Mapped[list[Any]]
    items: Mapped[list[LineItem]] = relationship(
        back_populates="order", order_by="LineItem.position", cascade="all, delete-orphan"
    )
    shipments: Mapped[list[Shipment]] = relationship(
        back_populates="order", order_by="Shipment.id", cascade="all, delete-orphan"
    )


class Shipment(Base):
    __tablename__ = "shipments"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(64))
    tracking_number: Mapped[str] = mapped_column(String(64))
    tracking_url: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(32))
    shipped_at: Mapped[datetime]
    eta: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None]
    order: Mapped[Order] = relationship(back_populates="shipments")


class LineItem(Base):
    __tablename__ = "line_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    variant: Mapped[str] = mapped_column(String(200))
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int]
    unit_price: Mapped[int]
    status: Mapped[str] = mapped_column(String(32))
    personalised: Mapped[bool] = mapped_column(Boolean, default=False)
    preorder: Mapped[bool] = mapped_column(Boolean, default=False)
    final_sale: Mapped[bool] = mapped_column(Boolean, default=False)
    gift_card: Mapped[bool] = mapped_column(Boolean, default=False)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variants.id"), index=True)
    order: Mapped[Order] = relationship(back_populates="items")


class Article(Base):
    """A knowledge-base article; its chunks and embeddings live in models_knowledge."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("brand_id", "slug"),
        Index("ix_articles_brand_source", "brand_id", "source"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    slug: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(8))
    topic: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime]
    # What was added (a file, a URL, a crawl's start URL); a crawl adds one article per page.
    origin: Mapped[str] = mapped_column(String(500), default="", server_default="")
    format: Mapped[str] = mapped_column(String(16), default="markdown", server_default="markdown")
    content_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")


class Conversation(Base):
    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), default="open")
    language: Mapped[str] = mapped_column(String(8))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    verified_at: Mapped[datetime | None]
    state: Mapped[dict[str, Any]]
    client_key: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Message(Base):
    __tablename__ = "messages"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))  # "shopper" | "agent"
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(String(100))
    blocks: Mapped[list[Any]]
    meta: Mapped[dict[str, Any]]
    # Shopper messages from the web chat: the shop page they wrote from (url, title, product_id).
    context: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]


class VerificationCode(Base):
    """A one-time code sent to an address; only its hash is kept."""

    __tablename__ = "verification_codes"
    __table_args__ = (Index("ix_verification_codes_address_created", "address", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    address: Mapped[str] = mapped_column(String(320))
    client_key: Mapped[str] = mapped_column(String(128), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    consumed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class OutboxMessage(Base):
    """A side effect that leaves the process, written in the same transaction as its cause."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "email" | "sms"
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # Delivery by the worker (jobs/worker.py); the columns below came with the messaging work.
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversations.id"))
    payload: Mapped[dict[str, Any] | None]  # channel extras: HTML part, threading headers
    after_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))  # send after this one
    next_attempt_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]  # a worker is delivering it until then
    provider_ref: Mapped[str | None] = mapped_column(String(64), index=True)  # Twilio's SM…
    provider_status: Mapped[str | None] = mapped_column(String(32))


class AnalyticsEvent(Base):
    __tablename__ = "analytics_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(64))
    props: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


# Each area keeps its tables in its own module; importing them here puts every table on
# Base.metadata for Alembic and the tests.
from deskhand.db import (  # noqa: E402, F401
    models_channels,
    models_commerce,
    models_hub,
    models_knowledge,
    models_messaging,
)
