"""Articles that translate one another: linked in a group, and flagged when they fall behind.

A brand that sells in several countries writes its help centre in their languages. The
translations of one article form a group (named by a slug, usually the original's). Each
member carries the group version it matches: editing an up-to-date member raises the
group's version, so every other member becomes outdated; editing an outdated member
(the translator catching up) brings it level again. The agent quotes the passage in the
shopper's language when an up-to-date translation exists (`retrieval.py`), and the
consistency check lists the outdated ones (`consistency.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.models import ArticleTranslation
from deskhand.knowledge.parsers import IngestError


@dataclass(frozen=True)
class Membership:
    group: str
    outdated: bool


@dataclass(frozen=True)
class OutdatedTranslation:
    article_id: int
    title: str
    language: str
    group: str
    newer: tuple[str, ...]  # titles of the members changed since


def _newest(session: Session, brand_id: int, group: str) -> int:
    found = session.scalar(
        select(func.max(ArticleTranslation.version)).where(
            ArticleTranslation.brand_id == brand_id, ArticleTranslation.group_slug == group
        )
    )
    return int(found or 0)


def group_of(session: Session, brand_id: int, slug: str) -> str:
    """The group an article (named by its slug) belongs to: its own, or one named after it.

    Raises IngestError when no article or group has that slug.
    """
    row = session.execute(
        select(ArticleTranslation.group_slug)
        .join(models.Article, models.Article.id == ArticleTranslation.article_id)
        .where(models.Article.brand_id == brand_id, models.Article.slug == slug)
    ).scalar()
    if row is not None:
        return str(row)
    original = session.scalar(
        select(models.Article).where(
            models.Article.brand_id == brand_id, models.Article.slug == slug
        )
    )
    grouped = session.scalar(
        select(ArticleTranslation.article_id).where(
            ArticleTranslation.brand_id == brand_id, ArticleTranslation.group_slug == slug
        )
    )
    if original is None and grouped is None:
        raise IngestError(f"no article or translation group is called {slug!r}")
    if original is not None and grouped is None:
        link_translation(session, brand_id, original.id, slug, original.updated_at)
    return slug


def link_translation(
    session: Session, brand_id: int, article_id: int, group: str, now: datetime
) -> None:
    """Put the article in the group as an up-to-date translation (moving it if it was in
    another group)."""
    row = session.get(ArticleTranslation, article_id)
    version = max(_newest(session, brand_id, group), 1)
    if row is None:
        session.add(
            ArticleTranslation(
                article_id=article_id,
                brand_id=brand_id,
                group_slug=group,
                version=version,
                changed_at=now,
            )
        )
    else:
        row.group_slug, row.version, row.changed_at = group, version, now
    session.flush()


def note_edit(session: Session, article_id: int, now: datetime) -> None:
    """The article's text changed: the others fall behind, or this one catches up."""
    row = session.get(ArticleTranslation, article_id)
    if row is None:
        return
    newest = _newest(session, row.brand_id, row.group_slug)
    row.version = newest + 1 if row.version >= newest else newest
    row.changed_at = now
    session.flush()


def memberships(session: Session, brand_id: int) -> dict[int, Membership]:
    """Article id -> its group and whether it is behind, for every linked article."""
    rows = session.scalars(
        select(ArticleTranslation).where(ArticleTranslation.brand_id == brand_id)
    ).all()
    newest: dict[str, int] = {}
    for r in rows:
        newest[r.group_slug] = max(newest.get(r.group_slug, 0), r.version)
    return {r.article_id: Membership(r.group_slug, r.version < newest[r.group_slug]) for r in rows}


def outdated_translations(session: Session, brand_id: int) -> list[OutdatedTranslation]:
    """Every article whose group has changed since it was last edited."""
    rows = session.execute(
        select(ArticleTranslation, models.Article.title, models.Article.language)
        .join(models.Article, models.Article.id == ArticleTranslation.article_id)
        .where(ArticleTranslation.brand_id == brand_id)
        .order_by(ArticleTranslation.group_slug, models.Article.language)
    ).all()
    newest: dict[str, int] = {}
    for r, _, _ in rows:
        newest[r.group_slug] = max(newest.get(r.group_slug, 0), r.version)
    out = []
    for r, title, language in rows:
        if r.version < newest[r.group_slug]:
            newer = tuple(
                t
                for other, t, _ in rows
                if other.group_slug == r.group_slug and other.version > r.version
            )
            out.append(OutdatedTranslation(r.article_id, title, language, r.group_slug, newer))
    return out
