"""The outbox worker: claim due rows atomically, deliver each through its transport, record.

The transports (kind -> Transport) and any extra chores are handed in by the caller, so the
worker sits below the channels that implement them (see channels/transports.py).

Claiming: PostgreSQL locks candidate rows with FOR UPDATE SKIP LOCKED, so workers never
wait on each other; SQLite has one writer, and a conditional UPDATE … WHERE status IN
(pending, retry) that must change exactly one row. A claimed row is `sending` with a lease;
a worker that dies mid-delivery leaves a lease that runs out, and the row is claimed again.
Retryable errors back off exponentially (bounded); permanent ones stop and keep last_error.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, aliased, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.models import ChannelOptOut
from deskhand.db.session import transaction
from deskhand.jobs.transport import Outgoing, Sent, Transport, TransportError

log = logging.getLogger("deskhand.worker")

DUE = ("pending", "retry")
SETTLED = ("sent", "failed", "suppressed")
LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)
BATCH = 20

# Work the caller adds to every round, given the round's time; returns how much it did.
# The worker knows only the outbox: the callers (cli, channels) wire in what lives above it.
Chore = Callable[[datetime], int]


class DevOutbox:
    """Demo mode without a real transport: the message stays readable at /api/v1/dev/outbox."""

    name = "dev_outbox"

    def deliver(self, item: Outgoing) -> Sent:
        return Sent(provider_ref=None, provider_status="dev_outbox")


@dataclass
class Unconfigured:
    """No transport for this kind: fail at once, saying which settings are missing."""

    reason: str
    name: str = "unconfigured"

    def deliver(self, item: Outgoing) -> Sent:
        raise TransportError(self.reason, permanent=True)


def backoff(attempts: int, base_seconds: float, retry_after: float | None = None) -> timedelta:
    """Delay before the next try: base * 2^(n-1), ±10 % jitter, at most an hour."""
    delay = base_seconds * 2 ** max(attempts - 1, 0) * random.uniform(0.9, 1.1)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(timedelta(seconds=delay), MAX_BACKOFF)


def _due(now: datetime) -> ColumnElement[bool]:
    row, before = models.OutboxMessage, aliased(models.OutboxMessage)
    previous_settled = or_(
        row.after_id.is_(None),
        exists().where(before.id == row.after_id, before.status.in_(SETTLED)),
    )
    ready = or_(
        and_(row.status.in_(DUE), or_(row.next_attempt_at.is_(None), row.next_attempt_at <= now)),
        and_(row.status == "sending", row.locked_until < now),  # a dead worker's lease
    )
    return and_(ready, previous_settled)


def claim(
    session: Session, now: datetime, limit: int = BATCH, lease: timedelta = LEASE
) -> list[int]:
    """Claim up to `limit` due rows for this worker; call inside a transaction."""
    row = models.OutboxMessage
    query = select(row.id).where(_due(now)).order_by(row.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(query.with_for_update(skip_locked=True, of=row)))
        if ids:
            session.execute(
                update(row)
                .where(row.id.in_(ids))
                .values(status="sending", locked_until=now + lease, attempts=row.attempts + 1)
            )
        return ids
    claimed = []
    for candidate in session.scalars(query).all():
        result = cast(  # an UPDATE's result is a cursor result, which has a rowcount
            CursorResult[Any],
            session.execute(
                update(row)
                .where(row.id == candidate, _due(now))
                .values(status="sending", locked_until=now + lease, attempts=row.attempts + 1)
            ),
        )
        if result.rowcount == 1:
            claimed.append(candidate)
    return claimed


def _detached(row: models.OutboxMessage) -> Outgoing:
    return Outgoing(
        id=row.id,
        brand_id=row.brand_id,
        kind=row.kind,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        idempotency_key=row.idempotency_key,
        payload=dict(row.payload or {}),
        attempts=row.attempts,
    )


def _opted_out(session: Session, item: Outgoing) -> bool:
    if item.kind not in ("sms", "whatsapp") or item.payload.get("bypass_opt_out"):
        return False
    return (
        session.scalar(
            select(ChannelOptOut.id).where(
                ChannelOptOut.brand_id == item.brand_id,
                ChannelOptOut.channel == item.kind,
                ChannelOptOut.address == item.recipient,
            )
        )
        is not None
    )


def deliver_one(
    sessions: sessionmaker[Session],
    transports: Mapping[str, Transport],
    settings: Settings,
    outbox_id: int,
    now: Callable[[], datetime],
) -> str:
    """Deliver one claimed row; returns its new status."""
    with transaction(sessions) as session:
        row = session.get_one(models.OutboxMessage, outbox_id)
        item = _detached(row)
        if _opted_out(session, item):
            row.status, row.last_error = "suppressed", "the recipient opted out (STOP)"
            row.locked_until = None
            return row.status
    transport = transports.get(item.kind) or Unconfigured(f"no transport for kind {item.kind!r}")
    error: TransportError | None = None
    sent = Sent()
    try:
        sent = transport.deliver(item)
    except TransportError as exc:
        error = exc
    except Exception as exc:  # a bug in a transport must not kill the worker
        log.exception("outbox.transport_crashed", extra={"outbox_id": outbox_id})
        error = TransportError(f"{type(exc).__name__}: {exc}", permanent=False)
    moment = now()
    with transaction(sessions) as session:
        row = session.get_one(models.OutboxMessage, outbox_id)
        row.locked_until = None
        if error is None:
            row.status, row.sent_at, row.last_error = "sent", moment, None
            row.provider_ref, row.provider_status = sent.provider_ref, sent.provider_status
        elif error.permanent or row.attempts >= settings.outbox_max_attempts:
            row.status, row.last_error = "failed", str(error)[:2000]
            log.warning(
                "outbox.failed",
                extra={"outbox_id": outbox_id, "kind": item.kind, "error": str(error)},
            )
        else:
            row.status, row.last_error = "retry", str(error)[:2000]
            row.next_attempt_at = moment + backoff(
                row.attempts, settings.outbox_backoff_seconds, error.retry_after
            )
        return row.status


def deliver_due(
    sessions: sessionmaker[Session],
    transports: Mapping[str, Transport],
    settings: Settings,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> dict[int, str]:
    """Claim and deliver every row due now (in order, rounds until none is left)."""
    done: dict[int, str] = {}
    while True:
        with transaction(sessions) as session:
            ids = claim(session, now(), lease=timedelta(seconds=settings.outbox_lease_seconds))
        if not ids:
            return done
        for outbox_id in ids:
            done[outbox_id] = deliver_one(sessions, transports, settings, outbox_id, now)


def run_worker(
    settings: Settings,
    sessions: sessionmaker[Session],
    stop: threading.Event,
    transports: Mapping[str, Transport],
    chores: Sequence[Chore] = (),
) -> None:
    """Deliver the outbox, then run each chore (e.g. retry unanswered inbound messages),
    round after round until `stop` is set; sleep only after a round with nothing to do."""
    while not stop.is_set():
        try:
            worked = bool(deliver_due(sessions, transports, settings))
            moment = datetime.now(UTC)
            for chore in chores:
                worked |= bool(chore(moment))
        except Exception:
            log.exception("worker.round_failed")
            worked = False
        if not worked:
            stop.wait(settings.worker_poll_seconds)


def start_worker_thread(
    settings: Settings,
    sessions: sessionmaker[Session],
    transports: Mapping[str, Transport],
    chores: Sequence[Chore] = (),
) -> tuple[threading.Thread, threading.Event]:
    """The worker in a daemon thread (inside `deskhand demo` / `serve`)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker,
        args=(settings, sessions, stop, transports, chores),
        name="outbox-worker",
        daemon=True,
    )
    thread.start()
    return thread, stop
