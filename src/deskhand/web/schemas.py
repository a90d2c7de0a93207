"""Request and response models of the public Conversations API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Channel = Literal["webchat", "sms", "whatsapp", "email", "api"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CreateConversation(Strict):
    channel: Channel
    locale: str | None = Field(default=None, min_length=2, max_length=8)
    brand: str | None = Field(default=None, min_length=1, max_length=64)


class CreatedConversation(BaseModel):
    id: str
    token: str


class PostMessage(Strict):
    text: str | None = None
    action: str | None = Field(default=None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _exactly_one(self) -> PostMessage:
        if (self.text is None) == (self.action is None):
            raise ValueError("send exactly one of 'text' or 'action'")
        return self


class Meta(BaseModel):
    intent: str
    skill: str
    outcome: str


class AgentMessage(BaseModel):
    id: str
    created_at: datetime
    language: str
    blocks: list[dict[str, Any]]
    meta: Meta


class ConversationState(BaseModel):
    status: str
    language: str
    verified: bool


class TurnResponse(BaseModel):
    messages: list[AgentMessage]
    conversation: ConversationState


class TranscriptMessage(BaseModel):
    id: str
    created_at: datetime
    role: Literal["shopper", "agent"]
    channel: str
    language: str
    text: str | None = None
    action: str | None = None
    blocks: list[dict[str, Any]] = []
    meta: Meta | None = None


class Transcript(BaseModel):
    id: str
    channel: str
    created_at: datetime
    conversation: ConversationState
    messages: list[TranscriptMessage]


class OutboxItem(BaseModel):
    id: int
    kind: str
    to: str
    subject: str
    body: str
    status: str
    created_at: datetime


class OutboxList(BaseModel):
    messages: list[OutboxItem]
