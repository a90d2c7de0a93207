"""Help-centre crawls as background tasks on Dramatiq and Redis, run once by a worker."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import Engine, select
from tests.knowledge.conftest import Site
from tests.knowledge.test_kb_crawl import build

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.tasks.queue import TaskKind, TaskQueue, TaskQueueUnavailable


def _wait(queue: TaskQueue, task_id: int, seconds: float = 60) -> models.BackgroundTask:
    """Poll through the queue's own engine: on SQLite its writers share one lock in process,
    so the test's reads never hold the database while a worker waits to write."""
    deadline = time.monotonic() + seconds
    while True:
        with transaction(queue.sessions) as session:
            row = session.get_one(models.BackgroundTask, task_id)
        if row.status in ("done", "failed"):
            return row
        assert time.monotonic() < deadline, (row.status, row.result)
        time.sleep(0.1)


def test_a_crawl_queued_in_redis_is_run_by_a_worker_once(
    settings: Settings,
    demo_db: Engine,
    help_site: Site,
    redis_space: tuple[str, str],
) -> None:
    redis_url, prefix = redis_space
    build(help_site)
    queue = TaskQueue(
        settings.model_copy(update={"redis_url": redis_url, "allow_private_urls": True}),
        namespace=prefix,
    )
    with transaction(queue.sessions) as db:
        brand_id = db.scalars(select(models.Brand.id)).one()
    good = queue.submit(TaskKind.CRAWL_HELP_CENTRE, brand_id, url=f"{help_site.base}/help/")
    bad = queue.submit(TaskKind.CRAWL_HELP_CENTRE, brand_id, url=f"{help_site.base}/nothing/")
    with transaction(queue.sessions) as db:
        assert db.get_one(models.BackgroundTask, good).status == "queued"
    worker = queue.worker(threads=2)
    worker.start()
    try:
        done = _wait(queue, good)
        failed = _wait(queue, bad)
    finally:
        worker.stop()
    assert done.status == "done"
    assert done.attempts == 1
    assert done.result.startswith("3 pages read")
    with transaction(queue.sessions) as db:
        titles = set(db.scalars(select(models.Article.title)))
    assert {"Help centre", "Gift wrapping", "Store pickup"} <= titles
    # A page that cannot be read fails at once, with the reason, and is not retried.
    assert failed.status == "failed"
    assert failed.attempts == 1
    assert failed.result
    assert help_site.hits.count("/nothing/") == 1


def test_without_redis_there_is_no_queue(settings: Settings) -> None:
    with pytest.raises(TaskQueueUnavailable, match="DESKHAND_REDIS_URL"):
        TaskQueue(settings.model_copy(update={"redis_url": ""}), namespace=uuid.uuid4().hex)
