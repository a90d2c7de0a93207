"""Background tasks (help-centre crawls, store syncs): what was asked, and how it went."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from deskhand.db.models.base import Base


class BackgroundTask(Base):
    """One piece of heavy work queued for a worker (`tasks/queue.py`); the row is the record
    a page or a command reads its state and result from."""

    __tablename__ = "background_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # tasks.queue.TaskKind
    params: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16))  # queued | running | done | failed
    result: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    # How far it is, for a progress bar (a crawl: done, found, current, errors); {} if unknown.
    progress: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    # While running without Redis: the runner's latest sign of life (`tasks/table.py`); a row
    # left running with an old one lost its process and is taken up again.
    heartbeat_at: Mapped[datetime | None]
