"""The console's start page: the skills at a glance, the content's findings, recent changes."""

from __future__ import annotations

from fastapi.responses import Response

from deskhand.agent.launch import is_live
from deskhand.agent.skills.availability import skill_statuses
from deskhand.console.deps import Member, console_router
from deskhand.console.skill_pages import PAGES
from deskhand.knowledge.consistency import findings_for
from deskhand.team.audit import recent_changes

router = console_router()


@router.get("")
def overview(me: Member) -> Response:
    console = me.console
    return console.render(
        "overview.html",
        statuses=skill_statuses(console.db, console.brand),
        pages=PAGES,
        findings=findings_for(console.db, console.brand.id),
        changes=recent_changes(console.db, console.brand.id, limit=5),
        live=is_live(console.db, console.brand.id),
    )


@router.get("/audit")
def audit_log(me: Member) -> Response:
    console = me.console
    return console.render("audit.html", changes=recent_changes(console.db, console.brand.id))
