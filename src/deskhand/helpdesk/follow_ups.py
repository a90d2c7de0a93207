"""The shopper's follow-ups while Zendesk has the conversation: each message the shopper writes
then is queued, in the transaction that stores it, as a public comment on the Zendesk ticket
(a HelpdeskComment and an outbox row of kind `helpdesk_comment`; helpdesk/comment_delivery.py
sends it).

Order: each comment's outbox row waits for the conversation's previous helpdesk row (the
ticket's creation, then the comment before), so comments reach the ticket after it exists
and in the order the shopper wrote them. A button the shopper pressed is sent as the label
they saw.

No echo: Zendesk tells the webhook about these comments too; `is_echo` recognises them (by
the comment id Zendesk gave, the requester as author, or, when the delivery names neither,
the text of one of our comments) so they never come back to the shopper as a team reply.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.domain.blocks import offered_labels
from deskhand.domain.vocabulary import HandoffDestination, MessageRole, TicketDelivery
from deskhand.helpdesk.tickets import OUTBOX_KIND as TICKET_KIND
from deskhand.jobs.outbox import enqueue

KIND = "helpdesk_comment"
MAX_BODY = 60_000  # well under what Zendesk accepts for one comment


def body_for(text: str, *, as_requester: bool) -> str:
    """The comment's body: the shopper's words as they are when the comment is the
    requester's own; else (the requester's id unknown) saying who wrote them."""
    return text if as_requester else f"The shopper wrote (via Deskhand):\n\n{text}"


def same_text(a: str, b: str) -> bool:
    """Equal once spacing is ignored (a helpdesk may trim or re-wrap what it stores)."""
    return " ".join(a.split()) == " ".join(b.split())


def visible_text(session: Session, message: models.Message) -> str:
    """What the shopper saw themselves send: the text, or the label of the button pressed
    (looked up in the conversation's earlier messages; the action's name if none has it)."""
    if message.text is not None:
        return message.text[:MAX_BODY]
    action = message.action or ""
    earlier = session.scalars(
        select(models.Message.blocks)
        .where(
            models.Message.conversation_id == message.conversation_id,
            models.Message.seq < message.seq,
            models.Message.role != MessageRole.SHOPPER.value,
        )
        .order_by(models.Message.seq.desc())
    )
    for blocks in earlier:
        label = offered_labels(blocks).get(action)
        if label:
            return label
    return action


def queue_follow_up(
    session: Session, ticket: models.HelpdeskTicket, message: models.Message, now: datetime
) -> models.HelpdeskComment | None:
    """Queue the stored shopper message for the ticket (Zendesk tickets only); call in the
    transaction that stored it."""
    if ticket.destination != HandoffDestination.ZENDESK.value:
        return None
    comment = models.HelpdeskComment(
        brand_id=ticket.brand_id,
        ticket_id=ticket.id,
        message_id=message.id,
        delivery=TicketDelivery.QUEUED.value,
        external_id=None,
        last_error="",
        created_at=now,
        updated_at=now,
    )
    session.add(comment)
    session.flush()
    previous = session.scalar(
        select(models.OutboxMessage.id)
        .where(
            models.OutboxMessage.conversation_id == ticket.conversation_id,
            models.OutboxMessage.kind.in_((TICKET_KIND, KIND)),
        )
        .order_by(models.OutboxMessage.id.desc())
        .limit(1)
    )
    row = enqueue(
        session,
        brand_id=ticket.brand_id,
        kind=KIND,
        recipient=ticket.destination,
        subject="",
        body="",
        idempotency_key=f"helpdesk-comment:{message.id}",
        now=now,
    )
    row.payload = {"comment_id": comment.id}
    row.conversation_id = ticket.conversation_id
    row.after_id = previous
    session.flush()
    return comment


def texts_of(
    session: Session, ticket_id: int, before: int | None = None
) -> list[tuple[models.HelpdeskComment, str]]:
    """The ticket's follow-ups (those before comment id `before`, if given) with their text,
    oldest first."""
    query = (
        select(models.HelpdeskComment, models.Message)
        .join(models.Message, models.Message.id == models.HelpdeskComment.message_id)
        .where(models.HelpdeskComment.ticket_id == ticket_id)
        .order_by(models.HelpdeskComment.id)
    )
    if before is not None:
        query = query.where(models.HelpdeskComment.id < before)
    return [
        (comment, visible_text(session, message)) for comment, message in session.execute(query)
    ]


def is_echo(
    session: Session,
    ticket: models.HelpdeskTicket,
    *,
    comment_id: str,
    author_id: str,
    text: str,
) -> bool:
    """Is this comment, which the Zendesk webhook reports, one of the shopper's follow-ups?"""
    if author_id and ticket.requester_id and author_id == ticket.requester_id:
        return True
    ours = texts_of(session, ticket.id)
    if comment_id and any(c.external_id == comment_id for c, _ in ours):
        return True
    # A delivery that names no author (a trigger's own JSON) is recognised by its text.
    return not author_id and any(
        same_text(body_for(body, as_requester=mine), text)
        for _, body in ours
        for mine in (True, False)
    )
