"""The console's Shopify sync: progress as JSON and on the integrations page, "sync now"
(the worker's chore without Redis, a queued task with it), and the queued task run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from deskhand.bench.shopify_fake import FakeShopify
from deskhand.commerce.shopify.scheduling import run_requested
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import make_sessionmaker, transaction
from deskhand.domain.vocabulary import TeamRole
from deskhand.tasks.queue import TaskKind, TaskQueue
from deskhand.web.app import create_app
from tests.console.team_members import PASSWORD, Member, add

PROGRESS = "/admin/integrations/shopify/progress"
SYNC = "/admin/integrations/shopify/sync"
PAGE = "/admin/integrations"


@pytest.fixture
def owner(on_shopify: int, client: TestClient) -> Member:
    member = Member(client)
    assert member.sign_in().status_code == 303
    return member


def test_the_progress_tells_what_the_sync_copied(owner: Member, fake: FakeShopify) -> None:
    seen = owner.client.get(PROGRESS).json()
    assert seen["connected"]
    assert seen["store_active"]
    assert (seen["status"], seen["mode"], seen["waiting"]) == ("done", "initial", False)
    orders = next(r for r in seen["resources"] if r["name"] == "orders")
    assert orders == {"name": "orders", "done": len(fake.shop.orders), "total": 12}
    assert seen["last_synced_at"]
    assert seen["last_error"] == ""
    page = owner.client.get(PAGE).text
    assert "Up to date." in page
    assert 'id="shopify-orders">12 / 12<' in page
    assert 'action="/admin/integrations/shopify/sync"' in page


def test_sync_now_without_redis_is_run_by_the_workers_chore(
    owner: Member, settings: Settings, demo_db: Engine, fake: FakeShopify
) -> None:
    order = next(o for o in fake.shop.orders.values() if o.name == "#1001")
    order.fo_status = "IN_PROGRESS"
    fake.shop.touch(order)
    r = owner.post(SYNC, {}, PAGE)
    assert r.status_code == 303
    assert r.headers["location"].endswith("done=shopify_sync#shopify")
    assert owner.client.get(PROGRESS).json()["waiting"] is True
    assert "Waiting for the worker to start the sync." in owner.client.get(PAGE).text
    sessions = make_sessionmaker(demo_db, settings)
    assert run_requested(sessions, settings) == 1
    assert run_requested(sessions, settings) == 0  # the request was taken once
    seen = owner.client.get(PROGRESS).json()
    assert (seen["status"], seen["mode"], seen["waiting"]) == ("done", "reconcile", False)
    with transaction(sessions) as db:
        statuses = db.scalars(select(models.FulfillmentOrder.status)).all()
    assert "IN_PROGRESS" in statuses  # what changed in Shopify arrived
    assert "shopify sync requested" in owner.client.get("/admin/audit").text


def test_a_failed_sync_shows_its_error(
    owner: Member, settings: Settings, demo_db: Engine, fake: FakeShopify
) -> None:
    owner.post(SYNC, {}, PAGE)
    fake.fail_next(50, status=503)
    assert run_requested(make_sessionmaker(demo_db, settings), settings) == 0
    seen = owner.client.get(PROGRESS).json()
    assert seen["status"] == "failed"
    assert "503" in seen["last_error"]
    assert "503" in owner.client.get(PAGE).text


def test_a_viewer_sees_the_progress_but_cannot_sync(
    on_shopify: int, client: TestClient, demo_db: Engine
) -> None:
    with Session(demo_db) as db:
        add(db, "viewer@fjordfinch.example", TeamRole.VIEWER, datetime.now(UTC))
    viewer = Member(client)
    viewer.sign_in("viewer@fjordfinch.example", PASSWORD)
    assert client.get(PROGRESS).json()["status"] == "done"
    assert 'action="/admin/integrations/shopify/sync"' not in client.get(PAGE).text
    assert viewer.post(SYNC, {}, PAGE).status_code == 403


@pytest.fixture
def queued_client(
    settings: Settings, on_shopify: int, redis_space: tuple[str, str]
) -> Iterator[tuple[TestClient, Settings]]:
    with_redis = settings.model_copy(update={"redis_url": redis_space[0]})
    with TestClient(create_app(with_redis)) as c:
        yield c, with_redis


def test_sync_now_with_redis_queues_a_task_the_worker_runs(
    queued_client: tuple[TestClient, Settings], redis_space: tuple[str, str]
) -> None:
    client, with_redis = queued_client
    owner = Member(client)
    owner.sign_in()
    assert owner.post(SYNC, {}, PAGE).status_code == 303
    queue = TaskQueue(with_redis, namespace=redis_space[1])
    with transaction(queue.sessions) as db:
        task = db.scalars(select(models.BackgroundTask)).one()
        task_id, kind, status = task.id, task.kind, task.status
    assert (kind, status) == (TaskKind.SHOPIFY_SYNC.value, "queued")
    assert client.get(PROGRESS).json()["waiting"] is True
    queue.run(task_id)  # what a `deskhand worker` thread does with the message
    with transaction(queue.sessions) as db:
        done = db.get_one(models.BackgroundTask, task_id)
        assert done.status == "done", done.result
        assert done.result.startswith("reconciliation")
    seen = client.get(PROGRESS).json()
    assert (seen["mode"], seen["status"], seen["waiting"]) == ("reconcile", "done", False)


def test_the_task_fails_at_once_when_the_token_is_refused(
    settings: Settings, on_shopify: int, redis_space: tuple[str, str], fake: FakeShopify
) -> None:
    queue = TaskQueue(
        settings.model_copy(update={"redis_url": redis_space[0]}), namespace=redis_space[1]
    )
    fake.token = "revoked"
    task_id = queue.submit(TaskKind.SHOPIFY_SYNC, on_shopify)
    queue.run(task_id)
    with transaction(queue.sessions) as db:
        failed = db.get_one(models.BackgroundTask, task_id)
        assert (failed.status, failed.attempts) == ("failed", 1)
        assert failed.result
