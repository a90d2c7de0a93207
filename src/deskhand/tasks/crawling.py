"""A help-centre crawl as a background task: each page written in a short transaction of its
own (never one held across a network fetch: on SQLite that would be the one write lock for
the crawl's whole length), and its progress on the task's row after every page."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.knowledge.crawl import (
    CrawlProgress,
    CrawlReport,
    crawl_into,
    finish_import,
)
from deskhand.knowledge.ingest import IngestResult, store_document
from deskhand.knowledge.parsers import ParsedDocument

DEFAULT_MAX_PAGES = 200


@dataclass
class PageByPage:
    """A `PageSink` that commits each page on its own."""

    sessions: sessionmaker[Session]
    brand_id: int
    now: datetime
    language: str | None = None

    def store(self, doc: ParsedDocument, url: str, start_url: str) -> IngestResult:
        with transaction(self.sessions) as session:
            brand = session.get_one(models.Brand, self.brand_id)
            return store_document(
                session,
                brand,
                doc,
                source=url,
                origin=start_url,
                url=url,
                language=self.language,
                now=self.now,
                check=False,
            )

    def finish(self, start_url: str, seen: set[str], kept: set[str] | None) -> list[str]:
        with transaction(self.sessions) as session:
            brand = session.get_one(models.Brand, self.brand_id)
            return finish_import(session, brand, start_url, seen, kept, self.now)


def save_progress(sessions: sessionmaker[Session], task_id: int, progress: CrawlProgress) -> None:
    with transaction(sessions) as session:
        row = session.get_one(models.BackgroundTask, task_id)
        row.progress = asdict(progress)


def crawl_in_steps(
    sessions: sessionmaker[Session],
    settings: Settings,
    task_id: int,
    brand_id: int,
    params: dict[str, Any],
) -> CrawlReport:
    """Crawl `params["url"]` for the brand (raises IngestError when nothing is imported)."""
    language = params.get("language")
    return crawl_into(
        PageByPage(sessions, brand_id, datetime.now(UTC), str(language) if language else None),
        str(params["url"]),
        allow_private=settings.allow_private_urls,
        max_pages=int(params.get("max_pages") or DEFAULT_MAX_PAGES),
        progress=lambda progress: save_progress(sessions, task_id, progress),
    )
