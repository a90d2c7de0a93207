"""The Shopify parts of the integrations page: sync progress (JSON for the page's script),
"sync now", and installing Deskhand as a public app (OAuth), owner and admin only."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi.responses import FileResponse, JSONResponse, Response

from deskhand.commerce.shopify.oauth import InstallRefused, begin_install, finish_install
from deskhand.commerce.shopify.scheduling import NotSyncable, request_sync
from deskhand.console.deps import Editor, EditorForm, Member, console_router
from deskhand.console.shopify_panel import progress
from deskhand.db.integrations import find_integration
from deskhand.domain.vocabulary import IntegrationKind
from deskhand.tasks.queue import TaskKind, TaskQueue
from deskhand.team.audit import record_change

router = console_router()
SCRIPT = Path(__file__).parent.parent / "static" / "shopify_sync.js"
BACK = "/admin/integrations"


@router.get("/integrations/shopify/progress")
def sync_progress(me: Member) -> Response:
    console = me.console
    body = progress(console.db, console.state.settings, console.brand.id)
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.get("/shopify-sync.js")
def sync_script() -> Response:
    return FileResponse(SCRIPT, media_type="text/javascript")


@router.post("/integrations/shopify/sync")
def sync_now(post: EditorForm) -> Response:
    console = post.console
    settings = console.state.settings
    if find_integration(console.db, console.brand.id, IntegrationKind.SHOPIFY) is None:
        return console.refuse(404, "Not connected", "Connect Shopify first.")
    how = "queued" if settings.redis_url else "requested"
    if not settings.redis_url:  # the worker's chore (the app's worker thread or `deskhand worker`)
        try:
            request_sync(console.db, console.brand.id, console.now)
        except NotSyncable:
            return console.refuse(404, "Not connected", "Connect Shopify first.")
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=post.me.member,
        area="integrations",
        action="shopify sync requested",
        before={},
        after={"sync": how},
        now=console.now,
    )
    if settings.redis_url:  # `deskhand worker` runs it
        # The queue records its task in a transaction of its own: end this page's first
        # (on SQLite the two would wait on each other's write lock).
        console.db.commit()
        queue = TaskQueue(settings)
        try:
            queue.submit(TaskKind.SHOPIFY_SYNC, console.brand.id)
        finally:
            queue.close()
    return console.redirect(f"{BACK}?{urlencode({'done': 'shopify_sync'})}#shopify")


@router.get("/shopify/install")
def install(me: Editor, shop: str = "") -> Response:
    console = me.console
    try:
        url = begin_install(
            console.db, console.state.settings, console.brand.id, shop, me.member.id, console.now
        )
    except InstallRefused as exc:
        return console.refuse(400, "Cannot install from Shopify", str(exc))
    return console.redirect(url)


@router.get("/shopify/callback")
def callback(me: Editor) -> Response:
    console = me.console
    params = dict(console.request.query_params.items())
    try:
        row = finish_install(
            console.db, console.state.settings, console.brand.id, params, me.member.id,
            console.now,
        )  # fmt: skip
    except InstallRefused as exc:
        return console.refuse(400, "Shopify was not connected", str(exc))
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=me.member,
        area="integrations",
        action="shopify connected",
        before={},
        after={"shop": row.config.get("shop", ""), "through": "app install", "secrets": "changed"},
        now=console.now,
    )
    return console.redirect(f"{BACK}?{urlencode({'done': 'shopify_installed'})}#shopify")
