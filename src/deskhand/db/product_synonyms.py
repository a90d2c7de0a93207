"""A brand's product synonyms: read by the agent's product matcher, edited by
`deskhand synonyms`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from deskhand.db import models

MAX_WORD = 100


class BadSynonym(ValueError):
    """An empty or over-long word or title."""


def synonyms_of(session: Session, brand_id: int) -> dict[str, list[str]]:
    """Product title -> the brand's extra words for it."""
    rows = session.scalars(
        select(models.ProductSynonym)
        .where(models.ProductSynonym.brand_id == brand_id)
        .order_by(models.ProductSynonym.product_title, models.ProductSynonym.word)
    )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row.product_title, []).append(row.word)
    return found


def _clean(word: str, title: str) -> tuple[str, str]:
    word, title = " ".join(word.split()), " ".join(title.split())
    if not word or not title or len(word) > MAX_WORD or len(title) > 200:
        raise BadSynonym("a synonym needs a product title and a word of 1-100 characters")
    return word, title


def add_synonym(session: Session, brand_id: int, title: str, word: str, now: datetime) -> bool:
    """Add a word for the product; False when the brand already has it."""
    word, title = _clean(word, title)
    exists = session.scalar(
        select(models.ProductSynonym.id).where(
            models.ProductSynonym.brand_id == brand_id,
            models.ProductSynonym.product_title == title,
            models.ProductSynonym.word == word,
        )
    )
    if exists is not None:
        return False
    session.add(
        models.ProductSynonym(brand_id=brand_id, product_title=title, word=word, created_at=now)
    )
    session.flush()
    return True


def remove_synonym(session: Session, brand_id: int, title: str, word: str) -> bool:
    word, title = _clean(word, title)
    result = session.execute(
        delete(models.ProductSynonym).where(
            models.ProductSynonym.brand_id == brand_id,
            models.ProductSynonym.product_title == title,
            models.ProductSynonym.word == word,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]  # a DELETE returns a CursorResult
