"""The dashboard's figures, computed from the analytics events (definitions: docs/metrics.md).

Previews (Agent Preview) are left out. A conversation belongs to the day (UTC) it started;
a date range takes the conversations started in it, and looks 7 days past its end for the
shopper coming back.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.analytics.resolution import (
    REOPEN_WINDOW,
    ConversationFacts,
    ReplyEvent,
    Resolution,
    ResolutionRecord,
    resolve,
)
from deskhand.db import models

STARTED, REPLIED, CONFIRMED, REOPENED = (
    "conversation.started",
    "agent.replied",
    "conversation.confirmed",
    "conversation.reopened",
)


@dataclass(frozen=True)
class Row:
    """One line of a breakdown."""

    key: str
    conversations: int
    resolved: int
    handoffs: int

    @property
    def resolution_rate(self) -> float:
        return self.resolved / self.conversations if self.conversations else 0.0


@dataclass(frozen=True)
class Dashboard:
    start: date
    end: date
    conversations: int
    requests: int  # conversations that asked for something (not only small talk)
    resolved: int
    confirmed: int
    assumed: int
    pending: int
    reopened: int
    handoffs: int
    deflected: int  # requests that did not go to a person
    by_day: list[Row]
    by_skill: list[Row]
    by_channel: list[Row]
    by_language: list[Row]
    handoffs_by_reason: list[tuple[str, int]]
    demo: bool  # some of the figures come from the demo's synthetic data

    @property
    def resolution_rate(self) -> float:
        return self.resolved / self.conversations if self.conversations else 0.0

    @property
    def handoff_rate(self) -> float:
        return self.handoffs / self.conversations if self.conversations else 0.0

    @property
    def deflection_rate(self) -> float:
        return self.deflected / self.requests if self.requests else 0.0


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def conversation_facts(
    session: Session, brand_id: int, since: datetime, until: datetime
) -> list[ConversationFacts]:
    """Every non-preview conversation started in [since, until), from its events."""
    previews = select(models.PreviewConversation.conversation_id)
    started = session.scalars(
        select(models.AnalyticsEvent)
        .where(
            models.AnalyticsEvent.brand_id == brand_id,
            models.AnalyticsEvent.name == STARTED,
            models.AnalyticsEvent.created_at >= since,
            models.AnalyticsEvent.created_at < until,
            models.AnalyticsEvent.conversation_id.not_in(previews),
        )
        .order_by(models.AnalyticsEvent.created_at)
    ).all()
    ids = [e.conversation_id for e in started if e.conversation_id]
    shoppers = dict(
        session.execute(
            select(models.Conversation.id, models.Conversation.customer_id).where(
                models.Conversation.id.in_(ids), models.Conversation.customer_id.is_not(None)
            )
        ).all()
    )
    facts: dict[str, ConversationFacts] = {}
    for e in started:
        cid = e.conversation_id or ""
        shopper = shoppers.get(cid)
        facts[cid] = ConversationFacts(
            id=cid,
            started_at=e.created_at,
            channel=str(e.props.get("channel", "unknown")),
            # Seeded demo conversations carry their shopper in the event (no stored row).
            shopper=f"customer:{shopper}" if shopper else str(e.props.get("shopper", "")),
            demo=bool(e.props.get("demo", False)),
        )
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        events = session.scalars(
            select(models.AnalyticsEvent)
            .where(
                models.AnalyticsEvent.brand_id == brand_id,
                models.AnalyticsEvent.conversation_id.in_(chunk),
                models.AnalyticsEvent.name.in_((REPLIED, CONFIRMED, REOPENED)),
            )
            .order_by(models.AnalyticsEvent.created_at, models.AnalyticsEvent.id)
        ).all()
        for e in events:
            conv = facts[e.conversation_id or ""]
            if e.name == REPLIED:
                conv.replies.append(
                    ReplyEvent(
                        e.created_at,
                        str(e.props.get("intent", "")),
                        str(e.props.get("skill", "")),
                        str(e.props.get("outcome", "")),
                    )
                )
                conv.language = conv.language or str(e.props.get("language", ""))
            elif e.name == CONFIRMED and conv.confirmed_at is None:
                conv.confirmed_at = e.created_at
            elif e.name == REOPENED and conv.reopened_at is None:
                conv.reopened_at = e.created_at
    return list(facts.values())


def resolution_records(
    session: Session, brand_id: int, start: date, end: date, now: datetime
) -> list[ResolutionRecord]:
    """The record of every conversation started from `start` to `end` (both included)."""
    since, until = _day_start(start), _day_start(end + timedelta(days=1))
    every = conversation_facts(session, brand_id, since, until + REOPEN_WINDOW)
    by_shopper: dict[str, list[ConversationFacts]] = defaultdict(list)
    for conv in every:
        if conv.shopper:
            by_shopper[conv.shopper].append(conv)
    return [
        resolve(conv, by_shopper.get(conv.shopper, []), now)
        for conv in every
        if since <= conv.started_at < until
    ]


def _rows(records: Iterable[ResolutionRecord], key: Callable[[ResolutionRecord], str]) -> list[Row]:
    groups: dict[str, list[ResolutionRecord]] = defaultdict(list)
    for r in records:
        groups[key(r)].append(r)
    return [
        Row(
            k,
            len(rs),
            sum(r.resolved for r in rs),
            sum(r.status is Resolution.HANDED_OFF for r in rs),
        )
        for k, rs in sorted(groups.items())
    ]


def dashboard(
    session: Session, brand_id: int, start: date, end: date, now: datetime
) -> tuple[Dashboard, list[ResolutionRecord]]:
    records = resolution_records(session, brand_id, start, end, now)
    status = Counter(r.status for r in records)
    requests = [r for r in records if r.status is not Resolution.NO_REQUEST]
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    by_day = {row.key: row for row in _rows(records, lambda r: r.started_at.date().isoformat())}
    reasons = Counter(r.handoff_reason for r in records if r.status is Resolution.HANDED_OFF)
    figures = Dashboard(
        start=start,
        end=end,
        conversations=len(records),
        requests=len(requests),
        resolved=status[Resolution.CONFIRMED] + status[Resolution.ASSUMED],
        confirmed=status[Resolution.CONFIRMED],
        assumed=status[Resolution.ASSUMED],
        pending=status[Resolution.PENDING],
        reopened=status[Resolution.REOPENED],
        handoffs=status[Resolution.HANDED_OFF],
        deflected=sum(r.status is not Resolution.HANDED_OFF for r in requests),
        by_day=[by_day.get(d.isoformat(), Row(d.isoformat(), 0, 0, 0)) for d in days],
        by_skill=_rows(records, lambda r: r.skill),
        by_channel=_rows(records, lambda r: r.channel),
        by_language=_rows(records, lambda r: r.language),
        handoffs_by_reason=sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])),
        demo=any(r.demo for r in records),
    )
    return figures, records
