"""Background tasks asked for from a page: a `background_tasks` row recorded in the page's
own transaction, then run by whichever runner the install has.

With Redis, the id is sent to Dramatiq once the page's transaction has committed
(`send_after_commit`); without it (the embedded mode), the outbox worker's round claims the
oldest queued row and runs it in a thread of its own (`TableRunner`), one task at a time per
process, so the outbox keeps being delivered while a crawl runs.

The runner beats on its task's row every round (`heartbeat_at`). A row left "running" whose
beat is older than `LEASE` lost its process (stopped, killed, the machine restarted): the
next round takes it up again, and a task that has used up its tries is failed with that
reason rather than left running for ever. (With Redis, Dramatiq redelivers the message of a
worker that died.)
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.tasks.queue import (
    MAX_RETRIES,
    NAMESPACE,
    TaskKind,
    TaskQueue,
    TaskStatus,
    run_task,
)

log = logging.getLogger("deskhand.tasks")
# A running row whose runner has not beaten for this long lost its process. Generous: the
# worker's round beats every few seconds, and a busy machine must not look like a dead one.
LEASE = timedelta(minutes=5)
BEAT = timedelta(seconds=30)  # how often the runner writes its beat
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
    task_id: int | None = None
    beaten: datetime | None = None

    def __call__(self, now: datetime) -> int:
        if self.thread is not None and self.thread.is_alive():
            self._beat(now)
            return 0
        task_id = self.claim(now)
        if task_id is None:
            return 0
        self.task_id, self.beaten = task_id, now
        self.thread = threading.Thread(
            target=self._run, args=(task_id,), name=f"task-{task_id}", daemon=True
        )
        self.thread.start()
        return 1

    def _beat(self, now: datetime) -> None:
        if self.task_id is None or (self.beaten is not None and now - self.beaten < BEAT):
            return
        with transaction(self.sessions) as session:
            session.execute(
                update(models.BackgroundTask)
                .where(
                    models.BackgroundTask.id == self.task_id,
                    models.BackgroundTask.status == TaskStatus.RUNNING.value,
                )
                .values(heartbeat_at=now)
            )
        self.beaten = now

    def claim(self, now: datetime) -> int | None:
        """The oldest queued task, or one whose runner died, marked running (with a fresh
        beat) so no other process takes it too."""
        stale = now - LEASE
        lost = (models.BackgroundTask.status == TaskStatus.RUNNING.value) & or_(
            models.BackgroundTask.heartbeat_at < stale,
            models.BackgroundTask.heartbeat_at.is_(None)
            & (models.BackgroundTask.created_at < stale),
        )
        waiting = (models.BackgroundTask.status == TaskStatus.QUEUED.value) | lost
        with transaction(self.sessions) as session:
            for task_id, status, beat in session.execute(
                select(
                    models.BackgroundTask.id,
                    models.BackgroundTask.status,
                    models.BackgroundTask.heartbeat_at,
                )
                .where(waiting)
                .order_by(models.BackgroundTask.id)
                .limit(5)
            ).all():
                taken = session.execute(
                    update(models.BackgroundTask)
                    .where(
                        models.BackgroundTask.id == task_id,
                        models.BackgroundTask.status == status,
                        _same(models.BackgroundTask.heartbeat_at, beat),
                    )
                    .values(status=TaskStatus.RUNNING.value, heartbeat_at=now)
                )
                if getattr(taken, "rowcount", 0) != 1:
                    continue  # another process was quicker
                if status == TaskStatus.RUNNING.value and not _may_retry(session, task_id, now):
                    continue
                return task_id
        return None

    def _run(self, task_id: int) -> None:
        try:
            run_task(self.sessions, self.settings, task_id)
        except Exception:
            # Settled as queued again (or failed on the last try): a later round retries it.
            log.warning("task.will_retry", extra={"task": task_id})


def _may_retry(session: Session, task_id: int, now: datetime) -> bool:
    """A task taken over from a dead runner: again, unless it has used up its tries."""
    row = session.get_one(models.BackgroundTask, task_id)
    log.warning("task.runner_lost", extra={"task": task_id, "attempts": row.attempts})
    if row.attempts <= MAX_RETRIES:
        return True
    row.status, row.finished_at = TaskStatus.FAILED.value, now
    row.result = "The worker running it stopped before it finished, too many times."
    return False


def _same(column: Any, value: datetime | None) -> Any:
    """`column` still holds `value` (NULL included): nobody took the row meanwhile."""
    return column.is_(None) if value is None else column == value


def table_chores(sessions: sessionmaker[Session], settings: Settings) -> list[TableRunner]:
    """The worker's chore for queued tasks when there is no Redis (none with it)."""
    return [] if settings.redis_url else [TableRunner(sessions, settings)]
