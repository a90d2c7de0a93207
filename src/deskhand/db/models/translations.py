"""Help-centre articles that are translations of one another, and which of them are behind."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class ArticleTranslation(Base):
    """One article's place in a group of translations (the group is named by a slug).

    Every change to an up-to-date member raises the group's version and this member's; a
    member whose version is below the group's newest is outdated until it is edited.
    """

    __tablename__ = "article_translations"
    __table_args__ = (Index("ix_article_translations_group", "brand_id", "group_slug"),)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    group_slug: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime]
