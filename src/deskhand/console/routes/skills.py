"""The Skills page (Live or Unavailable, and why), each skill's detail page, the switch."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi.responses import Response

from deskhand.agent.skills.availability import SWITCHABLE, skill_statuses, switch_skill
from deskhand.console.deps import EditorForm, Member, console_router
from deskhand.console.skill_pages import PAGES
from deskhand.domain.vocabulary import Skill
from deskhand.team.audit import record_change

router = console_router()


def _skill(name: str) -> Skill | None:
    try:
        skill = Skill(name)
    except ValueError:
        return None
    return skill if skill in PAGES else None


@router.get("/skills")
def skills_page(me: Member) -> Response:
    console = me.console
    return console.render(
        "skills.html",
        statuses=skill_statuses(console.db, console.brand),
        pages=PAGES,
        switchable=SWITCHABLE,
    )


@router.get("/skills/{name}")
def skill_page(name: str, me: Member) -> Response:
    console = me.console
    skill = _skill(name)
    if skill is None:
        return console.refuse(404, "No such skill", "There is no skill at this address.")
    status = next(s for s in skill_statuses(console.db, console.brand) if s.skill is skill)
    return console.render(
        "skill.html",
        skill=skill,
        skill_status=status,
        page=PAGES[skill],
        switchable=skill in SWITCHABLE,
    )


@router.post("/skills/{name}/switch")
def switch(name: str, post: EditorForm) -> Response:
    console = post.console
    skill = _skill(name)
    if skill is None or skill not in SWITCHABLE:
        return console.refuse(404, "No such skill", "This skill cannot be switched off.")
    enabled = post.form.get("enabled") == "on"
    was = switch_skill(console.db, console.brand.id, skill, enabled, console.now)
    if was != enabled:
        record_change(
            console.db,
            brand_id=console.brand.id,
            member=post.me.member,
            area="skills",
            action=f"{skill.value} switched {'on' if enabled else 'off'}",
            before={"enabled": was},
            after={"enabled": enabled},
            now=console.now,
        )
    back = post.form.get("back", 100)
    target = back if back in ("/admin/skills", f"/admin/skills/{skill.value}") else "/admin/skills"
    return console.redirect(f"{target}?" + urlencode({"done": "skill"}))
