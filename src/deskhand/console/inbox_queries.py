"""What the helpdesk inbox reads: the brand's built-in tickets by view and status, one ticket
(only ever the signed-in brand's), its transcript as lines, its notes, and the customer's
orders through the Store port."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from deskhand.commerce.registry import StoreNotConfigured, store_for
from deskhand.db import models
from deskhand.domain.blocks import offered_labels
from deskhand.domain.orders import Order
from deskhand.domain.vocabulary import HandoffDestination, MessageRole, TicketStatus
from deskhand.team.roles import may_answer_shoppers, role_of

MAX_LISTED = 200
MAX_ORDERS = 10


class InboxView(StrEnum):
    UNASSIGNED = "unassigned"
    MINE = "mine"
    ALL = "all"


VIEW_LABELS = {InboxView.UNASSIGNED: "Unassigned", InboxView.MINE: "Mine", InboxView.ALL: "All"}


def view_of(value: str | None) -> InboxView:
    try:
        return InboxView(value or InboxView.UNASSIGNED)
    except ValueError:
        return InboxView.UNASSIGNED


def default_view(db: Session, brand_id: int, member_id: int) -> InboxView:
    """The inbox a member opens: their own open tickets first (round robin gives them out),
    the unassigned ones when they have none."""
    mine = _in_view(_tickets(brand_id), InboxView.MINE, member_id, None)
    held = db.scalar(select(func.count()).select_from(mine.subquery()))
    return InboxView.MINE if held else InboxView.UNASSIGNED


def status_of(value: str | None) -> TicketStatus | None:
    """A status filter; None (no filter) means every ticket not solved."""
    try:
        return TicketStatus(value) if value else None
    except ValueError:
        return None


def _tickets(brand_id: int) -> Select[Any]:
    return select(models.HelpdeskTicket).where(
        models.HelpdeskTicket.brand_id == brand_id,
        models.HelpdeskTicket.destination == HandoffDestination.BUILTIN.value,
    )


def _in_view(
    query: Select[Any], view: InboxView, member_id: int, status: TicketStatus | None
) -> Select[Any]:
    if view is InboxView.UNASSIGNED:
        query = query.where(models.HelpdeskTicket.assignee_id.is_(None))
    elif view is InboxView.MINE:
        query = query.where(models.HelpdeskTicket.assignee_id == member_id)
    if status is None:
        return query.where(models.HelpdeskTicket.status != TicketStatus.SOLVED.value)
    return query.where(models.HelpdeskTicket.status == status.value)


def list_tickets(
    db: Session, brand_id: int, member_id: int, view: InboxView, status: TicketStatus | None
) -> list[models.HelpdeskTicket]:
    query = _in_view(_tickets(brand_id), view, member_id, status)
    order = models.HelpdeskTicket.updated_at.desc()
    return list(
        db.scalars(query.order_by(order, models.HelpdeskTicket.id.desc()).limit(MAX_LISTED))
    )


def view_counts(db: Session, brand_id: int, member_id: int) -> dict[str, int]:
    """Tickets not yet solved in each view (the console's navigation shows them)."""
    counts: dict[str, int] = {}
    for view in InboxView:
        query = _in_view(_tickets(brand_id), view, member_id, None)
        counted = select(func.count()).select_from(query.subquery())
        counts[view.value] = int(db.scalar(counted) or 0)
    return counts


def ticket_of_brand(db: Session, brand_id: int, ticket_id: int) -> models.HelpdeskTicket | None:
    """The ticket, only when it is this brand's built-in one (else None: the caller's 404)."""
    ticket = db.get(models.HelpdeskTicket, ticket_id)
    if ticket is None or ticket.brand_id != brand_id:
        return None
    if ticket.destination != HandoffDestination.BUILTIN.value:
        return None
    return ticket


def responders(db: Session, brand_id: int) -> list[models.TeamMember]:
    """Who a ticket may be given to: the brand's active members who answer shoppers."""
    members = db.scalars(
        select(models.TeamMember)
        .where(models.TeamMember.brand_id == brand_id, models.TeamMember.active.is_(True))
        .order_by(models.TeamMember.name, models.TeamMember.email)
    )
    return [m for m in members if (r := role_of(m.role)) is not None and may_answer_shoppers(r)]


def display_name(member: models.TeamMember) -> str:
    return member.name.strip() or member.email.split("@", 1)[0]


@dataclass(frozen=True)
class Line:
    """One message of the transcript as the inbox shows it."""

    id: str
    seq: int
    role: str
    who: str
    text: str
    at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seq": self.seq,
            "role": self.role,
            "who": self.who,
            "text": self.text,
            "at": self.at.isoformat(),
        }


def _block_text(block: Mapping[str, Any]) -> str:
    kind = block.get("type")
    if kind in ("text", "sign_in", "handoff_prompt"):
        extra = ""
        if kind == "handoff_prompt":
            extra = " [" + " / ".join(str(b.get("label", "")) for b in block["buttons"]) + "]"
        return str(block.get("text", "")) + extra
    if kind == "buttons":
        return "[" + " / ".join(str(b.get("label", "")) for b in block.get("buttons", [])) + "]"
    if kind == "link":
        return f"{block.get('label', '')}: {block.get('url', '')}"
    if kind == "order_card":
        order = block.get("order", {})
        return f"Order #{order.get('number', '?')} ({order.get('status', '')})"
    return ""


def lines_of(rows: Iterable[models.Message], brand_name: str) -> list[Line]:
    lines = []
    offered: dict[str, str] = {}
    for row in rows:
        if row.role == MessageRole.SHOPPER.value:
            who = "Shopper"
            pressed = offered.get(row.action or "", row.action or "")
            text = row.text if row.text is not None else f"[pressed “{pressed}”]"
        elif row.role == MessageRole.TEAM.value:
            who = str((row.meta.get("author") or {}).get("name", "Team"))
            text = "\n".join(_block_text(b) for b in row.blocks).strip()
        else:
            who = f"{brand_name} agent"
            text = "\n".join(t for b in row.blocks if (t := _block_text(b))).strip()
            offered.update(offered_labels(row.blocks))
        lines.append(Line(row.id, row.seq, row.role, who, text, row.created_at))
    return lines


def transcript(db: Session, conversation_id: str, brand_name: str, after: int = 0) -> list[Line]:
    rows = db.scalars(
        select(models.Message)
        .where(models.Message.conversation_id == conversation_id, models.Message.seq > after)
        .order_by(models.Message.seq)
    )
    return lines_of(rows, brand_name)


def notes_of(db: Session, ticket: models.HelpdeskTicket) -> list[tuple[models.HelpdeskNote, str]]:
    rows = db.execute(
        select(models.HelpdeskNote, models.TeamMember)
        .join(models.TeamMember, models.TeamMember.id == models.HelpdeskNote.author_id)
        .where(
            models.HelpdeskNote.ticket_id == ticket.id,
            models.HelpdeskNote.brand_id == ticket.brand_id,
        )
        .order_by(models.HelpdeskNote.id)
    )
    return [(note, display_name(author)) for note, author in rows]


def customer_orders(
    db: Session, brand: models.Brand, ticket: models.HelpdeskTicket
) -> Sequence[Order]:
    """The customer's latest orders, through the brand's store (by id, else by email)."""
    try:
        store = store_for(db, brand)
    except StoreNotConfigured:
        return []
    customer_id = ticket.customer_id
    if customer_id is None and ticket.shopper_email:
        customer = store.customer_by_email(ticket.shopper_email)
        customer_id = customer.id if customer else None
    if customer_id is None:
        return []
    orders = sorted(store.orders_of(customer_id), key=lambda o: o.placed_at, reverse=True)
    return orders[:MAX_ORDERS]
