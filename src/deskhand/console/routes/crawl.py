"""Importing a help centre from the Content page: queue the crawl, then watch its progress.

The crawl runs as a background task (`tasks/`): on Dramatiq with Redis, else in the app's
own worker thread. Its row's progress is read by a small JSON endpoint the page polls.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi.responses import JSONResponse, Response
from starlette.background import BackgroundTask

from deskhand.console.deps import EditorForm, Member, console_router
from deskhand.db import models
from deskhand.tasks.queue import TaskKind
from deskhand.tasks.table import record_task, send_after_commit
from deskhand.team.audit import record_change

router = console_router()
SCRIPT = Path(__file__).resolve().parent.parent / "static" / "console.js"
MAX_URL = 2000
MAX_PAGES = 500


def crawl_view(row: models.BackgroundTask) -> dict[str, Any]:
    """What the page shows of one crawl (the JSON the progress bar polls)."""
    progress = row.progress or {}
    return {
        "id": row.id,
        "url": str(row.params.get("url", "")),
        "status": row.status,
        "done": int(progress.get("done", 0)),
        "found": int(progress.get("found", 0)),
        "current": str(progress.get("current", "")),
        "errors": [str(e) for e in progress.get("errors", [])],
        "result": row.result,
    }


def _problem(url: str) -> str:
    if not url:
        return "Give the address of your help centre."
    parts = urlsplit(url)
    if len(url) > MAX_URL or parts.scheme not in ("http", "https") or not parts.hostname:
        return "An address starting with https:// (or http://), like https://help.yourshop.com/."
    return ""


@router.post("/content/crawl")
def queue_crawl(post: EditorForm) -> Response:
    console = post.console
    url = post.form.get("url", MAX_URL + 1).strip()
    pages = post.form.get("max_pages", 10).strip() or "200"
    problem = _problem(url)
    if not problem and not (pages.isdigit() and 1 <= int(pages) <= MAX_PAGES):
        problem = f"Pages: a whole number from 1 to {MAX_PAGES}."
    if problem:
        return console.refuse(400, "The help centre was not added", problem)
    row = record_task(
        console.db,
        TaskKind.CRAWL_HELP_CENTRE,
        console.brand.id,
        {"url": url, "max_pages": int(pages)},
        console.now,
    )
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=post.me.member,
        area="content",
        action="help centre import queued",
        before={},
        after={"url": url, "max_pages": int(pages)},
        now=console.now,
    )
    answer = console.redirect("/admin/content?" + urlencode({"done": "crawl"}) + "#crawls")
    # Sent once the page's transaction has committed (FastAPI runs this after the response).
    answer.background = BackgroundTask(send_after_commit, console.state.settings, row.id)
    return answer


@router.get("/content/crawls/{task_id}")
def crawl_progress(task_id: int, me: Member) -> Response:
    console = me.console
    row = console.db.get(models.BackgroundTask, task_id)
    if row is None or row.brand_id != console.brand.id or row.kind != TaskKind.CRAWL_HELP_CENTRE:
        return JSONResponse({"detail": "no such import"}, status_code=404)
    return JSONResponse(crawl_view(row), headers={"Cache-Control": "no-store"})


@router.get("/assets/console.js")
def console_script() -> Response:
    return Response(
        SCRIPT.read_text(encoding="utf-8"),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )
