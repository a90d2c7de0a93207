"""Shared fixtures: real databases (SQLite and PostgreSQL), the demo app, personas."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session

from deskhand.config import Settings
from deskhand.db import migrate
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.web.app import create_app
from tests.demo_snapshot import DemoSnapshot, empty

BASE_PG_URL = os.environ.get(
    "DESKHAND_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Under pytest-xdist each worker has a database of its own beside the given one (test_gw0, …):
# the PostgreSQL tests empty their database between tests, so workers must not share one.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
PG_URL = (
    make_url(BASE_PG_URL)
    .set(database=f"{make_url(BASE_PG_URL).database}_{WORKER}")
    .render_as_string(hide_password=False)
    if WORKER
    else BASE_PG_URL
)
REDIS_URL = os.environ.get("DESKHAND_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_SERVICES = os.environ.get("DESKHAND_REQUIRE_SERVICES") == "1"
SECRET = "test-secret-key-that-is-long-enough-for-hmac"


def _create_worker_database() -> None:
    """The worker's own database, made once beside the given one (which must exist)."""
    name = make_url(PG_URL).database
    admin = create_engine(make_url(BASE_PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(text("select 1 from pg_database where datname = :n"), {"n": name})
            if found.first() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def _postgres_or_skip() -> Engine:
    engine = make_engine(PG_URL)
    try:
        if WORKER:
            _create_worker_database()
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:  # any connection failure means "no PostgreSQL here"
        engine.dispose()
        reason = f"no PostgreSQL at {PG_URL}: {type(exc).__name__}"
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (DESKHAND_REQUIRE_SERVICES=1 turns this skip into a failure)")
        pytest.skip(reason)
    return engine


@pytest.fixture
def redis_space() -> Iterator[tuple[str, str]]:
    """(URL, key prefix) on a reachable Redis; the test's keys are deleted afterwards.

    Each test writes under its own prefix, so nothing else in that Redis is touched.
    """
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        reason = f"no Redis at {REDIS_URL}: {type(exc).__name__}"
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (DESKHAND_REQUIRE_SERVICES=1 turns this skip into a failure)")
        pytest.skip(reason)
    prefix = f"deskhand-test-{uuid.uuid4().hex}"
    yield REDIS_URL, prefix
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test copies it (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "deskhand.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    assert not path.with_name("deskhand.db-wal").exists()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    engine = _postgres_or_skip()
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated, empty database of each kind."""
    if request.param == "sqlite":
        target = tmp_path / "deskhand.db"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"
    engine: Engine = request.getfixturevalue("postgres_engine")
    empty(engine)
    return PG_URL


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        data_dir=tmp_path,
        demo=True,
        secret_key=SECRET,
        base_url="http://testserver",
    )


@pytest.fixture(scope="session")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> DemoSnapshot:
    """The demo seeded once on SQLite; each test restores it as if seeded at its start."""
    path = tmp_path_factory.mktemp("demo") / "deskhand.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        return DemoSnapshot.seed(engine, datetime.now(UTC))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_demo(postgres_engine: Engine) -> DemoSnapshot:
    """The demo seeded once on PostgreSQL (then emptied again); restored per test."""
    empty(postgres_engine)
    snapshot = DemoSnapshot.seed(postgres_engine, datetime.now(UTC))
    empty(postgres_engine)
    return snapshot


@pytest.fixture
def demo_db(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """The demo store and knowledge base, as seeded now (restored from a session snapshot)."""
    engine = make_engine(settings.resolved_database_url())
    kind = "postgres" if engine.dialect.name == "postgresql" else "sqlite"
    snapshot: DemoSnapshot = request.getfixturevalue(f"{kind}_demo")
    snapshot.restore(engine, datetime.now(UTC))
    yield engine
    engine.dispose()


@pytest.fixture
def session(demo_db: Engine) -> Iterator[Session]:
    with make_sessionmaker(demo_db)() as s:
        yield s


@pytest.fixture
def client(settings: Settings, demo_db: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


class Chat:
    """One shopper's conversation through the public API."""

    def __init__(self, client: TestClient, locale: str | None = None) -> None:
        self.client = client
        body: dict[str, Any] = {"channel": "webchat"}
        if locale:
            body["locale"] = locale
        r = client.post("/api/v1/conversations", json=body)
        assert r.status_code == 201, r.text
        self.id, self.token = r.json()["id"], r.json()["token"]
        self.last: dict[str, Any] = {}

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def send(self, text: str | None = None, action: str | None = None) -> dict[str, Any]:
        """Send and return the single agent message; fails the test on any non-200."""
        body = {"text": text} if text is not None else {"action": action}
        r = self.client.post(
            f"/api/v1/conversations/{self.id}/messages", json=body, headers=self.headers
        )
        assert r.status_code == 200, r.text
        self.last = r.json()
        assert len(self.last["messages"]) == 1
        message: dict[str, Any] = self.last["messages"][0]
        return message

    def verify(self, email: str) -> None:
        """Ask to see orders, give the email, type the code from the dev outbox."""
        self.send(text=email)
        outbox = self.client.get("/api/v1/dev/outbox", params={"to": email}).json()
        code = re.search(r"\b\d{6}\b", outbox["messages"][0]["subject"]).group(0)
        self.send(text=code)


def text_of(message: dict[str, Any]) -> str:
    return " ".join(b["text"] for b in message["blocks"] if b["type"] == "text")


def block(message: dict[str, Any], kind: str) -> dict[str, Any]:
    found = [b for b in message["blocks"] if b["type"] == kind]
    assert found, f"no {kind} block in {message['blocks']}"
    return found[0]


@pytest.fixture
def chat(client: TestClient) -> Chat:
    return Chat(client)


@pytest.fixture
def ava_verified(client: TestClient) -> Chat:
    c = Chat(client, locale="en")
    c.send(text="I'd like to see my orders")
    c.verify("ava@example.com")
    return c


# -- a real server and a real browser ---------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path, sqlite_template: Path, sqlite_demo: DemoSnapshot) -> Iterator[str]:
    """The demo app on a free port of 127.0.0.1 (SQLite, seeded now); yields its base URL."""
    import threading
    import time

    import uvicorn

    db = tmp_path / "live.db"
    shutil.copy(sqlite_template, db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    live_settings = Settings(
        database_url=f"sqlite:///{db}",
        data_dir=tmp_path,
        demo=True,
        secret_key=SECRET,
        base_url=base,
    )
    engine = make_engine(live_settings.resolved_database_url())
    sqlite_demo.restore(engine, datetime.now(UTC))
    engine.dispose()
    server = uvicorn.Server(
        uvicorn.Config(create_app(live_settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the live server did not start")
        time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason}; DESKHAND_REQUIRE_SERVICES=1 turns this skip into a failure")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()
