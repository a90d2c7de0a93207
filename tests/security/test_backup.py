"""`deskhand backup` while the server writes, and `deskhand restore` brings it all back."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import threading
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from deskhand.cli import main
from deskhand.config import Settings
from deskhand.web.app import create_app
from tests.conftest import SECRET


def conversations_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT id FROM conversations")}


def cli(monkeypatch: pytest.MonkeyPatch, url: str, *argv: str) -> int:
    monkeypatch.setenv("DESKHAND_DATABASE_URL", url)
    monkeypatch.setenv("DESKHAND_SECRET_KEY", SECRET)
    return main(list(argv))


class Shoppers(threading.Thread):
    """Shoppers chatting with the live server until stopped; keeps their tokens."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop, self.tokens = base, threading.Event(), {}
        self.backed_up = threading.Event()
        self.later: set[str] = set()  # conversations started after the backup had finished
        self.errors: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as http:
            while not self.stop.is_set():
                after = self.backed_up.is_set()
                r = http.post("/api/v1/conversations", json={"channel": "webchat"})
                if r.status_code != 201:
                    self.errors.append(r.text)
                    continue
                cid, token = r.json()["id"], r.json()["token"]
                if after:
                    self.later.add(cid)
                said = http.post(
                    f"/api/v1/conversations/{cid}/messages",
                    json={"text": "what is your returns policy?"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                if said.status_code == 200:
                    self.tokens[cid] = token


def test_backup_while_serving_then_restore(
    live_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_db = tmp_path / "live.db"
    url = f"sqlite:///{live_db}"
    shoppers = Shoppers(live_server)
    shoppers.start()
    while len(shoppers.tokens) < 3:
        shoppers.join(0.1)
    before = set(shoppers.tokens)
    out = tmp_path / "backup.db"

    assert cli(monkeypatch, url, "backup", str(out)) == 0  # while they keep writing

    shoppers.backed_up.set()
    while len(shoppers.later) < 2:
        shoppers.join(0.1)
    shoppers.stop.set()
    shoppers.join(30)
    assert shoppers.errors == []
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with sqlite3.connect(out) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved = conversations_in(out)
    assert before <= saved  # everything done before the backup started is in it
    later = shoppers.later
    assert not later & saved  # and nothing started after it finished

    # Restore into a copy of the live database as it is now (a server would be stopped first).
    restored = tmp_path / "restored.db"
    assert cli(monkeypatch, url, "backup", str(restored)) == 0
    assert conversations_in(restored) >= later
    restored_url = f"sqlite:///{restored}"
    assert cli(monkeypatch, restored_url, "restore", str(out)) == 2  # no --yes: nothing done
    assert conversations_in(restored) >= later
    assert cli(monkeypatch, restored_url, "restore", str(out), "--yes") == 0
    assert conversations_in(restored) == saved

    settings = Settings(database_url=restored_url, data_dir=tmp_path, demo=True, secret_key=SECRET)
    cid = sorted(before)[0]
    with TestClient(create_app(settings)) as client:
        auth = {"Authorization": f"Bearer {shoppers.tokens[cid]}"}
        transcript = client.get(f"/api/v1/conversations/{cid}", headers=auth)
        assert transcript.status_code == 200
        said = [m["text"] for m in transcript.json()["messages"] if m["role"] == "shopper"]
        assert said == ["what is your returns policy?"]


def test_restore_refuses_what_is_not_a_backup(
    tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "deskhand.db"
    shutil.copy(sqlite_template, target)
    before = target.read_bytes()
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (x)")
    url = f"sqlite:///{target}"
    assert cli(monkeypatch, url, "restore", str(junk), "--yes") == 1
    assert cli(monkeypatch, url, "restore", str(other), "--yes") == 1
    assert target.read_bytes() == before


def test_backup_never_overwrites_and_points_postgres_to_pg_dump(
    tmp_path: Path,
    sqlite_template: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    existing = tmp_path / "existing.db"
    existing.write_text("keep me")
    url = f"sqlite:///{sqlite_template}"
    assert cli(monkeypatch, url, "backup", str(existing)) == 1
    assert existing.read_text() == "keep me"
    pg = "postgresql+psycopg://postgres@127.0.0.1:5432/nowhere"
    assert cli(monkeypatch, pg, "backup", str(tmp_path / "x.db")) == 2
    assert "pg_dump" in capsys.readouterr().err
