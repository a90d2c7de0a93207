"""Knowledge-base fixtures: documents of every format, a local help centre, a demo KB."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from tests.demo_snapshot import DemoSnapshot

from deskhand.db import models
from deskhand.db.session import make_engine, make_sessionmaker


@pytest.fixture
def brand(session: Session) -> models.Brand:
    return session.query(models.Brand).one()


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC)


class FakeClock:
    """A crawl's clock that moves only when the crawl sleeps: its waits, without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []  # every wait the crawl asked for, in seconds

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Site:
    """A help centre on 127.0.0.1: path -> (status, content type, body); editable live."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.hits: list[str] = []
        self.clock: Callable[[], float] = time.monotonic  # a test may read the crawl's clock
        self.times: list[float] = []  # self.clock() at each request, as hits
        self.base = ""

    def page(self, path: str, body: str, status: int = 200, kind: str = "text/html") -> None:
        self.pages[path] = (status, kind, body.encode("utf-8"))


@pytest.fixture
def help_site() -> Iterator[Site]:
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            site.hits.append(self.path)
            site.times.append(site.clock())
            status, kind, body = site.pages.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    # A short poll interval: shutdown() waits up to one interval (0.5 s by default).
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def demo_kb(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, sqlite_demo: DemoSnapshot
) -> Iterator[Session]:
    """The demo knowledge base on SQLite, shared by a module's read-only retrieval tests."""
    path = tmp_path_factory.mktemp("kb") / "deskhand.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    sqlite_demo.restore(engine, datetime.now(UTC))
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()
