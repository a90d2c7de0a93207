"""Dialogue state carried across turns, stored as JSON on the conversation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from deskhand.domain.vocabulary import Intent


class Awaiting(StrEnum):
    """What the verification dialogue waits for from the shopper."""

    EMAIL = "email"
    CODE = "code"


_INTENT_FIELDS = ("pending_intent", "focus_intent", "also_intent", "last_topic", "handoff_intent")


@dataclass
class DialogueState:
    awaiting: Awaiting | None = None  # while verification is under way
    code_address: str | None = None  # where the pending code went
    pending_intent: Intent | None = None  # the request to resume once verified or disambiguated
    pending_order: str | None = None
    pending_latest: bool = False
    pending_text: str | None = None  # the message that made the parked request
    focus_order: str | None = None  # the order this conversation is about
    focus_intent: Intent | None = None  # what the shopper last wanted with it
    also_intent: Intent | None = None  # the second request of a two-part message, still to answer
    clarify_order: str | None = None  # the order named in a message the agent asked about
    clarify_latest: bool = False
    offered_actions: list[str] = field(default_factory=list)
    # The buttons that still apply: the latest reply's (None: a conversation from before this
    # was kept, where every offered button counts). Their labels, for answers typed instead.
    live_actions: list[str] | None = None
    live_labels: list[str] = field(default_factory=list)
    shown_orders: list[str] = field(default_factory=list)  # orders the last answer listed
    last_topic: Intent | None = None  # the last question answered from the knowledge base
    last_question: str | None = None  # ... and its words, for "and to Belgium?"
    clarify_text: str | None = None  # the message the agent asked about ("the beanie…")
    # The last handoff offer: what was asked and why the agent could not resolve it (the
    # ticket carries both), and whether the agent waits for an email address to hand off.
    handoff_intent: Intent | None = None
    handoff_reason: str | None = None
    handoff_email_pending: bool = False
    handoff_email: str | None = None  # the address the shopper gave for the team's reply

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DialogueState:
        known = set(cls.__dataclass_fields__)
        state = cls(**{k: v for k, v in (data or {}).items() if k in known})
        # JSON holds the values; the names come back here.
        if state.awaiting is not None:
            state.awaiting = Awaiting(state.awaiting)
        for name in _INTENT_FIELDS:
            value = getattr(state, name)
            if value is not None:
                setattr(state, name, Intent(value))
        return state

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values (an enum member is stored as its value)."""
        return {k: v.value if isinstance(v, StrEnum) else v for k, v in asdict(self).items()}

    def park(self, intent: Intent, order: str | None, latest: bool) -> None:
        self.pending_intent, self.pending_order, self.pending_latest = intent, order, latest

    def unpark(self) -> tuple[Intent | None, str | None, bool]:
        parked = (self.pending_intent, self.pending_order, self.pending_latest)
        self.pending_intent, self.pending_order, self.pending_latest = None, None, False
        self.pending_text = None
        return parked
