"""The helpdesk inbox: handed-off conversations by view and status, one ticket with its live
transcript, the team's replies, notes, status, owner, and handing it back to the agent.

Every role views; owner, admin, manager and agent answer (`team.roles.may_answer_shoppers`);
a viewer's post is refused with 403 before anything is read. A ticket of another brand is
404, the same as one that does not exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, WebSocket
from fastapi.responses import Response
from starlette.background import BackgroundTask

from deskhand.console.context import Answer, ConsoleRequest
from deskhand.console.deps import EditorPost, Member, RawForm, SignedInMember, console_router
from deskhand.console.inbox_actions import (
    BadInput,
    add_note,
    assign,
    pick_up,
    set_status,
)
from deskhand.console.inbox_queries import (
    VIEW_LABELS,
    customer_orders,
    default_view,
    display_name,
    list_tickets,
    notes_of,
    responders,
    status_of,
    ticket_of_brand,
    transcript,
    view_of,
)
from deskhand.console.inbox_socket import serve_inbox
from deskhand.db import models
from deskhand.domain.vocabulary import Availability, TicketStatus
from deskhand.helpdesk.availability import set_availability
from deskhand.helpdesk.tickets import hand_back
from deskhand.serving.team_messages import (
    EmptyTeamMessage,
    add_team_message,
    publish_team_message,
    team_frame,
)
from deskhand.team.roles import may_answer_shoppers

router = console_router()
INBOX_JS = Path(__file__).parents[1] / "static" / "inbox.js"


def responder(me: Member) -> SignedInMember:
    """Owner, admin, manager and agent answer shoppers; a viewer only looks."""
    role = me.console.role
    if role is None or not may_answer_shoppers(role):
        raise Answer(
            me.console.refuse(
                403,
                "Viewers cannot answer shoppers",
                "Your role lets you read the inbox but not reply, write notes or change a "
                "ticket. Ask an owner or admin of your team.",
            )
        )
    return me


Responder = Annotated[SignedInMember, Depends(responder)]


def responder_form(me: Responder, form: RawForm) -> EditorPost:
    """Sign-in, then the role, then size and CSRF: a refused form changes nothing."""
    me.console.check_post(form)
    return EditorPost(me, form)


ResponderForm = Annotated[EditorPost, Depends(responder_form)]


def _live(console: ConsoleRequest, response: Response) -> Response:
    """The inbox pages run one script of ours and hold one socket to this host."""
    host = console.request.headers.get("host", "")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; "
        f"connect-src 'self' ws://{host} wss://{host}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    return response


def _ticket(console: ConsoleRequest, ticket_id: int) -> models.HelpdeskTicket:
    ticket = ticket_of_brand(console.db, console.brand.id, ticket_id)
    if ticket is None:
        raise Answer(console.refuse(404, "No such conversation", "The inbox has no such ticket."))
    return ticket


@router.get("/assets/inbox.js")
def inbox_script() -> Response:
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    return Response(INBOX_JS.read_bytes(), media_type="text/javascript", headers=headers)


@router.get("/inbox")
def inbox_page(me: Member, view: str | None = None, status: str | None = None) -> Response:
    console = me.console
    chosen = view_of(view) if view else default_view(console.db, console.brand.id, me.member.id)
    filtered = status_of(status)
    tickets = list_tickets(console.db, console.brand.id, me.member.id, chosen, filtered)
    names = {m.id: display_name(m) for m in responders(console.db, console.brand.id)}
    return _live(
        console,
        console.render(
            "inbox.html",
            tickets=tickets,
            view=chosen,
            views=VIEW_LABELS,
            status_filter=filtered,
            statuses=list(TicketStatus),
            names=names,
            may_answer=may_answer_shoppers(console.role) if console.role else False,
            available=me.member.availability == Availability.AVAILABLE.value,
        ),
    )


def _ticket_page(me: SignedInMember, ticket: models.HelpdeskTicket, error: str = "") -> Response:
    console = me.console
    lines = transcript(console.db, ticket.conversation_id, console.brand.name)
    team = responders(console.db, console.brand.id)
    return _live(
        console,
        console.render(
            "inbox_ticket.html",
            status=400 if error else 200,
            views=VIEW_LABELS,
            view=None,
            error=error,
            ticket=ticket,
            lines=lines,
            last_seq=lines[-1].seq if lines else 0,
            notes=notes_of(console.db, ticket),
            orders=customer_orders(console.db, console.brand, ticket),
            team=team,
            names={m.id: display_name(m) for m in team},
            statuses=list(TicketStatus),
            may_answer=may_answer_shoppers(console.role) if console.role else False,
            available=me.member.availability == Availability.AVAILABLE.value,
        ),
    )


@router.get("/inbox/{ticket_id}")
def ticket_page(ticket_id: int, me: Member) -> Response:
    return _ticket_page(me, _ticket(me.console, ticket_id))


def _back(console: ConsoleRequest, ticket: models.HelpdeskTicket, done: str) -> Response:
    return console.redirect(f"/admin/inbox/{ticket.id}?" + urlencode({"done": done}))


@router.post("/inbox/{ticket_id}/reply")
def reply(ticket_id: int, post: ResponderForm) -> Response:
    console, me = post.console, post.me
    ticket = _ticket(console, ticket_id)
    conv = console.db.get(models.Conversation, ticket.conversation_id)
    if conv is None:
        raise Answer(console.refuse(404, "No such conversation", "The conversation is gone."))
    try:
        row = add_team_message(
            console.db,
            brand=console.brand,
            conv=conv,
            author_name=display_name(me.member),
            text=post.form.get("text", 8000),
            now=console.now,
            sender=console.state.team_sender,
        )
    except EmptyTeamMessage:
        return _ticket_page(me, ticket, "Write a reply of 1 to 4000 characters.")
    pick_up(ticket, me.member, console.now)
    ticket.updated_at = console.now
    frame = team_frame(row, conv)
    response = _back(console, ticket, "reply")
    # After the page's transaction commits: the transcript has it before anyone hears of it.
    response.background = BackgroundTask(publish_team_message, console.state.bus, frame, conv.id)
    return response


@router.post("/inbox/{ticket_id}/note")
def note(ticket_id: int, post: ResponderForm) -> Response:
    console, me = post.console, post.me
    ticket = _ticket(console, ticket_id)
    try:
        add_note(console.db, ticket, me.member, post.form.get("text", 8000), console.now)
    except BadInput as exc:
        return _ticket_page(me, ticket, str(exc))
    return _back(console, ticket, "note")


@router.post("/inbox/{ticket_id}/status")
def change_status(ticket_id: int, post: ResponderForm) -> Response:
    console, me = post.console, post.me
    ticket = _ticket(console, ticket_id)
    try:
        set_status(ticket, post.form.get("status", 16), console.now)
    except BadInput as exc:
        return _ticket_page(me, ticket, str(exc))
    return _back(console, ticket, "status")


@router.post("/inbox/{ticket_id}/assign")
def change_assignee(ticket_id: int, post: ResponderForm) -> Response:
    console, me = post.console, post.me
    ticket = _ticket(console, ticket_id)
    wanted = post.form.get("member", 20)
    if wanted == "me":
        assign(ticket, me.member, console.now)
    elif wanted == "":
        assign(ticket, None, console.now)
    else:
        chosen = next(
            (m for m in responders(console.db, console.brand.id) if str(m.id) == wanted), None
        )
        if chosen is None:
            return _ticket_page(me, ticket, "Choose a member of your team who answers shoppers.")
        assign(ticket, chosen, console.now)
    return _back(console, ticket, "assigned")


@router.post("/inbox/{ticket_id}/hand-back")
def give_back(ticket_id: int, post: ResponderForm) -> Response:
    console = post.console
    ticket = _ticket(console, ticket_id)
    hand_back(console.db, ticket, post.me.member, console.now)
    return _back(console, ticket, "handed_back")


@router.post("/inbox/availability")
def availability(post: ResponderForm) -> Response:
    console, me = post.console, post.me
    try:
        wanted = Availability(post.form.get("availability", 16))
    except ValueError:
        return console.refuse(400, "Not changed", "Choose available or away.")
    set_availability(console.db, me.member, wanted)
    back = post.form.get("back", 300)
    target = back if back.startswith("/admin/inbox") and "//" not in back else "/admin/inbox"
    return console.redirect(target)


@router.websocket("/inbox/{ticket_id}/ws")
async def inbox_socket(websocket: WebSocket, ticket_id: int, after: int = 0) -> None:
    """The ticket page's live connection (protocol in console/inbox_socket.py)."""
    await serve_inbox(websocket, websocket.app.state.deskhand, ticket_id, max(0, after))
