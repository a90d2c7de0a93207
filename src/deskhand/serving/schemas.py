"""Request and response models of the public Conversations API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from deskhand.domain.blocks import Block
from deskhand.domain.vocabulary import Intent, Outcome, Skill

_SURROGATE = re.compile("[\ud800-\udfff]")
_HTTP_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)

Channel = Literal["webchat", "sms", "whatsapp", "email", "api"]


class Strict(BaseModel):
    """A request body: no unknown fields, and every string valid Unicode.

    JSON may spell a lone UTF-16 surrogate ("\\ud800"), which no UTF-8 text can hold: it
    would fail later, in the embedding or the database, so it is refused here with a 422.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _valid_unicode(cls, value: object) -> object:
        if isinstance(value, str) and _SURROGATE.search(value):
            raise ValueError("the text holds a lone surrogate: it is not valid Unicode")
        return value


class CreateConversation(Strict):
    channel: Channel
    locale: str | None = Field(default=None, min_length=2, max_length=8)
    brand: str | None = Field(default=None, min_length=1, max_length=64)


class CreatedConversation(BaseModel):
    id: str
    token: str


class PageContext(Strict):
    """The shop page the shopper wrote from (the web chat widget sends it with each message)."""

    url: str | None = Field(default=None, min_length=1, max_length=2000)
    title: str | None = Field(default=None, max_length=300)
    product_id: str | None = Field(default=None, min_length=1, max_length=100)

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not _HTTP_URL.fullmatch(value):
            raise ValueError("the page URL must be an http:// or https:// address")
        return value

    @field_validator("url", "title", "product_id")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        # PostgreSQL text cannot hold NUL; no real URL, title or product id needs one.
        return value.replace("\x00", "") if value is not None else None


class PostMessage(Strict):
    text: str | None = None
    action: str | None = Field(default=None, min_length=1, max_length=100)
    context: PageContext | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> PostMessage:
        if (self.text is None) == (self.action is None):
            raise ValueError("send exactly one of 'text' or 'action'")
        return self


class Author(BaseModel):
    name: str


class Meta(BaseModel):
    intent: Intent
    skill: Skill
    outcome: Outcome
    # Only on a team member's message (role "team"): who wrote it. Left out of the JSON of
    # the agent's own messages, so their shape is exactly as before.
    author: Author | None = None

    @model_serializer(mode="wrap")
    def _without_empty_author(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("author") is None:
            data.pop("author", None)
        return data


class AgentMessage(BaseModel):
    id: str
    created_at: datetime
    language: str
    blocks: list[Block]
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
    role: Literal["shopper", "agent", "team"]
    channel: str
    language: str
    text: str | None = None
    action: str | None = None
    blocks: list[Block] = []
    meta: Meta | None = None
    context: PageContext | None = None  # shopper messages: the page they wrote from


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
