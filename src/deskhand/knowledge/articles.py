"""Knowledge-base articles: the demo help centre, and looking an article up by its slug."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.knowledge.ingest import after_change, store_document
from deskhand.knowledge.parsers import parse_markdown

DEMO_ARTICLES = Path(__file__).parent / "demo_articles"


def seed_demo_articles(session: Session, brand_id: int, now: datetime) -> None:
    """Ingest the demo help centre: articles, chunks and stored embeddings, then one check."""
    brand = session.get_one(models.Brand, brand_id)
    for path in sorted(DEMO_ARTICLES.glob("*.md")):
        doc = parse_markdown(path.name, path.read_text(encoding="utf-8"))
        store_document(
            session,
            brand,
            doc,
            source=f"demo:{path.name}",
            language="en",
            slug=path.stem,
            now=now,
            check=False,
        )
    after_change(session, brand, now)


def article_by_slug(session: Session, brand_id: int, slug: str) -> models.Article | None:
    return session.scalar(
        select(models.Article).where(
            models.Article.brand_id == brand_id, models.Article.slug == slug
        )
    )
