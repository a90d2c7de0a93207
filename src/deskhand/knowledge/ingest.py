"""Put documents into a brand's knowledge base: parse, chunk, embed once, store, check.

Every way in ends in `store_document`: a file on the command line, an upload, an
article written in the product, a crawled page. A document is parsed completely before
anything is written, and all writes happen in the caller's transaction, so a bad input
raises `IngestError` and leaves the knowledge base as it was. Re-adding a source updates
its article in place (same id and address); unchanged content is not re-embedded, and
chunks whose text did not change keep their stored embedding.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.models import KnowledgeChunk, KnowledgeFinding
from deskhand.knowledge.chunking import anchor_of, chunk_markdown
from deskhand.knowledge.consistency import check_consistency
from deskhand.knowledge.embedding import MODEL_ID, embed_passages, from_bytes, to_bytes
from deskhand.knowledge.facts import rule_topics_in
from deskhand.knowledge.index import mark_changed
from deskhand.knowledge.parsers import (
    MAX_FILE_BYTES,
    IngestError,
    ParsedDocument,
    parse_document,
    parse_markdown,
)
from deskhand.knowledge.translations import group_of, link_translation, note_edit
from deskhand.nlp.language import detect_language

log = logging.getLogger(__name__)
LANGUAGES = ("en", "de", "nl", "sv", "fr", "es")


@dataclass(frozen=True)
class IngestResult:
    article_id: int
    slug: str
    title: str
    source: str
    language: str
    status: str  # "added" | "updated" | "unchanged"
    chunks: int


def _language_of(brand: models.Brand, doc: ParsedDocument, given: str | None) -> str:
    if given:
        if given not in LANGUAGES:
            raise IngestError(f"language {given!r} is not one of {', '.join(LANGUAGES)}")
        return given
    if doc.language in LANGUAGES:
        return str(doc.language)
    candidates = tuple(lg for lg in brand.languages if lg in LANGUAGES) or LANGUAGES
    return detect_language(
        f"{doc.title}\n{doc.markdown}"[:4000], candidates, brand.default_language
    )


def _unique_slug(session: Session, brand_id: int, title: str, article_id: int | None) -> str:
    base = anchor_of(title)[:80] or "article"
    slug, n = base, 1
    while True:
        other = session.scalar(
            select(models.Article.id).where(
                models.Article.brand_id == brand_id, models.Article.slug == slug
            )
        )
        if other is None or other == article_id:
            return slug
        n += 1
        slug = f"{base}-{n}"


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def store_document(
    session: Session,
    brand: models.Brand,
    doc: ParsedDocument,
    *,
    source: str,
    origin: str | None = None,
    url: str | None = None,
    title: str | None = None,
    language: str | None = None,
    slug: str | None = None,
    now: datetime,
    check: bool = True,
    translation_of: str | None = None,
) -> IngestResult:
    """Create or update the article of `source`, with its chunks and their embeddings.

    `translation_of` names the group of translations (a slug) this article belongs to.
    """
    title = (title or doc.title).strip()[:300] or "Untitled"
    lang = _language_of(brand, doc, language)
    passages = chunk_markdown(doc.markdown)
    if not passages:
        raise IngestError(f"{source}: no text to index was found in the document")
    content_hash = _hash(title, lang, doc.format, doc.markdown, url or "")
    article = session.scalar(
        select(models.Article).where(
            models.Article.brand_id == brand.id, models.Article.source == source
        )
    )
    if article is not None and article.content_hash == content_hash:
        count = len(
            session.scalars(
                select(KnowledgeChunk.id).where(KnowledgeChunk.article_id == article.id)
            ).all()
        )
        return IngestResult(
            article.id, article.slug, article.title, source, lang, "unchanged", count
        )
    texts = [p.embedded_text(title) for p in passages]
    hashes = [_hash(MODEL_ID, t) for t in texts]
    # Chunks whose text is already embedded (this article before, or any other) are reused.
    known = {
        h: from_bytes(e)
        for h, e in session.execute(
            select(KnowledgeChunk.text_hash, KnowledgeChunk.embedding).where(
                KnowledgeChunk.brand_id == brand.id,
                KnowledgeChunk.model == MODEL_ID,
                KnowledgeChunk.text_hash.in_(hashes),
            )
        )
    }
    todo = [i for i, h in enumerate(hashes) if h not in known]
    fresh = embed_passages([texts[i] for i in todo]) if todo else None
    vectors = {hashes[i]: fresh[n] for n, i in enumerate(todo)} if fresh is not None else {}
    topic = doc.topic or next(iter(rule_topics_in(doc.markdown)), "general")
    slug = _unique_slug(session, brand.id, slug or title, article.id if article else None)
    status = "updated"
    if article is None:
        status = "added"
        article = models.Article(brand_id=brand.id, source=source)
        session.add(article)
    article.slug, article.title, article.language, article.topic = slug, title, lang, topic
    article.body = f"# {title}\n\n{doc.markdown}"
    article.url = url or f"/help/{slug}"
    article.origin = origin or source
    article.format = doc.format
    article.content_hash = content_hash
    article.updated_at = now
    session.flush()
    session.execute(delete(KnowledgeChunk).where(KnowledgeChunk.article_id == article.id))
    for passage, text_hash in zip(passages, hashes, strict=True):
        vector = known.get(text_hash)
        vector = vectors[text_hash] if vector is None else vector
        session.add(
            KnowledgeChunk(
                brand_id=brand.id,
                article_id=article.id,
                position=passage.position,
                heading=passage.heading[:300],
                anchor=passage.anchor,
                text=passage.text,
                language=lang,
                text_hash=text_hash,
                model=MODEL_ID,
                embedding=to_bytes(vector),
                created_at=now,
            )
        )
    session.flush()
    if translation_of:
        link_translation(session, brand.id, article.id, translation_of, now)
    elif status == "updated":
        note_edit(session, article.id, now)  # its translations fall behind (or it catches up)
    log.info("kb.ingested", extra={"brand": brand.id, "source": source, "status": status})
    if check:
        after_change(session, brand, now)
    return IngestResult(article.id, slug, title, source, lang, status, len(passages))


def after_change(session: Session, brand: models.Brand, now: datetime) -> None:
    """Every change: a new index version for all processes, and a fresh consistency check."""
    mark_changed(session, brand.id, now)
    check_consistency(session, brand, now)


def ingest_file(
    session: Session,
    brand: models.Brand,
    path: Path,
    *,
    title: str | None = None,
    language: str | None = None,
    now: datetime,
    translation_of: str | None = None,
) -> IngestResult:
    """Add (or update) a Markdown, HTML, text, PDF or DOCX file given by its path."""
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise IngestError(
            f"{path.name}: the file is {size / 1048576:.0f} MB; "
            f"the limit is {MAX_FILE_BYTES // 1048576} MB"
        )
    doc = parse_document(path.name, path.read_bytes())
    source = str(path.resolve())
    group = group_of(session, brand.id, translation_of) if translation_of else None
    return store_document(
        session,
        brand,
        doc,
        source=source,
        title=title,
        language=language,
        now=now,
        translation_of=group,
    )


def ingest_upload(
    session: Session,
    brand: models.Brand,
    filename: str,
    data: bytes,
    *,
    title: str | None = None,
    language: str | None = None,
    now: datetime,
) -> IngestResult:
    """Add (or update) an uploaded file; uploading the same file name again updates it."""
    name = Path(filename).name or "upload"
    doc = parse_document(name, data)
    return store_document(
        session, brand, doc, source=f"upload:{name}", title=title, language=language, now=now
    )


def write_article(
    session: Session,
    brand: models.Brand,
    *,
    title: str,
    body: str,
    language: str | None = None,
    key: str | None = None,
    now: datetime,
) -> IngestResult:
    """Save an article written in the product (Markdown); the same `key` updates it."""
    if not title.strip():
        raise IngestError("an article needs a title")
    doc = parse_markdown(title, body)
    if not doc.markdown.strip():
        raise IngestError(f"{title}: the article has no text")
    source = f"written:{key or anchor_of(title)}"
    return store_document(
        session, brand, doc, source=source, title=title, language=language, now=now
    )


def remove_articles(
    session: Session, brand: models.Brand, ref: str, *, now: datetime, check: bool = True
) -> list[str]:
    """Remove the articles an id, slug, source or crawl origin names; their chunks go too."""
    conditions = [
        models.Article.slug == ref,
        models.Article.source == ref,
        models.Article.origin == ref,
    ]
    if ref.isdigit():
        conditions.append(models.Article.id == int(ref))
    as_path = Path(ref)
    if not ref.startswith(("http://", "https://")) and as_path.exists():
        conditions.append(models.Article.source == str(as_path.resolve()))
    found = list(
        session.scalars(
            select(models.Article).where(models.Article.brand_id == brand.id, or_(*conditions))
        )
    )
    return remove_found(session, brand, found, now=now, check=check)


def remove_found(
    session: Session,
    brand: models.Brand,
    articles: list[models.Article],
    *,
    now: datetime,
    check: bool = True,
) -> list[str]:
    if not articles:
        return []
    ids = [a.id for a in articles]
    session.execute(delete(KnowledgeChunk).where(KnowledgeChunk.article_id.in_(ids)))
    session.execute(delete(KnowledgeFinding).where(KnowledgeFinding.article_id.in_(ids)))
    titles = [a.title for a in articles]
    for article in articles:
        session.delete(article)
    session.flush()
    if check:
        after_change(session, brand, now)
    return titles


@dataclass(frozen=True)
class ArticleSummary:
    id: int
    slug: str
    title: str
    language: str
    format: str
    source: str
    url: str
    chunks: int
    updated_at: datetime


def list_articles(session: Session, brand_id: int) -> list[ArticleSummary]:
    counts = dict(
        session.execute(
            select(KnowledgeChunk.article_id, func.count(KnowledgeChunk.id))
            .where(KnowledgeChunk.brand_id == brand_id)
            .group_by(KnowledgeChunk.article_id)
        ).all()
    )
    return [
        ArticleSummary(
            a.id, a.slug, a.title, a.language, a.format, a.source, a.url, counts.get(a.id, 0),
            a.updated_at,
        )
        for a in session.scalars(
            select(models.Article)
            .where(models.Article.brand_id == brand_id)
            .order_by(models.Article.id)
        )
    ]  # fmt: skip
