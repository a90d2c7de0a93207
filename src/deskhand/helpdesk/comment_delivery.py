"""The shopper's follow-ups (helpdesk/follow_ups.py) added to their Zendesk ticket from the
outbox, each exactly once.

The worker hands a row of kind `helpdesk_comment` (`payload={"comment_id": …}`) to
`CommentTransport`, which:

- does nothing more for a comment already `delivered` (recorded per message), and never
  sends one whose conversation was erased meanwhile;
- waits while the ticket is not created yet (a retryable error: the outbox backs off), and
  fails the comment for good when the ticket itself failed;
- posts it as a public comment whose author is the ticket's requester (`requester_id`, from
  the create answer or, for an older ticket, read from Zendesk once and kept);
- on a retry first reads the ticket's comments: when the requester's comments with this text
  outnumber our earlier follow-ups with the same text that were delivered, Zendesk has it
  already (its answer was lost) and it is not posted again;
- retries 5xx, 429 (Retry-After), timeouts and dropped connections; a 401, 403, 404 or 422
  (or the outbox's last attempt) marks the comment `failed` with the error, which the brand
  sees on the integrations page beside the tickets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import find_integration, record_error, secrets_of
from deskhand.db.session import transaction
from deskhand.domain.vocabulary import IntegrationKind, TicketDelivery
from deskhand.helpdesk.delivery import zendesk_client
from deskhand.helpdesk.follow_ups import KIND, body_for, same_text, texts_of, visible_text
from deskhand.helpdesk.vendor import HelpdeskError
from deskhand.helpdesk.zendesk import ZendeskClient
from deskhand.jobs.transport import Outgoing, Sent, TransportError


@dataclass(frozen=True)
class _Job:
    client: ZendeskClient
    ticket_id: int
    external_id: str  # the Zendesk ticket
    requester_id: str | None
    text: str
    delivered_before: int  # our earlier follow-ups on this ticket with this text, delivered


class CommentTransport:
    """The outbox transport of kind `helpdesk_comment`."""

    name = KIND

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings, self.sessions = settings, sessions

    def deliver(self, item: Outgoing) -> Sent:
        job = self._job(item)
        if isinstance(job, Sent):
            return job
        if isinstance(job, _Blocked):
            last = item.attempts >= self.settings.outbox_max_attempts
            final = job.permanent or last
            self._mark(item, TicketDelivery.FAILED if final else None, job.reason, record=final)
            raise TransportError(job.reason, permanent=job.permanent)
        try:
            comment_id = self._post(job, retry=item.attempts > 1)
        except HelpdeskError as exc:
            last = item.attempts >= self.settings.outbox_max_attempts
            self._mark(item, TicketDelivery.FAILED if not exc.retryable or last else None, str(exc))
            raise TransportError(
                str(exc), permanent=not exc.retryable, retry_after=exc.retry_after
            ) from None
        self._mark(item, TicketDelivery.DELIVERED, "", external_id=comment_id or "")
        return Sent(provider_ref=comment_id, provider_status=TicketDelivery.DELIVERED.value)

    def _job(self, item: Outgoing) -> _Job | Sent | _Blocked:
        """What to send, read in one short transaction; `_Blocked` when it cannot be sent
        now (the ticket is not created yet) or ever."""
        comment_id = item.payload.get("comment_id")
        with transaction(self.sessions) as session:
            comment = session.get(models.HelpdeskComment, comment_id) if comment_id else None
            if comment is None or comment.brand_id != item.brand_id:
                raise TransportError(f"no helpdesk comment {comment_id!r}", permanent=True)
            if comment.delivery == TicketDelivery.DELIVERED.value:
                return Sent(provider_ref=comment.external_id, provider_status="already_delivered")
            ticket = session.get_one(models.HelpdeskTicket, comment.ticket_id)
            row = find_integration(session, ticket.brand_id, IntegrationKind.ZENDESK)
            blocked = _not_sendable(ticket, row is not None)
            if blocked is not None or row is None or ticket.external_id is None:
                return blocked or _Blocked("Zendesk is not connected", True)
            message_row = session.get_one(models.Message, comment.message_id)
            text = visible_text(session, message_row)
            erased = session.scalar(
                select(models.Redaction.conversation_id).where(
                    models.Redaction.conversation_id == ticket.conversation_id
                )
            )
            if erased is not None or not text.strip():
                return _Blocked("the message was erased before it was sent", True)
            earlier = texts_of(session, ticket.id, before=comment.id)
            return _Job(
                client=zendesk_client(
                    self.settings, dict(row.config), secrets_of(self.settings, row)
                ),
                ticket_id=ticket.id,
                external_id=ticket.external_id,
                requester_id=ticket.requester_id,
                text=text,
                delivered_before=sum(
                    1
                    for c, body in earlier
                    if c.delivery == TicketDelivery.DELIVERED.value and same_text(body, text)
                ),
            )

    def _post(self, job: _Job, *, retry: bool) -> str | None:
        zd = job.client
        requester = job.requester_id
        if requester is None:
            requester = zd.requester_of(job.external_id)
            if requester is not None:
                self._keep_requester(job.ticket_id, requester)
        body = body_for(job.text, as_requester=requester is not None)
        if retry:
            found = [
                c
                for c in zd.comments(job.external_id)
                if (requester is None or str(c.get("author_id")) == requester)
                and same_text(str(c.get("body") or ""), body)
            ]
            if len(found) > job.delivered_before:  # the lost answer's comment is there
                return str(found[job.delivered_before].get("id") or "") or None
        return zd.add_comment(job.external_id, body, requester)

    def _keep_requester(self, ticket_id: int, requester: str) -> None:
        with transaction(self.sessions) as session:
            session.get_one(models.HelpdeskTicket, ticket_id).requester_id = requester

    def _mark(
        self,
        item: Outgoing,
        delivery: TicketDelivery | None,
        error: str,
        *,
        external_id: str = "",
        record: bool = True,
    ) -> None:
        """Record the outcome; `delivery` None keeps the comment queued (it is retried)."""
        with transaction(self.sessions) as session:
            comment = session.get_one(models.HelpdeskComment, item.payload["comment_id"])
            _set(comment, delivery, error)
            if external_id:
                comment.external_id = external_id
            if error and record:
                row = find_integration(session, comment.brand_id, IntegrationKind.ZENDESK)
                if row is not None:
                    record_error(row, error)


@dataclass(frozen=True)
class _Blocked:
    reason: str
    permanent: bool


def _not_sendable(ticket: models.HelpdeskTicket, connected: bool) -> _Blocked | None:
    """Why the comment cannot go now; None when it can."""
    if not connected:
        return _Blocked("Zendesk is not connected", True)
    if ticket.external_id is not None:
        return None
    if ticket.delivery == TicketDelivery.FAILED.value:
        return _Blocked(f"its Zendesk ticket was not created: {ticket.last_error}", True)
    return _Blocked("waiting for the Zendesk ticket to be created", False)


def _set(comment: models.HelpdeskComment, delivery: TicketDelivery | None, error: str) -> None:
    if delivery is not None:
        comment.delivery = delivery.value
    comment.last_error = error[:2000]
    comment.updated_at = datetime.now(UTC)


def transports(settings: Settings, sessions: sessionmaker[Session]) -> dict[str, CommentTransport]:
    return {KIND: CommentTransport(settings, sessions)}
