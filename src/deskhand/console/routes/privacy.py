"""Privacy: export or erase one shopper's data from the console (GDPR art. 15 and 17).

The same `privacy/export.py` and `privacy/erase.py` the command line uses. Every role sees
the page; only owner and admin export or erase (checked on the server). Erasing asks for a
confirmation first, showing what it will touch. Both go into the audit log under the
shopper's masked address, so the log does not keep what the erasure removed.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from fastapi.responses import Response

from deskhand.console.deps import EditorForm, Member, console_router
from deskhand.privacy.erase import erase_shopper
from deskhand.privacy.export import export_shopper
from deskhand.privacy.held import find_held
from deskhand.team.audit import recent_changes, record_change

router = console_router()
AREA = "privacy"
NOT_AN_ADDRESS = "An email address, or a phone number with its country code (+31…)."


def masked(address: str) -> str:
    """Enough of an address to tell entries apart in the audit log, not to contact anyone."""
    address = address.strip()
    if "@" in address:
        local, _, domain = address.rpartition("@")
        return f"{local[:1]}***@{domain}"
    digits = [c for c in address if c.isdigit()]
    return "***" + "".join(digits[-3:])


def _page(me: Member, *, status: int = 200, error: str = "", **extra: object) -> Response:
    console = me.console
    changes = [c for c in recent_changes(console.db, console.brand.id) if c.area == AREA]
    return console.render("privacy.html", status=status, error=error, changes=changes[:20], **extra)


@router.get("/privacy")
def privacy_page(me: Member, done: str = "") -> Response:
    return _page(me, erased=done == "erased")


@router.post("/privacy/export")
def export(post: EditorForm) -> Response:
    console = post.console
    address = post.form.get("address", 200).strip()
    doc = export_shopper(console.db, console.brand, address, console.now)
    if doc is None:
        return _page(post.me, status=400, error=NOT_AN_ADDRESS, address=address)
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=post.me.member,
        area=AREA,
        action="shopper data exported",
        before={},
        after={"shopper": masked(address), "conversations": len(doc["conversations"])},
        now=console.now,
    )
    name = f"shopper-export-{console.now:%Y%m%d-%H%M%S}.json"
    return Response(
        json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/privacy/erase")
def erase(post: EditorForm) -> Response:
    console, form = post.console, post.form
    address = form.get("address", 200).strip()
    held = find_held(console.db, console.brand, address)
    if held is None:
        return _page(post.me, status=400, error=NOT_AN_ADDRESS, address=address)
    if form.get("action") != "erase" or form.get("confirm") != "yes":
        # First the confirmation, with what the erasure would touch; nothing changed yet.
        return _page(
            post.me,
            confirm=address,
            conversations=len(held.conversation_ids),
            customer=held.customer is not None,
        )
    done = erase_shopper(console.db, console.brand, address, console.now)
    if done is None:
        return _page(post.me, status=400, error=NOT_AN_ADDRESS, address=address)
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=post.me.member,
        area=AREA,
        action="shopper erased",
        before={},
        after={
            "shopper": masked(address),
            "conversations": done.conversations,
            "messages": done.messages,
            "customer_anonymised": done.customer,
        },
        now=console.now,
    )
    return console.redirect("/admin/privacy?" + urlencode({"done": "erased"}))
