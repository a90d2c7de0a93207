"""Without Redis, a crawl queued as a row is run by the worker's chore: page by page, each in
a short transaction of its own (the database stays writable while a page is fetched), with
its progress on the row."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from tests.fakes.help_centre import help_centre

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import make_engine, make_sessionmaker, transaction
from deskhand.tasks.queue import MAX_RETRIES, TaskKind, TaskQueue
from deskhand.tasks.table import (
    BEAT,
    LEASE,
    TableRunner,
    record_task,
    send_after_commit,
    table_chores,
)


def _row(sessions: object, task_id: int) -> models.BackgroundTask:
    with transaction(sessions) as session:  # type: ignore[arg-type]
        row = session.get_one(models.BackgroundTask, task_id)
        session.expunge(row)
    return row


def _until(check: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _queued_crawl(sessions: object, url: str) -> tuple[int, int]:
    """(the demo brand's id, a crawl of `url` queued for it)."""
    with transaction(sessions) as db:  # type: ignore[arg-type]
        brand_id = db.scalars(select(models.Brand.id)).one()
        task = record_task(
            db, TaskKind.CRAWL_HELP_CENTRE, brand_id, {"url": url}, datetime.now(UTC)
        )
        return brand_id, task.id


def test_a_queued_crawl_runs_page_by_page_without_holding_the_database(
    settings: Settings, demo_db: Engine
) -> None:
    local = settings.model_copy(update={"redis_url": "", "allow_private_urls": True})
    sessions = make_sessionmaker(make_engine(local.resolved_database_url()), local)
    [runner] = table_chores(sessions, local)
    assert isinstance(runner, TableRunner)
    assert table_chores(sessions, local.model_copy(update={"redis_url": "redis://x"})) == []
    with help_centre() as site:
        held = site.hold("/help/pickup")
        brand_id, task_id = _queued_crawl(sessions, f"{site.base}/help/")
        assert runner(datetime.now(UTC)) == 1
        assert runner(datetime.now(UTC)) == 0  # one task at a time
        assert site.waiting.wait(30)
        # Mid-crawl: the row says how far it is ...
        _until(lambda: _row(sessions, task_id).progress.get("current", "").endswith("/pickup"))
        row = _row(sessions, task_id)
        assert row.status == "running"
        assert row.progress["done"] >= 1
        assert row.progress["found"] == 4
        # ... and another writer gets through while a page is being fetched.
        wrote = threading.Event()

        def write() -> None:
            with transaction(sessions) as db:
                db.execute(
                    update(models.Brand).where(models.Brand.id == brand_id).values(name="Busy")
                )
            wrote.set()

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        assert wrote.wait(10), "the crawl held the database across a fetch"
        held.set()
        _until(lambda: _row(sessions, task_id).status in ("done", "failed"))
    row = _row(sessions, task_id)
    assert row.status == "done", row.result
    assert row.result.startswith("4 pages read (4 new or changed)")
    assert row.progress["done"] == row.progress["found"] == 4
    assert row.progress["current"] == ""
    with transaction(sessions) as db:
        titles = set(db.scalars(select(models.Article.title)))
    assert {"Help centre", "Gift wrapping", "Store pickup", "Sock sizes"} <= titles


def test_a_crawl_that_cannot_start_fails_with_its_reason(
    settings: Settings, demo_db: Engine
) -> None:
    local = settings.model_copy(update={"redis_url": "", "allow_private_urls": True})
    sessions = make_sessionmaker(make_engine(local.resolved_database_url()), local)
    runner = TableRunner(sessions, local)
    with help_centre() as site:
        _, task_id = _queued_crawl(sessions, f"{site.base}/nowhere/")
        assert runner(datetime.now(UTC)) == 1
        _until(lambda: _row(sessions, task_id).status in ("done", "failed"))
    row = _row(sessions, task_id)
    assert row.status == "failed"
    assert "404" in row.result
    assert row.attempts == 1


def test_with_redis_a_row_recorded_by_a_page_is_sent_to_dramatiq_after_commit(
    settings: Settings, demo_db: Engine, redis_space: tuple[str, str]
) -> None:
    redis_url, prefix = redis_space
    local = settings.model_copy(update={"redis_url": redis_url, "allow_private_urls": True})
    sessions = make_sessionmaker(make_engine(local.resolved_database_url()), local)
    with help_centre() as site:
        brand_id, task_id = _queued_crawl(sessions, f"{site.base}/help/")
        send_after_commit(local, task_id, namespace=prefix)
        worker = TaskQueue(local, namespace=prefix).worker(threads=1)
        worker.start()
        try:
            _until(lambda: _row(sessions, task_id).status in ("done", "failed"), 60)
        finally:
            worker.stop()
    row = _row(sessions, task_id)
    assert row.status == "done", row.result
    assert row.attempts == 1
    assert row.progress["done"] == 4


def _left_running(sessions: object, brand_id: int, url: str, beat: datetime, tries: int) -> int:
    """A crawl row as a runner that died leaves it: running, its last beat at `beat`."""
    with transaction(sessions) as db:  # type: ignore[arg-type]
        row = record_task(db, TaskKind.CRAWL_HELP_CENTRE, brand_id, {"url": url}, beat)
        row.status, row.attempts, row.heartbeat_at = "running", tries, beat
        return row.id


def test_a_crawl_whose_runner_died_is_taken_up_again_after_the_lease(
    settings: Settings, demo_db: Engine
) -> None:
    local = settings.model_copy(update={"redis_url": "", "allow_private_urls": True})
    sessions = make_sessionmaker(make_engine(local.resolved_database_url()), local)
    now = datetime.now(UTC)
    with help_centre() as site:
        with transaction(sessions) as db:
            brand_id = db.scalars(select(models.Brand.id)).one()
        url = f"{site.base}/help/"
        alive = _left_running(sessions, brand_id, url, now - LEASE / 2, 1)
        lost = _left_running(sessions, brand_id, url, now - LEASE - timedelta(seconds=1), 1)
        spent = _left_running(sessions, brand_id, url, now - 2 * LEASE, MAX_RETRIES + 1)
        runner = TableRunner(sessions, local)
        assert runner(now) == 1  # the lost one; the one still beating is left alone
        assert runner.task_id == lost
        _until(lambda: _row(sessions, lost).status in ("done", "failed"))
        assert runner(now) == 0
    row = _row(sessions, lost)
    assert (row.status, row.attempts) == ("done", 2)
    assert row.result.startswith("4 pages read")
    assert _row(sessions, alive).status == "running"
    gave_up = _row(sessions, spent)
    assert gave_up.status == "failed"
    assert "stopped before it finished" in gave_up.result


def test_the_runner_beats_on_its_task_while_it_runs(settings: Settings, demo_db: Engine) -> None:
    local = settings.model_copy(update={"redis_url": "", "allow_private_urls": True})
    sessions = make_sessionmaker(make_engine(local.resolved_database_url()), local)
    with help_centre() as site:
        held = site.hold("/help/pickup")
        brand_id, task_id = _queued_crawl(sessions, f"{site.base}/help/")
        start = datetime.now(UTC)
        runner = TableRunner(sessions, local)
        assert runner(start) == 1
        assert site.waiting.wait(30)
        assert _row(sessions, task_id).heartbeat_at == start
        runner(start + BEAT / 2)  # too soon to write again
        assert _row(sessions, task_id).heartbeat_at == start
        later = start + BEAT
        runner(later)
        assert _row(sessions, task_id).heartbeat_at == later
        # Another process sees a live runner and leaves the task alone.
        assert TableRunner(sessions, local)(later + LEASE / 2) == 0
        held.set()
        _until(lambda: _row(sessions, task_id).status in ("done", "failed"))
    assert _row(sessions, task_id).status == "done"
