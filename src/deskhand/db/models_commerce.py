"""The embedded store's catalogue: products and their variants (size, colour, price, stock)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from deskhand.db.models import Base


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
