"""Background tasks asked for from a page: a `background_tasks` row recorded in the page's
own transaction, then run by whichever runner the install has.

With Redis, the id is sent to Dramatiq once the page's transaction has committed
(`send_after_commit`); without it (the embedded mode), the outbox worker's round claims the
oldest queued row and runs it in a thread of its own (`TableRunner`), one task at a time per
process, so the outbox keeps being delivered while a crawl runs.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.tasks.queue import NAMESPACE, TaskKind, TaskQueue, TaskStatus, run_task

log = logging.getLogger("deskhand.tasks")
_queues: dict[tuple[str, str, str], TaskQueue] = {}
_queues_lock = threading.Lock()


def record_task(
    session: Session, kind: TaskKind, brand_id: int, params: dict[str, Any], now: datetime
) -> models.BackgroundTask:
    """A queued task in the caller's transaction (its id is set)."""
    row = models.BackgroundTask(
        brand_id=brand_id,
        kind=kind.value,
        params=params,
        status=TaskStatus.QUEUED.value,
        result="",
        attempts=0,
        progress={},
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def send_after_commit(settings: Settings, task_id: int, *, namespace: str = NAMESPACE) -> None:
    """With Redis: hand the (committed) task to Dramatiq. Without: the TableRunner finds it."""
    if not settings.redis_url:
        return
    key = (settings.redis_url, settings.resolved_database_url(), namespace)
    with _queues_lock:
        queue = _queues.get(key)
        if queue is None:
            queue = _queues[key] = TaskQueue(settings, namespace=namespace)
    queue.actor.send(task_id)


def recent_tasks(
    session: Session, brand_id: int, kind: TaskKind, limit: int = 5
) -> list[models.BackgroundTask]:
    return list(
        session.scalars(
            select(models.BackgroundTask)
            .where(
                models.BackgroundTask.brand_id == brand_id,
                models.BackgroundTask.kind == kind.value,
            )
            .order_by(models.BackgroundTask.id.desc())
            .limit(limit)
        )
    )


@dataclass
class TableRunner:
    """A worker chore (no Redis): start the oldest queued task in a thread, one at a time."""

    sessions: sessionmaker[Session]
    settings: Settings
    thread: threading.Thread | None = None

    def __call__(self, now: datetime) -> int:
        if self.thread is not None and self.thread.is_alive():
            return 0
        task_id = self.claim()
        if task_id is None:
            return 0
        self.thread = threading.Thread(
            target=self._run, args=(task_id,), name=f"task-{task_id}", daemon=True
        )
        self.thread.start()
        return 1

    def claim(self) -> int | None:
        """The oldest queued task, marked running so no other process takes it too."""
        with transaction(self.sessions) as session:
            for task_id in session.scalars(
                select(models.BackgroundTask.id)
                .where(models.BackgroundTask.status == TaskStatus.QUEUED.value)
                .order_by(models.BackgroundTask.id)
                .limit(5)
            ).all():
                taken = session.execute(
                    update(models.BackgroundTask)
                    .where(
                        models.BackgroundTask.id == task_id,
                        models.BackgroundTask.status == TaskStatus.QUEUED.value,
                    )
                    .values(status=TaskStatus.RUNNING.value)
                )
                if getattr(taken, "rowcount", 0) == 1:
                    return task_id
        return None

    def _run(self, task_id: int) -> None:
        try:
            run_task(self.sessions, self.settings, task_id)
        except Exception:
            # Settled as queued again (or failed on the last try): a later round retries it.
            log.warning("task.will_retry", extra={"task": task_id})


def table_chores(sessions: sessionmaker[Session], settings: Settings) -> list[TableRunner]:
    """The worker's chore for queued tasks when there is no Redis (none with it)."""
    return [] if settings.redis_url else [TableRunner(sessions, settings)]
