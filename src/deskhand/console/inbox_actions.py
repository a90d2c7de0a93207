"""What a team member does to a ticket in the inbox: status, owner, notes, the availability
toggle and handing the conversation back to the agent.

`set_availability` and `hand_back` write the shared columns directly (the data contract of
issue 13): the handoff's own `helpdesk/` functions replace them at merge.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.domain.vocabulary import TicketStatus

MAX_NOTE_CHARS = 4000


class BadInput(ValueError):
    """A field the inbox cannot accept (nothing was changed)."""


def set_status(ticket: models.HelpdeskTicket, value: str, now: datetime) -> None:
    try:
        status = TicketStatus(value)
    except ValueError:
        raise BadInput("Choose open, pending or solved.") from None
    ticket.status = status.value
    ticket.solved_at = now if status is TicketStatus.SOLVED else None
    ticket.updated_at = now


def assign(ticket: models.HelpdeskTicket, member: models.TeamMember | None, now: datetime) -> None:
    """Give the ticket to `member` (None: back to unassigned)."""
    ticket.assignee_id = member.id if member else None
    if member is not None:
        member.last_assigned_at = now
    ticket.updated_at = now


def pick_up(ticket: models.HelpdeskTicket, member: models.TeamMember, now: datetime) -> None:
    """A member answering an unassigned ticket takes it."""
    if ticket.assignee_id is None:
        assign(ticket, member, now)


def add_note(
    db: Session, ticket: models.HelpdeskTicket, author: models.TeamMember, text: str, now: datetime
) -> models.HelpdeskNote:
    text = text.replace("\x00", "").strip()
    if not text:
        raise BadInput("The note is empty.")
    if len(text) > MAX_NOTE_CHARS:
        raise BadInput(f"Notes are limited to {MAX_NOTE_CHARS} characters.")
    note = models.HelpdeskNote(
        brand_id=ticket.brand_id,
        ticket_id=ticket.id,
        author_id=author.id,
        text=text,
        created_at=now,
    )
    db.add(note)
    ticket.updated_at = now
    db.flush()
    return note
