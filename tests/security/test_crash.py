"""kill -9 of the server mid-conversation and mid-outbox-delivery: nothing lost, nothing doubled.

The real `deskhand demo` process (API, agent and outbox worker in one), with email going to a
local SMTP server that holds the first message it receives. Shoppers keep chatting and asking
for codes; the server is killed (SIGKILL: no cleanup) while a code email is on the wire and
turns are in flight, then started again on the same data.

After the restart: every turn the server answered is stored exactly once, no conversation
holds half a turn, every code has exactly one email in the outbox, and every email is
delivered: exactly once, except the one on the wire at the kill, which the worker sends again
once its lease is over (at-least-once, as with any mail provider).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from deskhand.channels.email.smtp import build_message
from deskhand.config import Settings
from deskhand.jobs.transport import Outgoing
from tests.conftest import SECRET, free_port
from tests.fakes.fake_mail import RecordingHandler, SmtpServer

CODE = re.compile(r"\b\d{6}\b")


class HeldFirst(RecordingHandler):
    """Records mail; holds the first DATA until released (the kill happens meanwhile)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived, self.release = threading.Event(), threading.Event()

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        if not self.arrived.is_set():
            self.arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.handler = HeldFirst()
    server.controller.handler = server.handler
    server.start()
    yield server
    server.handler.release.set()  # type: ignore[attr-defined]
    server.stop()


def start_server(data_dir: Path, smtp_port: int) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKHAND_")}
    env.update(
        {
            "DESKHAND_SMTP_HOST": "127.0.0.1",
            "DESKHAND_SMTP_PORT": str(smtp_port),
            "DESKHAND_SMTP_SECURITY": "none",
            "DESKHAND_SMTP_FROM": "Fjord & Finch <help@fjordfinch.example>",
            "DESKHAND_CODES_PER_ADDRESS_PER_HOUR": "100000",
            "DESKHAND_CODES_PER_CLIENT_PER_HOUR": "100000",
            "DESKHAND_MESSAGES_PER_MINUTE": "100000",
            "DESKHAND_CONVERSATIONS_PER_MINUTE": "100000",
            "DESKHAND_WORKER_POLL_SECONDS": "0.2",
        }
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "deskhand.cli",
            "demo",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "deskhand demo exited"
        try:
            if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("deskhand demo did not start")


class Shopper(threading.Thread):
    """Asks to see orders and gives Ava's address, again and again; keeps what was answered."""

    def __init__(self, base: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.stop = base, stop
        self.answered: list[tuple[str, str]] = []  # (conversation, agent message id)
        self.tokens: dict[str, str] = {}
        self.cut = False  # a request of ours was in flight when the server died

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as http:
            try:
                while not self.stop.is_set():
                    created = http.post("/api/v1/conversations", json={"channel": "webchat"})
                    cid, token = created.json()["id"], created.json()["token"]
                    self.tokens[cid] = token
                    for text in ("I'd like to see my orders", "ava@example.com"):
                        r = http.post(
                            f"/api/v1/conversations/{cid}/messages",
                            json={"text": text},
                            headers={"Authorization": f"Bearer {token}"},
                        )
                        assert r.status_code == 200, r.text
                        self.answered.append((cid, r.json()["messages"][0]["id"]))
            except (httpx.HTTPError, KeyError, ValueError):
                self.cut = True  # the server was killed under us


def rows(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql, args))


def test_kill_mid_conversation_and_mid_delivery_loses_and_doubles_nothing(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    handler: HeldFirst = smtp.handler  # type: ignore[assignment]
    data = tmp_path / "data"
    proc, base = start_server(data, smtp.port)
    stop = threading.Event()
    shoppers = [Shopper(base, stop) for _ in range(3)]
    try:
        for s in shoppers:
            s.start()
        assert handler.arrived.wait(60), "no code email reached the SMTP server"
        while sum(len(s.answered) for s in shoppers) < 12:  # turns keep coming meanwhile
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # no shutdown, no cleanup
        proc.wait(10)
    finally:
        stop.set()
        if proc.poll() is None:
            proc.kill()
    for s in shoppers:
        s.join(30)
    handler.release.set()  # the held DATA completes towards a dead client
    db = data / "deskhand.db"

    assert any(s.cut for s in shoppers), "no turn was in flight at the kill"
    on_the_wire = rows(db, "SELECT id FROM outbox WHERE status = 'sending'")
    assert on_the_wire, "no email was being delivered at the kill"  # (claimed, leased)
    # The killed worker's lease runs 5 minutes: let that time pass, then restart.
    rows(db, "UPDATE outbox SET locked_until = '2000-01-01 00:00:00' WHERE status = 'sending'")
    proc, base = start_server(data, smtp.port)
    try:
        deadline = time.monotonic() + 60
        while rows(db, "SELECT id FROM outbox WHERE status IN ('pending', 'retry', 'sending')"):
            assert time.monotonic() < deadline, "the outbox was not delivered after restart"
            time.sleep(0.2)
        cid, token = next(iter(shoppers[0].tokens.items()))
        goes_on = httpx.post(
            f"{base}/api/v1/conversations/{cid}/messages",
            json={"text": "thanks"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert goes_on.status_code == 200  # a conversation from before the crash goes on
    finally:
        proc.terminate()
        proc.wait(10)

    answered = [mid for s in shoppers for _, mid in s.answered]
    stored = Counter(r[0] for r in rows(db, "SELECT id FROM messages WHERE role = 'agent'"))
    assert all(stored[mid] == 1 for mid in answered), "an answered turn was lost or doubled"

    turns: dict[str, list[tuple[int, str]]] = {}
    for conv, seq, role in rows(db, "SELECT conversation_id, seq, role FROM messages"):
        turns.setdefault(conv, []).append((seq, role))
    for conv, msgs in turns.items():
        msgs.sort()
        assert [seq for seq, _ in msgs] == list(range(1, len(msgs) + 1)), conv
        assert [role for _, role in msgs] == ["shopper", "agent"] * (len(msgs) // 2), conv

    codes = rows(db, "SELECT count(*) FROM verification_codes WHERE address = 'ava@example.com'")
    emails = rows(db, "SELECT subject, status FROM outbox WHERE recipient = 'ava@example.com'")
    assert codes[0][0] == len(emails) > 0  # one email per code, none lost, none doubled
    assert {status for _, status in emails} == {"sent"}

    delivered = Counter(CODE.search(str(m.message["Subject"])).group(0) for m in smtp.messages)
    queued = Counter(CODE.search(subject).group(0) for subject, _ in emails)
    assert set(delivered) == set(queued)  # every email arrived
    again = [code for code, n in delivered.items() if n > queued[code]]
    assert len(again) <= 1  # only the one on the wire at the kill may arrive twice
    assert all(delivered[code] == 1 for code in queued if code not in again)
    for code in again:  # the repeat carries the same Message-ID: mail systems show one
        ids = {
            str(m.message["Message-ID"])
            for m in smtp.messages
            if CODE.search(str(m.message["Subject"])).group(0) == code  # type: ignore[union-attr]
        }
        assert len(ids) == 1


def test_a_resent_email_keeps_its_message_id() -> None:
    """Sent again after a crash, an email is the same message to mail systems."""
    settings = Settings(
        secret_key=SECRET, smtp_host="127.0.0.1", smtp_from="Shop <help@shop.example>"
    )

    def attempt(key: str, n: int) -> str:
        item = Outgoing(1, 1, "email", "ava@example.com", "Your code", "123456", key, {}, n)
        return str(build_message(item, settings)["Message-ID"])

    first, again = attempt("code:1", 1), attempt("code:1", 2)
    assert first == again
    assert first.endswith("@shop.example>")
    assert attempt("code:2", 1) != first
    other = settings.model_copy(update={"secret_key": "x" * 40})
    assert (
        str(
            build_message(
                Outgoing(1, 1, "email", "ava@example.com", "s", "b", "code:1", {}, 1), other
            )["Message-ID"]
        )
        != first
    )  # another installation, another id
