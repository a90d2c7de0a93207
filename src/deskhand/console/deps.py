"""The console's typed dependencies, so that each route only wires.

`Console` is the request's context; `Member` the signed-in member (or a redirect to sign-in);
`Editor` a member who may change settings (owner or admin; else 403). The `*Form`
dependencies run the same gate first, then refuse an oversized body or a bad CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from deskhand.console.context import Answer, ConsoleRequest, open_console
from deskhand.console.forms import PostedForm, read_form
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import transaction
from deskhand.serving.deps import State


class ConsoleRoute(APIRoute):
    """A console route: an `Answer` raised by a dependency or the route is the response."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer_early(request: Request) -> Response:
            try:
                return await handler(request)
            except Answer as answer:
                return answer.response

        return answer_early


def console_router() -> APIRouter:
    return APIRouter(prefix="/admin", include_in_schema=False, route_class=ConsoleRoute)


def console_db(state: State) -> Iterator[Session]:
    """One transaction per page, committed before the response leaves (even an `Answer`)."""
    early: Answer | None = None
    with transaction(state.sessions) as db:
        try:
            yield db
        except Answer as answer:
            early = answer
    if early is not None:
        raise early


Db = Annotated[Session, Depends(console_db, scope="function")]


def console_brand(db: Db) -> models.Brand:
    brand = find_brand(db)
    if brand is None:
        raise Answer(Response("No brand is set up yet.", status_code=404, media_type="text/plain"))
    return brand


def console_page(
    request: Request, state: State, db: Db, brand: Annotated[models.Brand, Depends(console_brand)]
) -> ConsoleRequest:
    return open_console(request, state, db, brand)


Console = Annotated[ConsoleRequest, Depends(console_page)]


@dataclass(frozen=True)
class SignedInMember:
    console: ConsoleRequest
    member: models.TeamMember


def signed_in_member(console: Console) -> SignedInMember:
    """The signed-in member; nobody signed in means sign-in first, then back here."""
    member = console.member
    if member is None:
        back = console.request.url.path if console.request.method == "GET" else "/admin"
        raise Answer(console.redirect(f"/admin/sign-in?{urlencode({'next': back})}"))
    return SignedInMember(console, member)


Member = Annotated[SignedInMember, Depends(signed_in_member)]


def settings_editor(me: Member) -> SignedInMember:
    """Only owner and admin change settings: everyone else gets 403, whatever they post."""
    if not me.console.may_change:
        raise Answer(
            me.console.refuse(
                403,
                "Only an owner or admin can change this",
                "Your role lets you view every setting but not change it. "
                "Ask an owner or admin of your team.",
            )
        )
    return me


Editor = Annotated[SignedInMember, Depends(settings_editor)]
RawForm = Annotated[PostedForm, Depends(read_form)]


@dataclass(frozen=True)
class EditorPost:
    me: SignedInMember
    form: PostedForm

    @property
    def console(self) -> ConsoleRequest:
        return self.me.console


def editor_form(me: Editor, form: RawForm) -> EditorPost:
    """Sign-in, then the role, then size and CSRF: a refused form changes nothing."""
    me.console.check_post(form)
    return EditorPost(me, form)


def member_form(me: Member, form: RawForm) -> EditorPost:
    """A form any signed-in member may post (sign-out): size and CSRF."""
    me.console.check_post(form)
    return EditorPost(me, form)


def visitor_form(console: Console, form: RawForm) -> PostedForm:
    """A sign-in form: size and CSRF bound to the pre-session."""
    console.check_post(form)
    return form


EditorForm = Annotated[EditorPost, Depends(editor_form)]
MemberForm = Annotated[EditorPost, Depends(member_form)]
VisitorForm = Annotated[PostedForm, Depends(visitor_form)]
