"""Importing a help centre from the Content page: validated, audit-logged, queued as a
background task, and its progress shown live in a real Chromium while the app's own worker
thread (no Redis) crawls a local help centre."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.channels.worker import start_worker_thread
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import make_engine
from deskhand.team.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD
from deskhand.web.app import create_app
from tests.conftest import SECRET, free_port
from tests.console.team_members import Member
from tests.console.test_console_browser import accessibility_problems, shots  # noqa: F401
from tests.demo_snapshot import DemoSnapshot
from tests.fakes.help_centre import help_centre


def test_an_import_is_validated_queued_logged_and_readable_as_json(
    client: TestClient, db: Session, owner: Member
) -> None:
    bad = owner.post("/admin/content/crawl", {"url": "ftp://help.example/"}, "/admin/content")
    assert bad.status_code == 400
    assert "An address starting with https://" in bad.text
    pages = owner.post(
        "/admin/content/crawl",
        {"url": "https://help.example/", "max_pages": "9999"},
        "/admin/content",
    )
    assert pages.status_code == 400
    assert "Pages: a whole number from 1 to 500." in pages.text
    db.rollback()
    assert db.scalars(select(models.BackgroundTask)).first() is None
    r = owner.post(
        "/admin/content/crawl",
        {"url": "https://help.example/faq/", "max_pages": "25"},
        "/admin/content",
    )
    assert r.status_code == 303
    db.rollback()
    [task] = db.scalars(select(models.BackgroundTask))
    assert (task.kind, task.status) == ("crawl_help_centre", "queued")
    assert task.params == {"url": "https://help.example/faq/", "max_pages": 25}
    [change] = db.scalars(
        select(models.SettingsChange).where(models.SettingsChange.area == "content")
    )
    assert change.actor == DEMO_OWNER_EMAIL
    assert change.after == {"url": "https://help.example/faq/", "max_pages": 25}
    page = client.get(r.headers["location"]).text
    assert "Help centre import queued" in page
    assert f'data-crawl="{task.id}" data-state="queued"' in page
    view = client.get(f"/admin/content/crawls/{task.id}")
    assert view.json() == {
        "id": task.id,
        "url": "https://help.example/faq/",
        "status": "queued",
        "done": 0,
        "found": 0,
        "current": "",
        "errors": [],
        "result": "",
    }
    assert client.get(f"/admin/content/crawls/{task.id + 1}").status_code == 404
    script = client.get("/admin/assets/console.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "/admin/content/crawls/" in script.text


def test_a_viewer_sees_imports_but_cannot_start_one(
    client: TestClient, db: Session, viewer: Member
) -> None:
    r = viewer.post("/admin/content/crawl", {"url": "https://help.example/"}, "/admin/content")
    assert r.status_code == 403
    db.rollback()
    assert db.scalars(select(models.BackgroundTask)).first() is None
    assert 'action="/admin/content/crawl"' not in client.get("/admin/content").text


@pytest.fixture
def crawling_server(
    tmp_path: Path, sqlite_template: Path, sqlite_demo: DemoSnapshot
) -> Iterator[str]:
    """The demo app as `deskhand demo` runs it (SQLite, no Redis, its worker thread), allowed
    to import from 127.0.0.1."""
    db = tmp_path / "live.db"
    shutil.copy(sqlite_template, db)
    port = free_port()
    settings = Settings(
        database_url=f"sqlite:///{db}",
        data_dir=tmp_path,
        demo=True,
        secret_key=SECRET,
        base_url=f"http://127.0.0.1:{port}",
        allow_private_urls=True,
        redis_url="",
    )
    engine = make_engine(settings.resolved_database_url())
    sqlite_demo.restore(engine, datetime.now(UTC))
    engine.dispose()
    app = create_app(settings)
    _, stop = start_worker_thread(settings, app.state.deskhand.sessions, app.state.deskhand.agent)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        assert thread.is_alive(), "the server stopped"
        time.sleep(0.05)
    yield settings.base_url
    stop.set()
    server.should_exit = True
    thread.join(timeout=10)


def test_the_progress_bar_follows_a_crawl_live(
    crawling_server: str,
    browser: Any,
    shots: Path,  # noqa: F811
) -> None:
    # The console's own Content-Security-Policy stays on: the progress script must load under it.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    try:
        page.goto(f"{crawling_server}/admin/content")
        page.get_by_label("Email").fill(DEMO_OWNER_EMAIL)
        page.get_by_label("Password").fill(DEMO_OWNER_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/admin/content")
        with help_centre() as site:
            held = site.hold("/help/pickup")
            page.get_by_label("Import a help centre").fill(f"{site.base}/help/")
            page.get_by_role("button", name="Import").click()
            page.wait_for_url("**/admin/content?done=crawl#crawls")
            block = page.locator("[data-crawl]").first
            # Part-way: the page itself (not a reload) shows the pages read and the one now read.
            block.locator("[data-current]").filter(has_text="/help/pickup").wait_for()
            assert block.get_attribute("data-state") == "running"
            assert int(block.locator("progress").get_attribute("value") or "0") >= 1
            assert block.locator("progress").get_attribute("max") == "4"
            page.screenshot(path=str(shots / "console-content-import.png"), full_page=True)
            held.set()
            page.wait_for_selector('[data-crawl][data-state="done"]', timeout=30_000)
        assert block.locator("[data-count]").inner_text() == "4 of 4 pages read"
        assert block.locator("progress").get_attribute("value") == "4"
        assert block.locator("[data-result]").inner_text().startswith("4 pages read")
        assert blocked == []
        assert accessibility_problems(page) == []
        page.reload()
        assert page.get_by_role("link", name="Store pickup").count() == 1
    finally:
        context.close()
