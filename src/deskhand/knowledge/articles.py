"""Knowledge-base articles: Markdown with a small front matter, stored per brand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models

DEMO_ARTICLES = Path(__file__).parent / "demo_articles"


@dataclass(frozen=True)
class ArticleText:
    slug: str
    title: str
    topic: str
    body: str


def parse_markdown_article(slug: str, text: str) -> ArticleText:
    """Split `---`-fenced `key: value` front matter from the Markdown body."""
    meta: dict[str, str] = {}
    body = text
    if text.startswith("---\n"):
        head, sep, rest = text[4:].partition("\n---\n")
        if not sep:
            raise ValueError(f"{slug}: front matter is not closed with '---'")
        for line in head.splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
        body = rest
    title = meta.get("title") or next(
        (ln.lstrip("# ").strip() for ln in body.splitlines() if ln.startswith("# ")), slug
    )
    return ArticleText(slug=slug, title=title, topic=meta.get("topic", "general"), body=body)


def seed_demo_articles(session: Session, brand_id: int, now: datetime) -> None:
    for path in sorted(DEMO_ARTICLES.glob("*.md")):
        art = parse_markdown_article(path.stem, path.read_text(encoding="utf-8"))
        session.add(
            models.Article(
                brand_id=brand_id,
                slug=art.slug,
                title=art.title,
                language="en",
                topic=art.topic,
                body=art.body,
                url=f"/help/{art.slug}",
                source=f"demo:{path.name}",
                updated_at=now,
            )
        )


def articles_on(session: Session, brand_id: int, topic: str) -> list[models.Article]:
    """The brand's articles filed under one policy topic."""
    return list(
        session.scalars(
            select(models.Article)
            .where(models.Article.brand_id == brand_id, models.Article.topic == topic)
            .order_by(models.Article.id)
        )
    )


def article_by_slug(session: Session, brand_id: int, slug: str) -> models.Article | None:
    return session.scalar(
        select(models.Article).where(
            models.Article.brand_id == brand_id, models.Article.slug == slug
        )
    )


def first_passage(body: str) -> str:
    """The first paragraph under the first second-level heading: the article's short answer."""
    lines = body.splitlines()
    paragraph: list[str] = []
    started = False
    for line in lines:
        if line.startswith("## "):
            if started and paragraph:
                break
            started = True
            continue
        if started and line.strip():
            paragraph.append(line.strip())
        elif started and paragraph:
            break
    return " ".join(paragraph)
