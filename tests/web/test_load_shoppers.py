"""`deskhand bench load`'s shoppers: each on its own connection, as each has its own browser
(one shared httpx pool was itself the bottleneck at 200 shoppers, encode/httpx#3215)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from fastapi import Request, Response

from deskhand.bench import loadgen
from deskhand.bench.loadgen import closed_loop
from deskhand.bench.server import free_port
from deskhand.config import Settings
from deskhand.web.app import create_app


def test_closed_loop_shoppers_each_hold_their_own_connection(
    settings: Settings, demo_db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients: list[httpx.AsyncClient] = []

    class Counted(httpx.AsyncClient):
        def __init__(self, **kw: object) -> None:
            super().__init__(**kw)  # type: ignore[arg-type]  # httpx's own keywords
            clients.append(self)

    monkeypatch.setattr(loadgen.httpx, "AsyncClient", Counted)
    app = create_app(settings)
    peers: set[int] = set()

    @app.middleware("http")
    async def note_peer(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path.startswith("/api/v1/conversations") and request.client:
            peers.add(request.client.port)
        return await call_next(request)

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        # Its own thread: a browser test's Playwright may hold a running loop in this one.
        with ThreadPoolExecutor(1) as pool:
            tally = pool.submit(asyncio.run, closed_loop(f"http://127.0.0.1:{port}", 3, 1.0))
            tally = tally.result()
    finally:
        server.should_exit = True
        thread.join(10)
    assert (tally.errors, tally.dropped) == (0, 0)
    assert len(tally.latencies) >= 3
    assert len(tally.creates) >= 3
    assert len(clients) == 3  # a client per shopper, not one pool for all
    assert len(peers) == 3  # three shoppers, three connections, each kept alive
