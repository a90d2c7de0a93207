"""The team page: members and roles, invitations, taking access away (owner and admin)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi.responses import Response

from deskhand.console.deps import EditorForm, Member, SignedInMember, console_router
from deskhand.domain.vocabulary import TeamRole
from deskhand.team.accounts import AccountError, change_role, deactivate, member_by_id, members_of
from deskhand.team.audit import record_change
from deskhand.team.invitations import invite
from deskhand.team.roles import may_assign, role_of
from deskhand.team.sessions import end_sessions_of

router = console_router()


def _page(me: SignedInMember, status: int = 200, error: str = "") -> Response:
    console = me.console
    return console.render(
        "team.html",
        status=status,
        members=members_of(console.db, console.brand.id),
        roles=list(TeamRole),
        error=error,
    )


@router.get("/team")
def team_page(me: Member) -> Response:
    return _page(me)


@router.post("/team/invite")
def invite_member(post: EditorForm) -> Response:
    console, me = post.console, post.me
    role = role_of(post.form.get("role", 16))
    if role is None or console.role is None or not may_assign(console.role, role):
        return _page(me, 400, "Choose a role you may give.")
    try:
        member = invite(
            console.db,
            brand_id=console.brand.id,
            brand_name=console.brand.name,
            email=post.form.get("email", 320),
            role=role,
            invited_by=me.member,
            link_base=console.state.settings.base_url.rstrip("/"),
            now=console.now,
        )
    except AccountError as exc:
        return _page(me, 400, str(exc))
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=me.member,
        area="team",
        action="invited",
        before={},
        after={"email": member.email, "role": role.value},
        now=console.now,
    )
    return console.redirect("/admin/team?" + urlencode({"done": "invited"}))


@router.post("/team/{member_id}/role")
def set_role(member_id: int, post: EditorForm) -> Response:
    console, me = post.console, post.me
    member = member_by_id(console.db, console.brand.id, member_id)
    role = role_of(post.form.get("role", 16))
    if member is None:
        return _page(me, 404, "No such member.")
    old = role_of(member.role)
    if role is None or console.role is None or old is None:
        return _page(me, 400, "Choose a role.")
    if not (may_assign(console.role, role) and may_assign(console.role, old)):
        return _page(me, 403, "Only an owner can make or unmake owners.")
    try:
        change_role(console.db, member, role)
    except AccountError as exc:
        return _page(me, 400, str(exc))
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=me.member,
        area="team",
        action="role changed",
        before={"email": member.email, "role": old.value},
        after={"email": member.email, "role": role.value},
        now=console.now,
    )
    return console.redirect("/admin/team?" + urlencode({"done": "role"}))


@router.post("/team/{member_id}/remove")
def remove_member(member_id: int, post: EditorForm) -> Response:
    console, me = post.console, post.me
    member = member_by_id(console.db, console.brand.id, member_id)
    if member is None:
        return _page(me, 404, "No such member.")
    old = role_of(member.role)
    if console.role is None or old is None or not may_assign(console.role, old):
        return _page(me, 403, "Only an owner can remove an owner.")
    try:
        deactivate(console.db, member)
    except AccountError as exc:
        return _page(me, 400, str(exc))
    end_sessions_of(console.db, member.id, console.now)
    record_change(
        console.db,
        brand_id=console.brand.id,
        member=me.member,
        area="team",
        action="access removed",
        before={"email": member.email, "role": member.role},
        after={},
        now=console.now,
    )
    if member.id == me.member.id:
        return console.redirect("/admin/sign-in")
    return console.redirect("/admin/team?" + urlencode({"done": "removed"}))
