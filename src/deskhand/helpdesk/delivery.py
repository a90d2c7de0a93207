"""Tickets for Zendesk and Gorgias, delivered from the outbox exactly once.

The handoff writes a HelpdeskTicket (`delivery="queued"`) and, in the same transaction, an
outbox row of kind `helpdesk_ticket` with `payload={"ticket_id": …}`. The worker hands the
row to `HelpdeskTransport`, which:

- does nothing more for a ticket that already has its `external_id` (a second row, or a
  worker that died after the helpdesk answered: the ticket is there, it is not made again);
- on a retry, first asks the helpdesk for a ticket carrying our key as `external_id` (the
  create may have gone through while its answer was lost) and only then creates;
- creates with the key as `Idempotency-Key` (Zendesk) and `external_id` (both);
- on a 5xx, a 429 (Retry-After), a timeout or a refused connection raises a retryable
  TransportError (the worker backs off) and keeps the ticket `queued` with the last error;
- on a 401, 403, 404 or 422 (or after the outbox's last attempt) marks the ticket `failed`
  with the error, which the brand sees on the integrations page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import find_integration, record_error, secrets_of
from deskhand.db.session import transaction
from deskhand.domain.vocabulary import HandoffDestination, IntegrationKind, TicketDelivery
from deskhand.helpdesk import gorgias, zendesk
from deskhand.helpdesk.vendor import TIMEOUT, Handoff, HelpdeskError, Line, text_of_blocks
from deskhand.jobs.transport import Outgoing, Sent, TransportError

KIND = "helpdesk_ticket"
TEST_BASE = "api_base"  # tests only (allow_private_urls): a local fake helpdesk's address
_INTEGRATION = {
    HandoffDestination.ZENDESK.value: IntegrationKind.ZENDESK,
    HandoffDestination.GORGIAS.value: IntegrationKind.GORGIAS,
}


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def _packet_lines(packet: Mapping[str, Any]) -> list[Line]:
    lines = []
    for entry in packet.get("transcript") or []:
        if isinstance(entry, Mapping):
            text = entry.get("text") or text_of_blocks(entry.get("blocks"))
            when = entry.get("at") or entry.get("created_at") or entry.get("time")
            who = str(entry.get("role") or entry.get("who") or "")
            lines.append(Line(_when(when), who, str(text or "")))
    return lines


def _stored_lines(session: Session, ticket: models.HelpdeskTicket) -> list[Line]:
    rows = session.scalars(
        select(models.Message)
        .where(models.Message.conversation_id == ticket.conversation_id)
        .order_by(models.Message.seq)
    )
    return [
        Line(row.created_at, row.role, row.text or row.action or text_of_blocks(row.blocks))
        for row in rows
    ]


def handoff_of(session: Session, ticket: models.HelpdeskTicket) -> Handoff:
    """What the helpdesk is told: the packet the handoff carried, with the stored messages
    as the transcript when the packet has none."""
    packet = dict(ticket.packet or {})
    brand = session.get_one(models.Brand, ticket.brand_id)
    phone = session.scalar(
        select(models.ConversationAddress.address).where(
            models.ConversationAddress.conversation_id == ticket.conversation_id,
            models.ConversationAddress.channel.in_(("sms", "whatsapp")),
        )
    )
    order = str(packet.get("order_number") or packet.get("order") or "").lstrip("#")
    return Handoff(
        key=ticket.idempotency_key,
        brand_name=brand.name,
        conversation_id=ticket.conversation_id,
        channel=ticket.channel,
        language=ticket.language,
        email=ticket.shopper_email or str(packet.get("email") or ""),
        phone=str(phone or packet.get("phone") or ""),
        name=str(packet.get("name") or ""),
        customer_id=ticket.customer_id,
        intent=ticket.intent,
        reason=ticket.reason,
        order_number=order,
        lines=_packet_lines(packet) or _stored_lines(session, ticket),
    )


def zendesk_client(
    settings: Settings, config: Mapping[str, Any], secrets: Mapping[str, Any]
) -> zendesk.ZendeskClient:
    """The brand's Zendesk, from its integration's config and sealed secrets."""
    private = settings.allow_private_urls and config.get(TEST_BASE)
    return zendesk.ZendeskClient(
        str(private or zendesk.base_url(str(config.get("subdomain") or ""))),
        str(config.get("email") or ""),
        str(secrets.get("api_token") or ""),
        float(config.get("timeout_seconds") or TIMEOUT),
    )


@dataclass(frozen=True)
class _Job:
    destination: str
    handoff: Handoff
    config: dict[str, Any]
    secrets: dict[str, Any]
    done: str | None  # the external id, when the ticket exists already


class HelpdeskTransport:
    """The outbox transport of kind `helpdesk_ticket`."""

    name = KIND

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings, self.sessions = settings, sessions

    def deliver(self, item: Outgoing) -> Sent:
        job = self._job(item)
        if job is None:
            message = "the helpdesk is not connected"
            self._failed(item, None, message, final=True)
            raise TransportError(message, permanent=True)
        if job.done is not None:
            return Sent(provider_ref=job.done, provider_status="already_delivered")
        try:
            external_id, requester_id = self._create(job, retry=item.attempts > 1)
        except HelpdeskError as exc:
            last = item.attempts >= self.settings.outbox_max_attempts
            self._failed(item, job.destination, str(exc), final=not exc.retryable or last)
            raise TransportError(
                str(exc), permanent=not exc.retryable, retry_after=exc.retry_after
            ) from None
        self._delivered(item, external_id, requester_id)
        return Sent(provider_ref=external_id, provider_status=TicketDelivery.DELIVERED.value)

    def _job(self, item: Outgoing) -> _Job | None:
        """What to send, read in one short transaction; None when the helpdesk the ticket
        is for is not connected (any more)."""
        ticket_id = item.payload.get("ticket_id")
        with transaction(self.sessions) as session:
            ticket = session.get(models.HelpdeskTicket, ticket_id) if ticket_id else None
            if ticket is None or ticket.brand_id != item.brand_id:
                raise TransportError(f"no helpdesk ticket {ticket_id!r}", permanent=True)
            if ticket.external_id:
                ticket.delivery = TicketDelivery.DELIVERED.value
                return _Job(
                    ticket.destination, handoff_of(session, ticket), {}, {}, ticket.external_id
                )
            kind = _INTEGRATION.get(ticket.destination)
            row = find_integration(session, ticket.brand_id, kind) if kind else None
            if row is None:
                return None
            return _Job(
                ticket.destination,
                handoff_of(session, ticket),
                dict(row.config),
                secrets_of(self.settings, row),
                None,
            )

    def _create(self, job: _Job, *, retry: bool) -> tuple[str, str | None]:
        """The ticket's id at the helpdesk, and its requester's id when the helpdesk says."""
        config, secrets = job.config, job.secrets
        private = self.settings.allow_private_urls and config.get(TEST_BASE)
        timeout = float(config.get("timeout_seconds") or TIMEOUT)
        if job.destination == HandoffDestination.ZENDESK.value:
            zd = zendesk_client(self.settings, config, secrets)
            created = (zd.find(job.handoff.key) if retry else None) or zd.create(
                job.handoff, config
            )
            return created.id, created.requester_id
        gg = gorgias.GorgiasClient(
            str(private or gorgias.base_url(str(config.get("domain") or ""))),
            str(config.get("email") or ""),
            str(secrets.get("api_key") or ""),
            timeout,
        )
        found = gg.find(job.handoff.key) if retry else None
        return found or gg.create(job.handoff), None

    def _delivered(self, item: Outgoing, external_id: str, requester_id: str | None) -> None:
        with transaction(self.sessions) as session:
            ticket = session.get_one(models.HelpdeskTicket, item.payload["ticket_id"])
            ticket.external_id = external_id
            ticket.requester_id = requester_id
            _mark(ticket, TicketDelivery.DELIVERED, "")

    def _failed(
        self, item: Outgoing, destination: str | None, message: str, *, final: bool
    ) -> None:
        with transaction(self.sessions) as session:
            ticket = session.get_one(models.HelpdeskTicket, item.payload["ticket_id"])
            _mark(ticket, TicketDelivery.FAILED if final else TicketDelivery.QUEUED, message)
            kind = _INTEGRATION.get(destination or "")
            row = find_integration(session, ticket.brand_id, kind) if kind else None
            if row is not None:
                record_error(row, message)


def _mark(ticket: models.HelpdeskTicket, delivery: TicketDelivery, error: str) -> None:
    ticket.delivery = delivery.value
    ticket.last_error = error[:2000]
    ticket.updated_at = datetime.now(UTC)


@dataclass(frozen=True)
class Waiting:
    """What the integrations page says of a helpdesk's tickets, and of the shopper's
    follow-ups on them (Zendesk)."""

    queued: int
    failed: int
    last_error: str
    comments_queued: int = 0
    comments_failed: int = 0


def waiting(session: Session, brand_id: int, destination: HandoffDestination) -> Waiting:
    """How many of the brand's tickets and follow-ups wait for (or were refused by) this
    helpdesk, and the newest error of either."""
    t, c = models.HelpdeskTicket, models.HelpdeskComment
    mine = (t.brand_id == brand_id, t.destination == destination.value)
    counts = dict(
        session.execute(select(t.delivery, func.count()).where(*mine).group_by(t.delivery)).all()
    )
    comments = dict(
        session.execute(
            select(c.delivery, func.count())
            .join(t, t.id == c.ticket_id)
            .where(*mine, c.brand_id == brand_id)
            .group_by(c.delivery)
        ).all()
    )
    unsent = TicketDelivery.DELIVERED.value
    ticket_error = session.execute(
        select(t.updated_at, t.last_error)
        .where(*mine, t.delivery != unsent, t.last_error != "")
        .order_by(t.updated_at.desc())
        .limit(1)
    ).first()
    comment_error = session.execute(
        select(c.updated_at, c.last_error)
        .join(t, t.id == c.ticket_id)
        .where(*mine, c.delivery != unsent, c.last_error != "")
        .order_by(c.updated_at.desc())
        .limit(1)
    ).first()
    errors = [tuple(row) for row in (ticket_error, comment_error) if row is not None]
    last = max(errors)[1] if errors else ""
    return Waiting(
        queued=int(counts.get(TicketDelivery.QUEUED.value, 0)),
        failed=int(counts.get(TicketDelivery.FAILED.value, 0)),
        last_error=str(last or ""),
        comments_queued=int(comments.get(TicketDelivery.QUEUED.value, 0)),
        comments_failed=int(comments.get(TicketDelivery.FAILED.value, 0)),
    )


def transports(settings: Settings, sessions: sessionmaker[Session]) -> dict[str, HelpdeskTransport]:
    return {KIND: HelpdeskTransport(settings, sessions)}
