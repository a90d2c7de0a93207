"""The embedded store's data: customers, catalogue, orders and shipments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from deskhand.db.models.base import Base


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


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("brand_id", "handle"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    handle: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", order_by="Variant.position"
    )


class Variant(Base):
    """One buyable version of a product; stock is what can still be sold."""

    __tablename__ = "variants"
    __table_args__ = (UniqueConstraint("brand_id", "sku"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))  # "M / Navy"
    size: Mapped[str | None] = mapped_column(String(32))
    colour: Mapped[str | None] = mapped_column(String(32))
    price: Mapped[int]  # minor units of the brand's currency
    stock: Mapped[int]
    product: Mapped[Product] = relationship(back_populates="variants")


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
    fulfillment_orders: Mapped[list[FulfillmentOrder]] = relationship(
        back_populates="order", order_by="FulfillmentOrder.id", cascade="all, delete-orphan"
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


class FulfillmentOrder(Base):
    """A shop's plan to ship some of an order's items from one location (Shopify's
    FulfillmentOrder): while it is open or scheduled its items can still be changed; once
    the warehouse works on it (in progress), holds it or closes it, they cannot.

    `line_item_ids` are our line items it still has to ship (remaining quantity above 0).
    The embedded store may keep its own (the demo's order being packed); without one, its
    items are changeable until they ship. What they lock: `commerce/packing.py`.
    """

    __tablename__ = "fulfillment_orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # domain.orders.FulfillmentOrderStatus
    location: Mapped[str] = mapped_column(String(200), default="")
    line_item_ids: Mapped[list[Any]]
    order: Mapped[Order] = relationship(back_populates="fulfillment_orders")


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
