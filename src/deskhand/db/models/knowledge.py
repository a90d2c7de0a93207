"""The knowledge base: articles, their embedded passages, freshness and consistency findings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class Article(Base):
    """A knowledge-base article; its embedded passages are KnowledgeChunk rows."""

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
