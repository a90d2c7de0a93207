"""Safe launch: test mode until an owner or admin publishes; the test addresses."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi.responses import Response

from deskhand.agent.launch import BadAddresses, launch_of, set_live, set_test_addresses
from deskhand.console.deps import EditorForm, Member, SignedInMember, console_router
from deskhand.team.audit import record_change

router = console_router()


def _page(me: SignedInMember, status: int = 200, error: str = "", typed: str = "") -> Response:
    console = me.console
    row = launch_of(console.db, console.brand.id)
    return console.render(
        "launch.html",
        status=status,
        launch=row,
        live=row is not None and row.live,
        addresses=typed if error else "\n".join(row.test_addresses if row else []),
        error=error,
    )


@router.get("/launch")
def launch_page(me: Member) -> Response:
    return _page(me)


def _switch(post: EditorForm, live: bool) -> Response:
    console = post.console
    was = set_live(console.db, console.brand.id, live, console.now)
    if was != live:
        record_change(
            console.db,
            brand_id=console.brand.id,
            member=post.me.member,
            area="launch",
            action="published" if live else "back to test mode",
            before={"live": was},
            after={"live": live},
            now=console.now,
        )
    return console.redirect("/admin/launch?" + urlencode({"done": "launch"}))


@router.post("/launch/publish")
def publish(post: EditorForm) -> Response:
    return _switch(post, True)


@router.post("/launch/test-mode")
def test_mode(post: EditorForm) -> Response:
    return _switch(post, False)


@router.post("/launch/addresses")
def addresses(post: EditorForm) -> Response:
    console = post.console
    typed = post.form.get("addresses", 8000)
    row = launch_of(console.db, console.brand.id)
    before = list(row.test_addresses) if row else []
    try:
        after = set_test_addresses(console.db, console.brand.id, typed.splitlines(), console.now)
    except BadAddresses as exc:
        return _page(post.me, 400, str(exc), typed)
    if after != before:
        record_change(
            console.db,
            brand_id=console.brand.id,
            member=post.me.member,
            area="launch",
            action="test addresses changed",
            before={"test_addresses": before},
            after={"test_addresses": after},
            now=console.now,
        )
    return console.redirect("/admin/launch?" + urlencode({"done": "launch"}))
