"""Agent Preview: start a preview conversation (as a chosen customer or not), talk, read the
diagnostics of each reply. Every team member may preview: it changes no setting."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi.responses import Response

from deskhand.console.deps import Member, MemberForm, SignedInMember, console_router
from deskhand.console.preview import (
    PreviewError,
    preview_of,
    preview_turn,
    previews_of,
    start_preview,
)

router = console_router()
MAX_TEXT = 4000


def _page(
    me: SignedInMember, conversation: str = "", status: int = 200, error: str = ""
) -> Response:
    console = me.console
    current = preview_of(console.db, console.brand.id, conversation) if conversation else None
    if current is not None and current.member_id != me.member.id:
        current = None
    return console.render(
        "preview.html",
        status=status,
        current=current,
        previews=previews_of(console.db, console.brand.id, me.member.id),
        error=error,
    )


@router.get("/preview")
def preview_page(me: Member, c: str = "") -> Response:
    return _page(me, c[:36])


@router.post("/preview")
def start(post: MemberForm) -> Response:
    console = post.console
    try:
        row = start_preview(
            console.db,
            console.brand,
            post.me.member,
            post.form.get("as_customer", 320),
            console.now,
        )
    except PreviewError as exc:
        return _page(post.me, status=400, error=str(exc))
    return console.redirect("/admin/preview?" + urlencode({"c": row.conversation_id}))


@router.post("/preview/{conversation}/say")
def say(conversation: str, post: MemberForm) -> Response:
    console = post.console
    row = preview_of(console.db, console.brand.id, conversation)
    if row is None or row.member_id != post.me.member.id:
        return console.refuse(404, "No such preview", "Start a new preview conversation.")
    text = post.form.get("text", MAX_TEXT).strip()
    action = post.form.get("action", 100)
    if not text and not action:
        return _page(post.me, row.conversation_id, 400, "Type a message first.")
    try:
        preview_turn(
            console.db,
            console.state.agent,
            console.brand,
            row,
            text=None if action else text,
            action=action or None,
            now=console.now,
            base_url=console.state.settings.base_url.rstrip("/"),
        )
    except PreviewError as exc:
        return _page(post.me, row.conversation_id, 400, str(exc))
    return console.redirect("/admin/preview?" + urlencode({"c": row.conversation_id}) + "#latest")
