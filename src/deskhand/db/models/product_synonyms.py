"""The brand's own names for its products ("theekoker" for the Travel Kettle)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class ProductSynonym(Base):
    """One more word a shopper may use for a product, by the product's catalogue title (the
    title is what order lines carry, on every store adapter)."""

    __tablename__ = "product_synonyms"
    __table_args__ = (UniqueConstraint("brand_id", "product_title", "word"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    product_title: Mapped[str] = mapped_column(String(200))
    word: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
