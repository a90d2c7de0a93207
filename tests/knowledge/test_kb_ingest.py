"""Ingestion stores articles, chunks and embeddings once; updates in place; fails safely."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.knowledge.documents import make_docx, make_pdf

from deskhand.db import models
from deskhand.db.models import KnowledgeChunk
from deskhand.knowledge import ingest
from deskhand.knowledge.embedding import DIM, MODEL_ID
from deskhand.knowledge.ingest import (
    ingest_file,
    ingest_upload,
    list_articles,
    remove_articles,
    write_article,
)
from deskhand.knowledge.parsers import IngestError
from deskhand.knowledge.retrieval import search

GIFT_WRAP = """# Gift wrapping

## Can you wrap my order as a gift?
Yes. Tick "gift wrap" at checkout and we wrap every item in recycled paper for EUR 3.50.

## Can I add a personal message?
Write up to 200 characters in the gift note field; we print it on a card.
"""


def counts(session: Session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count(models.Article.id))) or 0,
        session.scalar(select(func.count(KnowledgeChunk.id))) or 0,
    )


def test_demo_seed_stores_chunks_with_embeddings_and_model_id(session: Session) -> None:
    chunks = session.scalars(select(KnowledgeChunk)).all()
    assert len(chunks) >= 20
    assert {c.model for c in chunks} == {MODEL_ID}
    assert all(len(c.embedding) == DIM * 4 for c in chunks)
    assert all(c.heading for c in chunks)


def test_added_file_is_searchable_and_listed(
    session: Session, brand: models.Brand, now: datetime, tmp_path: Path
) -> None:
    path = tmp_path / "gift-wrapping.md"
    path.write_text(GIFT_WRAP)
    result = ingest_file(session, brand, path, now=now)
    assert (result.status, result.title, result.language, result.chunks) == (
        "added",
        "Gift wrapping",
        "en",
        2,
    )
    article = session.get_one(models.Article, result.article_id)
    assert article.url == f"/help/{article.slug}"
    assert article.source == str(path.resolve())
    assert article.updated_at == now
    hit = search(
        session, brand.id, "Könnt ihr meine Bestellung als Geschenk verpacken?", language="de"
    )
    assert hit.confident
    assert hit.best is not None
    assert hit.best.article.title == "Gift wrapping"
    assert "Gift wrapping" in [a.title for a in list_articles(session, brand.id)]


def test_changed_source_is_updated_in_place_and_unchanged_text_is_not_embedded_again(
    session: Session,
    brand: models.Brand,
    now: datetime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "gift-wrapping.md"
    path.write_text(GIFT_WRAP)
    first = ingest_file(session, brand, path, now=now)
    embedded: list[str] = []
    real = ingest.embed_passages

    def counting(texts: list[str]):  # type: ignore[no-untyped-def]
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(ingest, "embed_passages", counting)
    assert ingest_file(session, brand, path, now=now).status == "unchanged"
    assert embedded == []
    path.write_text(GIFT_WRAP.replace("EUR 3.50", "EUR 4.00"))
    second = ingest_file(session, brand, path, now=now)
    assert (second.status, second.article_id) == ("updated", first.article_id)
    assert len(embedded) == 1
    assert "EUR 4.00" in embedded[0]
    texts = session.scalars(
        select(KnowledgeChunk.text).where(KnowledgeChunk.article_id == first.article_id)
    ).all()
    assert any("EUR 4.00" in t for t in texts)
    assert not any("EUR 3.50" in t for t in texts)


def test_every_format_can_be_uploaded(session: Session, brand: models.Brand, now: datetime) -> None:
    files = {
        "wrap.md": GIFT_WRAP.encode(),
        "wrap.html": b"<html><body><h1>Wrapping</h1><h2>Cost</h2><p>Gift wrap is EUR 3.50 per "
        b"order.</p></body></html>",
        "wrap.txt": b"Wrapping\n\nGift wrap costs EUR 3.50 per order and is done by hand.\n",
        "wrap.pdf": make_pdf(["Wrapping", "", "Gift wrap costs EUR 3.50 per order."]),
        "wrap.docx": make_docx("Wrapping", [("Cost", "Gift wrap costs EUR 3.50 per order.")]),
    }
    for name, data in files.items():
        result = ingest_upload(session, brand, name, data, now=now)
        assert result.status == "added", name
        assert result.chunks >= 1, name
    formats = {a.format for a in list_articles(session, brand.id)}
    assert {"markdown", "html", "text", "pdf", "docx"} <= formats


def test_written_article_gets_a_help_page_address(
    session: Session, brand: models.Brand, now: datetime
) -> None:
    result = write_article(
        session, brand, title="Student discount", body="## Who can get it?\nStudents get 10% off.",
        now=now,
    )  # fmt: skip
    article = session.get_one(models.Article, result.article_id)
    assert article.url == "/help/student-discount"
    assert article.source == "written:student-discount"


def test_removing_an_article_removes_its_chunks_and_its_search_hits(
    session: Session, brand: models.Brand, now: datetime, tmp_path: Path
) -> None:
    path = tmp_path / "gift-wrapping.md"
    path.write_text(GIFT_WRAP)
    result = ingest_file(session, brand, path, now=now)
    assert remove_articles(session, brand, str(result.article_id), now=now) == ["Gift wrapping"]
    assert (
        session.scalar(
            select(func.count(KnowledgeChunk.id)).where(
                KnowledgeChunk.article_id == result.article_id
            )
        )
        == 0
    )
    best = search(session, brand.id, "can you gift wrap my order?", language="en").best
    assert best is None or best.article.title != "Gift wrapping"
    assert remove_articles(session, brand, "no-such-article", now=now) == []


BAD_INPUTS = {
    "empty.md": (b"", "empty"),
    "broken.pdf": (
        b"%PDF-1.7\n%\xe2\xe3\n1 0 obj <</Type/Catalog/Pages 2 0 R>>\nendobj\ntrailer",
        "PDF",
    ),
    "garbage.txt": (os.urandom(4096), "binary"),
    "scripts.html": (
        b"<html><body><script>steal()</script><style>a{}</style></body></html>",
        "no readable",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_file_changes_nothing(
    session: Session, brand: models.Brand, now: datetime, tmp_path: Path, name: str
) -> None:
    data, message = BAD_INPUTS[name]
    before = counts(session)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=message):
        ingest_file(session, brand, path, now=now)
    session.rollback()
    assert counts(session) == before


def test_fifty_megabyte_file_is_refused_without_reading_it(
    session: Session, brand: models.Brand, now: datetime, tmp_path: Path
) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:  # sparse: nothing is written to disk
        fh.truncate(50 * 1024 * 1024)
    before = counts(session)
    with pytest.raises(IngestError, match="50 MB; the limit is 20 MB"):
        ingest_file(session, brand, path, now=now)
    assert counts(session) == before


def test_unknown_language_is_refused(
    session: Session, brand: models.Brand, now: datetime, tmp_path: Path
) -> None:
    path = tmp_path / "x.md"
    path.write_text(GIFT_WRAP)
    with pytest.raises(IngestError, match="language 'pt'"):
        ingest_file(session, brand, path, language="pt", now=now)
