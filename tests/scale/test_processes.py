"""Scale-out on PostgreSQL and Redis with real processes: two app processes, three workers.

A fresh PostgreSQL database is migrated from empty by `deskhand migrate`; two `deskhand demo`
processes serve it with Redis for limits and the conversation bus; a shopper's socket on one
process hears what is said on the other; three `deskhand worker` processes deliver 1,000
outbox emails to a local SMTP server while two of them are killed mid-run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import websockets.sync.client as ws_client
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from deskhand.db import models
from deskhand.db.session import make_engine, make_sessionmaker, transaction
from deskhand.jobs.outbox import enqueue
from tests.conftest import PG_URL, SECRET, _postgres_or_skip, free_port
from tests.fakes.fake_mail import SmtpServer

pytestmark = pytest.mark.postgres
JOBS = 1000


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    _postgres_or_skip().dispose()
    name = f"deskhand_scale_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _env(database_url: str, redis_url: str, data_dir: Path, **more: str) -> dict[str, str]:
    return {
        **os.environ,
        "DESKHAND_DATABASE_URL": database_url,
        "DESKHAND_REDIS_URL": redis_url,
        "DESKHAND_SECRET_KEY": SECRET,
        "DESKHAND_DATA_DIR": str(data_dir),
        **more,
    }


def _deskhand(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "deskhand.cli", *args],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _app(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _deskhand(["demo", "--port", str(port)], {**env, "DESKHAND_BASE_URL": base}, log)
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the app process did not start"
        time.sleep(0.3)


def _pushed_reply(listen_on: str, post_to: str) -> None:
    """A socket on `listen_on` hears the reply to a message posted to `post_to`."""
    created = httpx.post(f"{post_to}/api/v1/conversations", json={"channel": "webchat"}).json()
    conv, token = created["id"], created["token"]
    url = f"{listen_on.replace('http://', 'ws://')}/api/v1/conversations/{conv}/ws?token={token}"
    with ws_client.connect(url, open_timeout=30) as socket:
        assert json.loads(socket.recv(timeout=30))["type"] == "ready"
        reply = httpx.post(
            f"{post_to}/api/v1/conversations/{conv}/messages",
            json={"text": "Do you ship to Norway?"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert reply.status_code == 200, reply.text
        frame = json.loads(socket.recv(timeout=30))
        assert frame["type"] == "messages"
        assert frame["pushed"] is True
        assert frame["messages"][0]["id"] == reply.json()["messages"][0]["id"]


def _enqueue_jobs(database_url: str) -> None:
    engine = make_engine(database_url)
    with transaction(make_sessionmaker(engine)) as session:
        brand_id = session.scalar(select(models.Brand.id))
        assert brand_id is not None
        now = datetime.now(UTC)
        for n in range(JOBS):
            enqueue(
                session,
                brand_id=brand_id,
                kind="email",
                recipient=f"shopper{n}@example.com",
                subject=f"job {n}",
                body="hello",
                idempotency_key=f"scale-{n}",
                now=now,
            )
    engine.dispose()


def _statuses(database_url: str) -> Counter[str]:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(models.OutboxMessage.status, func.count()).group_by(models.OutboxMessage.status)
        ).all()
    engine.dispose()
    return Counter(dict(rows))


def test_two_app_processes_and_three_workers(
    fresh_database: str, redis_space: tuple[str, str], tmp_path: Path
) -> None:
    redis_url, _prefix = redis_space
    log = tmp_path / "processes.log"
    env = _env(fresh_database, redis_url, tmp_path)

    # Migrations from an empty database.
    migrate = subprocess.run(
        [sys.executable, "-m", "deskhand.cli", "migrate"], env=env, capture_output=True
    )
    assert migrate.returncode == 0, migrate.stderr.decode()[-2000:]
    check = create_engine(fresh_database)
    with check.connect() as conn:
        assert conn.scalar(text("select count(*) from alembic_version")) == 1
        assert conn.scalar(text("select count(*) from outbox")) == 0
    check.dispose()

    apps = []
    try:
        app_env = {**env, "DESKHAND_INLINE_WORKER": "0"}
        apps.append(_app(app_env, log))  # the first one seeds the demo brand
        apps.append(_app(app_env, log))
        (_, a), (_, b) = apps
        for base in (a, b):
            ready = httpx.get(f"{base}/readyz").json()
            assert ready["checks"] == {"database": "ok", "redis": "ok"}
        _pushed_reply(listen_on=a, post_to=b)
        _pushed_reply(listen_on=b, post_to=a)
    finally:
        for proc, _ in apps:
            _stop(proc)

    # 1,000 emails through three workers; two are killed mid-run, one replaces them.
    _enqueue_jobs(fresh_database)
    smtp = SmtpServer().start()
    worker_env = {
        **env,
        "DESKHAND_SMTP_HOST": "127.0.0.1",
        "DESKHAND_SMTP_PORT": str(smtp.port),
        "DESKHAND_SMTP_SECURITY": "none",
        "DESKHAND_SMTP_FROM": "Fjord & Finch <help@fjordfinch.example>",
        "DESKHAND_OUTBOX_LEASE_SECONDS": "3",
        "DESKHAND_WORKER_POLL_SECONDS": "0.2",
    }
    workers = [_deskhand(["worker"], worker_env, log) for _ in range(3)]
    killed = 0
    try:
        deadline = time.monotonic() + 240
        for threshold in (JOBS // 4, JOBS // 2):
            while len(smtp.messages) < threshold:
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.05)
            _stop(workers[killed], signal.SIGKILL)  # no chance to finish or record anything
            killed += 1
        workers.append(_deskhand(["worker"], worker_env, log))
        while _statuses(fresh_database).get("sent", 0) < JOBS:
            assert time.monotonic() < deadline, (_statuses(fresh_database), len(smtp.messages))
            time.sleep(0.5)
    finally:
        for proc in workers:
            _stop(proc)
        smtp.stop()

    assert _statuses(fresh_database) == Counter({"sent": JOBS})
    ids = Counter(str(m.message["Message-ID"]) for m in smtp.messages)
    subjects = {str(m.message["Subject"]) for m in smtp.messages}
    assert subjects == {f"job {n}" for n in range(JOBS)}  # every job delivered
    assert len(ids) == JOBS  # one Message-ID per job, the same on a repeated try
    # A row is sent again only if its worker died between the SMTP 250 and recording it:
    # at most the one message each killed worker had in flight.
    assert sum(ids.values()) - JOBS <= killed
