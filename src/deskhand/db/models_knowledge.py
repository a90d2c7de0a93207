"""SQLAlchemy models of the knowledge area (kept apart so areas can grow independently)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models import Base


class KnowledgeChunk(Base):
    """One retrievable passage of an article: its heading, text and stored embedding."""

    __tablename__ = "kb_chunks"
    __table_args__ = (Index("ix_kb_chunks_brand_text_hash", "brand_id", "text_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(300))
    anchor: Mapped[str] = mapped_column(String(120))  # the heading as a URL fragment
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    text_hash: Mapped[str] = mapped_column(String(64))  # of what was embedded
    model: Mapped[str] = mapped_column(String(64))  # the embedding model that made `embedding`
    embedding: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian, normalised
    created_at: Mapped[datetime]


class KnowledgeVersion(Base):
    """A token that changes with every change to a brand's knowledge base (index freshness)."""

    __tablename__ = "kb_versions"
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(36))
    changed_at: Mapped[datetime]


class KnowledgeFinding(Base):
    """What the last consistency check found: a contradiction with the rules, or a gap."""

    __tablename__ = "kb_findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "contradiction" | "missing_topic" | ...
    facet: Mapped[str] = mapped_column(String(32))  # "return_window", "cancellation", ...
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    message: Mapped[str] = mapped_column(Text)
    excerpt: Mapped[str] = mapped_column(Text, default="")
    expected: Mapped[str] = mapped_column(String(200), default="")
    found: Mapped[str] = mapped_column(String(200), default="")
    checked_at: Mapped[datetime]
