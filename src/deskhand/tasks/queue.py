"""Heavy work off the request path, on Dramatiq with its Redis broker.

`TaskQueue(settings).submit(kind, brand_id, **params)` records a `background_tasks` row and
sends its id to the queue; `deskhand worker` runs Dramatiq's worker threads beside the outbox
and each task once: the row goes queued -> running -> done (with a summary) or failed (with
the reason). A task that fails for a reason that will not change (a page that cannot be
read) fails at once; an unexpected error is retried by Dramatiq with backoff.

The queue needs Redis (`DESKHAND_REDIS_URL`). Without it (the embedded single-process mode)
a task queued as a row (`tasks/table.py`) is run by the outbox worker's thread with the same
`run_task`. A crawl never holds a transaction across a network fetch: it writes each page in
a short transaction of its own (`tasks/crawling.py`), so SQLite's one write lock stays free.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import make_engine, make_sessionmaker, transaction
from deskhand.knowledge.parsers import IngestError
from deskhand.tasks.crawling import crawl_in_steps
from deskhand.tasks.shopify import SyncRefused, shopify_sync

log = logging.getLogger("deskhand.tasks")
QUEUE = "deskhand"
NAMESPACE = "deskhand-tasks"
MAX_RETRIES = 3


class TaskKind(StrEnum):
    CRAWL_HELP_CENTRE = "crawl_help_centre"
    SHOPIFY_SYNC = "shopify_sync"


class TaskStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class TaskQueueUnavailable(RuntimeError):
    """No Redis configured: background tasks cannot be queued."""


class Permanent(Exception):
    """The task cannot succeed by trying again; it fails with this message."""


# A task that opens its own short transactions (a crawl: one per page), given the task's id
# for its progress; it never runs inside one long transaction.
Stepped = Callable[[sessionmaker[Session], Settings, int, int, dict[str, Any]], str]


def crawl_help_centre(
    sessions: sessionmaker[Session],
    settings: Settings,
    task_id: int,
    brand_id: int,
    params: dict[str, Any],
) -> str:
    try:
        report = crawl_in_steps(sessions, settings, task_id, brand_id, params)
    except IngestError as exc:
        raise Permanent(str(exc)) from exc
    imported = sum(1 for page in report.pages if page.status != "unchanged")
    return (
        f"{len(report.pages)} pages read ({imported} new or changed), "
        f"{len(report.skipped)} skipped, {len(report.removed)} removed"
    )


def sync_shop(
    sessions: sessionmaker[Session],
    settings: Settings,
    task_id: int,
    brand_id: int,
    params: dict[str, Any],
) -> str:
    """The Shopify sync reads Shopify between its pages, so it opens its own short
    transactions; a refusal that will not change (a revoked token) fails the task at once."""
    try:
        return shopify_sync(sessions, settings, brand_id, params)
    except SyncRefused as exc:
        raise Permanent(str(exc)) from exc


# Tasks that commit step by step (never one transaction across network calls).
STEPPED: dict[TaskKind, Stepped] = {
    TaskKind.CRAWL_HELP_CENTRE: crawl_help_centre,
    TaskKind.SHOPIFY_SYNC: sync_shop,
}


def run_task(sessions: sessionmaker[Session], settings: Settings, task_id: int) -> None:
    """Run one task and settle its row; re-raises an unexpected error unless it was the
    last try (the caller may retry)."""
    with transaction(sessions) as session:
        row = session.get(models.BackgroundTask, task_id)
        if row is None or row.status in (TaskStatus.DONE, TaskStatus.FAILED):
            return  # unknown, or already settled: a redelivered message does nothing
        row.status, row.attempts = TaskStatus.RUNNING.value, row.attempts + 1
        kind, brand_id, params = TaskKind(row.kind), row.brand_id, dict(row.params)
        last_try = row.attempts > MAX_RETRIES
    try:
        summary = STEPPED[kind](sessions, settings, task_id, brand_id, params)
        _settle(sessions, task_id, TaskStatus.DONE, summary)
    except Permanent as exc:
        _settle(sessions, task_id, TaskStatus.FAILED, str(exc))
    except Exception as exc:
        log.exception("task.failed", extra={"task": task_id})
        if last_try:
            _settle(sessions, task_id, TaskStatus.FAILED, f"{type(exc).__name__}: {exc}")
            return
        _settle(sessions, task_id, TaskStatus.QUEUED, f"retrying after {type(exc).__name__}")
        raise


def _settle(sessions: sessionmaker[Session], task_id: int, status: TaskStatus, result: str) -> None:
    with transaction(sessions) as session:
        row = session.get_one(models.BackgroundTask, task_id)
        row.status, row.result = status.value, result[:2000]
        if status in (TaskStatus.DONE, TaskStatus.FAILED):
            row.finished_at = datetime.now(UTC)


class TaskQueue:
    def __init__(self, settings: Settings, *, namespace: str = NAMESPACE) -> None:
        if not settings.redis_url:
            raise TaskQueueUnavailable(
                "background tasks need Redis: set DESKHAND_REDIS_URL (or run the command "
                "in the foreground)"
            )
        self.settings = settings
        self.broker = RedisBroker(url=settings.redis_url, namespace=namespace)
        # One engine for every worker thread (made now, not lazily by racing threads): on
        # SQLite its writers queue on one lock.
        self.sessions: sessionmaker[Session] = make_sessionmaker(
            make_engine(settings.resolved_database_url()), settings
        )
        self.actor: dramatiq.Actor[[int], None] = dramatiq.Actor(
            self.run,
            broker=self.broker,
            actor_name="deskhand_task",
            queue_name=QUEUE,
            priority=0,
            options={"max_retries": MAX_RETRIES, "min_backoff": 2_000, "max_backoff": 60_000},
        )

    def submit(self, kind: TaskKind, brand_id: int, **params: Any) -> int:
        """Record the task and queue it (after the row is committed); its id."""
        with transaction(self.sessions) as session:
            row = models.BackgroundTask(
                brand_id=brand_id,
                kind=kind.value,
                params=params,
                status=TaskStatus.QUEUED.value,
                result="",
                attempts=0,
                created_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            task_id = row.id
        self.actor.send(task_id)
        return task_id

    def run(self, task_id: int) -> None:
        """Run one task (called by a Dramatiq worker thread, which retries an error)."""
        run_task(self.sessions, self.settings, task_id)

    def close(self) -> None:
        """Let go of the queue's engine and Redis connections (a queue made for one send)."""
        self.broker.close()
        bind = self.sessions.kw.get("bind")
        if bind is not None:
            bind.dispose()

    def worker(self, threads: int = 2) -> dramatiq.Worker:
        """Dramatiq's worker for this queue (call .start() and .stop())."""
        return dramatiq.Worker(self.broker, queues={QUEUE}, worker_threads=threads)
