"""Dialogue state carried across turns, stored as JSON on the conversation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class DialogueState:
    awaiting: str | None = None  # "email" | "code" while verification is under way
    code_address: str | None = None  # where the pending code went
    pending_intent: str | None = None  # the request to resume once verified or disambiguated
    pending_order: str | None = None
    pending_latest: bool = False
    pending_text: str | None = None  # the message that made the parked request
    focus_order: str | None = None  # the order this conversation is about
    focus_intent: str | None = None  # what the shopper last wanted with it
    failures: int = 0  # wrong codes in a row
    locked_until: str | None = None  # ISO time; verification paused until then
    also_intent: str | None = None  # the second request of a two-part message, still to answer
    clarify_order: str | None = None  # the order named in a message the agent asked about
    clarify_latest: bool = False
    offered_actions: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DialogueState:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def park(self, intent: str, order: str | None, latest: bool) -> None:
        self.pending_intent, self.pending_order, self.pending_latest = intent, order, latest

    def unpark(self) -> tuple[str | None, str | None, bool]:
        parked = (self.pending_intent, self.pending_order, self.pending_latest)
        self.pending_intent, self.pending_order, self.pending_latest = None, None, False
        self.pending_text = None
        return parked
