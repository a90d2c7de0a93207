"""Whether a conversation counts as resolved, and the rule that says so (its resolution record).

Strictly (docs/metrics.md): resolved when the agent answered, no handoff happened and the
shopper did not come back about the same thing within 7 days ("assumed"), or the shopper
confirmed it ("confirmed"). A conversation the shopper came back about ("reopened") leaves
the count, even if it had been confirmed. Computed from the analytics events; pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from deskhand.domain.vocabulary import Intent, Outcome, Skill

REOPEN_WINDOW = timedelta(days=7)
# A reply that gave the shopper what they asked for (or a definitive "no" by the rules).
ANSWERING = frozenset(
    {
        Outcome.ANSWERED,
        Outcome.HUB_LINK,
        Outcome.NOT_ELIGIBLE,
        Outcome.NOT_SUPPORTED,
        Outcome.ROUTED_TO_RETURNS,
    }
)
HANDOFF = frozenset({Outcome.HANDOFF_REQUESTED, Outcome.HANDED_OFF})
OFFERS = frozenset({Outcome.HANDOFF_OFFERED, Outcome.NO_ANSWER})
# Intents that are not a request of their own: they never make a conversation "about" them.
NOT_A_REQUEST = frozenset(
    {
        Intent.GREETING,
        Intent.THANKS,
        Intent.GOODBYE,
        Intent.VERIFICATION,
        Intent.KEYWORD_STOP,
        Intent.KEYWORD_START,
        Intent.KEYWORD_HELP,
        Intent.HUMAN_HANDOFF,
    }
)


class Resolution(StrEnum):
    CONFIRMED = "confirmed"
    ASSUMED = "assumed"
    PENDING = "pending"  # answered; the 7 days are not over yet
    REOPENED = "reopened"
    HANDED_OFF = "handed_off"
    NOT_ANSWERED = "not_answered"
    NO_REQUEST = "no_request"  # only small talk: nothing to resolve


RESOLVED = frozenset({Resolution.CONFIRMED, Resolution.ASSUMED})


@dataclass(frozen=True)
class ReplyEvent:
    at: datetime
    intent: str
    skill: str
    outcome: str


@dataclass
class ConversationFacts:
    """One conversation as its events tell it."""

    id: str
    started_at: datetime
    channel: str
    shopper: str  # "" when nobody was identified: such a conversation cannot be reopened
    demo: bool = False
    replies: list[ReplyEvent] = field(default_factory=list)
    confirmed_at: datetime | None = None
    reopened_at: datetime | None = None  # an explicit `conversation.reopened` event
    language: str = ""  # the language of its first reply

    @property
    def topic(self) -> str:
        """What the conversation was about: its first request's intent ("" for none)."""
        return next((r.intent for r in self.replies if r.intent not in NOT_A_REQUEST), "")

    @property
    def skill(self) -> str:
        """The skill of its first request ("" for none)."""
        return next((r.skill for r in self.replies if r.intent not in NOT_A_REQUEST), "")

    @property
    def is_request(self) -> bool:
        return bool(self.topic) or any(r.outcome in HANDOFF for r in self.replies)

    @property
    def last_reply_at(self) -> datetime:
        return self.replies[-1].at if self.replies else self.started_at


@dataclass(frozen=True)
class ResolutionRecord:
    conversation_id: str
    started_at: datetime
    channel: str
    language: str
    skill: str
    topic: str
    status: Resolution
    rule: str  # the rule that decided, in words, with the facts it used
    handoff_reason: str = ""
    demo: bool = False

    @property
    def resolved(self) -> bool:
        return self.status in RESOLVED


def handoff_reason(replies: list[ReplyEvent]) -> str:
    """Why the shopper went to a person: what the offer before the handoff was about."""
    offer = next(
        (r for r in reversed(replies) if r.outcome in OFFERS and r.outcome not in HANDOFF), None
    )
    if offer is None or offer.skill == Skill.HANDOFF:
        return "asked for a person"
    if offer.outcome == Outcome.NO_ANSWER:
        return "no answer in the content"
    if offer.skill in (Skill.ORDER_EDITING, Skill.RETURNS):
        return "Customer Hub off or skill unavailable"
    return "not understood or not supported"


def resolve(
    conv: ConversationFacts, later: list[ConversationFacts], now: datetime
) -> ResolutionRecord:
    """The conversation's resolution record; `later` are the same shopper's later ones."""

    def record(status: Resolution, rule: str, reason: str = "") -> ResolutionRecord:
        return ResolutionRecord(
            conv.id,
            conv.started_at,
            conv.channel,
            conv.language or "unknown",
            conv.skill or "(none)",
            conv.topic or "(none)",
            status,
            rule,
            reason,
            conv.demo,
        )

    handed = next((r for r in conv.replies if r.outcome in HANDOFF), None)
    if handed is not None:
        return record(
            Resolution.HANDED_OFF,
            f"A handoff happened ({handed.outcome} at {handed.at:%Y-%m-%d %H:%M} UTC).",
            handoff_reason(conv.replies),
        )
    if conv.reopened_at is not None:
        return record(Resolution.REOPENED, f"Reopened at {conv.reopened_at:%Y-%m-%d %H:%M} UTC.")
    ends = conv.last_reply_at + REOPEN_WINDOW
    if conv.topic and conv.shopper:
        back = next(
            (
                c
                for c in later
                if c.id != conv.id
                and c.shopper == conv.shopper
                and conv.started_at < c.started_at <= ends
                and c.topic == conv.topic
            ),
            None,
        )
        if back is not None:
            return record(
                Resolution.REOPENED,
                f"The shopper came back about {conv.topic} on {back.started_at:%Y-%m-%d} "
                f"(conversation {back.id}), within 7 days.",
            )
    if conv.confirmed_at is not None:
        return record(
            Resolution.CONFIRMED,
            f"The shopper confirmed it was resolved at {conv.confirmed_at:%Y-%m-%d %H:%M} UTC.",
        )
    if not conv.topic:
        return record(Resolution.NO_REQUEST, "Only small talk: nothing to resolve.")
    answered = [r for r in conv.replies if r.outcome in ANSWERING]
    if not answered:
        outcomes = ", ".join(sorted({r.outcome for r in conv.replies})) or "no reply"
        return record(Resolution.NOT_ANSWERED, f"The agent never answered ({outcomes}).")
    if now < ends:
        return record(
            Resolution.PENDING,
            f"Answered ({answered[-1].outcome}); counted once 7 days pass without the shopper "
            f"coming back ({ends:%Y-%m-%d %H:%M} UTC).",
        )
    return record(
        Resolution.ASSUMED,
        f"Answered ({answered[-1].outcome}), no handoff, and the shopper did not come back "
        f"about {conv.topic or 'it'} within 7 days.",
    )
