"""Knowledge-base articles: the demo help centre (six languages), and looking one up by slug."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.knowledge.ingest import after_change, store_document
from deskhand.knowledge.parsers import parse_markdown

DEMO_ARTICLES = Path(__file__).parent / "demo_articles"
TRANSLATED = ("de", "nl", "sv", "fr", "es")  # demo_articles/<lang>/: the English, translated


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
            translation_of=path.stem,
        )
    # The same help centre in the brand's other languages, linked as translations.
    for lang in TRANSLATED:
        for path in sorted((DEMO_ARTICLES / lang).glob("*.md")):
            doc = parse_markdown(path.name, path.read_text(encoding="utf-8"))
            store_document(
                session,
                brand,
                doc,
                source=f"demo:{lang}/{path.name}",
                language=lang,
                slug=f"{path.stem}-{lang}",
                now=now,
                check=False,
                translation_of=path.stem,
            )
    after_change(session, brand, now)


def article_by_slug(session: Session, brand_id: int, slug: str) -> models.Article | None:
    return session.scalar(
        select(models.Article).where(
            models.Article.brand_id == brand_id, models.Article.slug == slug
        )
    )
