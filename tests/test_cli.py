"""The README's commands: `deskhand demo` serves a real server; `deskhand chat` talks."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

DESKHAND = [sys.executable, "-m", "deskhand.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKHAND_")}
    proc = subprocess.Popen(
        [*DESKHAND, "demo", "--port", str(port), "--data-dir", str(tmp_path / "data")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if proc.poll() is not None:
                pytest.fail(f"deskhand demo exited: {proc.stdout.read() if proc.stdout else ''}")
            try:
                if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("deskhand demo did not start within 30 s")
        yield base, tmp_path / "data"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.stdout:
            print(proc.stdout.read())  # noqa: T201 - the server log, shown on failure


def test_demo_serves_a_whole_conversation_over_http(demo_server: tuple[str, Path]) -> None:
    base, data_dir = demo_server
    assert (data_dir / "deskhand.db").exists()
    with httpx.Client(base_url=base, timeout=10) as http:
        conv = http.post("/api/v1/conversations", json={"channel": "webchat", "locale": "de"})
        assert conv.status_code == 201
        cid, token = conv.json()["id"], conv.json()["token"]
        auth = {"Authorization": f"Bearer {token}"}

        def say(text: str) -> dict:
            r = http.post(
                f"/api/v1/conversations/{cid}/messages", json={"text": text}, headers=auth
            )
            assert r.status_code == 200, r.text
            return r.json()["messages"][0]

        assert say("Ich möchte meine Bestellung 1001 ändern")["meta"]["outcome"] == (
            "needs_sign_in"
        )
        say("ava@example.com")
        outbox = http.get("/api/v1/dev/outbox", params={"to": "ava@example.com"}).json()
        code = re.search(r"\b\d{6}\b", outbox["messages"][0]["subject"]).group(0)
        reply = say(code)
        assert reply["meta"]["outcome"] == "hub_link"
        edit = reply["blocks"][-1]["actions"][0]["url"]
        assert edit.partition("?")[0] == f"{base}/hub/orders/1001/edit"
        assert edit.partition("?")[2].startswith("lang=de&t=")  # a one-time Hub sign-in
        assert http.get("/").status_code == 200
        assert http.get("/help/shipping").status_code == 200


def test_demo_reset_reseeds_relative_to_now(tmp_path: Path) -> None:
    from deskhand.config import Settings
    from deskhand.db import models
    from deskhand.db.session import make_engine, make_sessionmaker
    from deskhand.demo import prepare_database

    settings = Settings(demo=True, data_dir=tmp_path)
    prepare_database(settings)
    engine = make_engine(settings.resolved_database_url())
    with make_sessionmaker(engine)() as session:
        order = session.query(models.Order).filter_by(number="1001").one()
        order.placed_at -= timedelta(hours=1)  # an hour passes, without waiting for it
        session.commit()
        first = order.placed_at
    engine.dispose()
    prepare_database(settings)  # no reset: the same data
    prepare_database(settings, reset=True)
    engine = make_engine(settings.resolved_database_url())
    with make_sessionmaker(engine)() as session:
        again = session.query(models.Order).filter_by(number="1001").one().placed_at
        assert session.query(models.Order).count() == 12
    engine.dispose()
    assert (again - first).total_seconds() >= 1


def test_chat_holds_a_conversation_in_the_terminal(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKHAND_")}
    out = subprocess.run(
        [*DESKHAND, "chat", "--data-dir", str(tmp_path)],
        input="hallo\nwie lange dauert der Versand nach Deutschland?\nquit\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    assert "Fjord & Finch" in out.stdout
    assert "Deutschland" in out.stdout
    assert "policy · answered" in out.stdout
