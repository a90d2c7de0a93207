"""The Conversations API (public, versioned): /api/v1/conversations."""

from __future__ import annotations

import hmac
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.agent.conversations import start_conversation, take_turn, token_hash
from deskhand.agent.engine import UnknownAction
from deskhand.agent.understand.reading import read_message
from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.jobs.outbox import messages_to
from deskhand.web.deps import AppState, app_state, client_key
from deskhand.web.problems import Problem
from deskhand.web.schemas import (
    AgentMessage,
    ConversationState,
    CreateConversation,
    CreatedConversation,
    Meta,
    OutboxItem,
    OutboxList,
    PostMessage,
    Transcript,
    TranscriptMessage,
    TurnResponse,
)

router = APIRouter(prefix="/api/v1", tags=["conversations"])
MAX_BODY_BYTES = 64 * 1024

State = Annotated[AppState, Depends(app_state)]
ClientKey = Annotated[str, Depends(client_key)]


def _limit(state: AppState, bucket: str, key: str, limit: int, per: float) -> None:
    wait = state.limiter.hit(bucket, key, limit, per)
    if wait:
        raise Problem(
            429,
            "Too many requests",
            "Slow down and try again shortly.",
            headers={"Retry-After": str(int(wait) + 1)},
        )


def _conversation(
    session: Session, conversation_id: str, authorization: str | None
) -> models.Conversation:
    conv = session.get(models.Conversation, conversation_id) if _is_uuid(conversation_id) else None
    if conv is None:
        raise Problem(404, "Conversation not found", "No conversation has this id.")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(
            401,
            "Missing token",
            "Send 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(conv.token_hash, token_hash(token.strip())):
        raise Problem(
            401,
            "Invalid token",
            "This token does not belong to this conversation.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return conv


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _no_nul(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL; no real slug, address or message needs one."""
    return value.replace("\x00", "") if value is not None else None


def _status(conv: models.Conversation) -> ConversationState:
    return ConversationState(
        status=conv.status, language=conv.language, verified=conv.customer_id is not None
    )


@router.post("/conversations", status_code=201, response_model=CreatedConversation)
def create_conversation(
    body: CreateConversation, state: State, client: ClientKey
) -> CreatedConversation:
    """Start a conversation; the token is the bearer credential for it alone."""
    s = state.settings
    _limit(state, "conversations", client, s.conversations_per_minute, 60)
    with transaction(state.sessions) as session:
        query = select(models.Brand)
        query = (
            query.where(models.Brand.slug == _no_nul(body.brand))
            if body.brand
            else query.order_by(models.Brand.id).limit(1)
        )
        brand = session.scalar(query)
        if brand is None:
            raise Problem(404, "Brand not found", f"No brand is called {body.brand!r}.")
        if body.locale is not None and body.locale.split("-")[0].lower() not in brand.languages:
            raise Problem(
                422, "Unsupported locale", f"This brand speaks {', '.join(brand.languages)}."
            )
        conv, token = start_conversation(
            session,
            brand=brand,
            channel=body.channel,
            language=(body.locale or brand.default_language).split("-")[0].lower(),
            client_key=client,
            now=datetime.now(UTC),
        )
    return CreatedConversation(id=conv.id, token=token)


@router.post("/conversations/{conversation_id}/messages", response_model=TurnResponse)
def post_message(
    conversation_id: str,
    body: PostMessage,
    state: State,
    client: ClientKey,
    authorization: Annotated[str | None, Header()] = None,
) -> TurnResponse:
    """Send the shopper's text or button action; get the agent's replies."""
    s = state.settings
    text = _no_nul(body.text.strip()) if body.text is not None else None
    if text is not None and not text:
        raise Problem(422, "Empty message", "The message text is empty.")
    if text is not None and len(text) > s.max_message_chars:
        raise Problem(
            413, "Message too long", f"Messages are limited to {s.max_message_chars} characters."
        )
    # Reading the text (the embedding model) needs no database: keep it out of the transaction.
    reading = read_message(text) if text is not None else None
    with transaction(state.sessions) as session:
        conv = _conversation(session, conversation_id, authorization)
        _limit(state, "messages", conv.id, s.messages_per_minute, 60)
        try:
            stored = take_turn(
                session,
                state.agent,
                conv,
                text=text,
                action=body.action,
                client_key=client,
                now=datetime.now(UTC),
                base_url=s.base_url,
                reading=reading,
            )
        except UnknownAction as exc:
            raise Problem(
                422,
                "Unknown action",
                f"{exc.args[0]!r} is not an action offered in this conversation.",
            ) from None
        return TurnResponse(messages=[agent_message(stored.message)], conversation=_status(conv))


def agent_message(row: models.Message) -> AgentMessage:
    return AgentMessage(
        id=row.id,
        created_at=row.created_at,
        language=row.language,
        blocks=row.blocks,
        meta=Meta(**row.meta),
    )


@router.get("/conversations/{conversation_id}", response_model=Transcript)
def get_transcript(
    conversation_id: str, state: State, authorization: Annotated[str | None, Header()] = None
) -> Transcript:
    """The whole transcript, oldest first."""
    with transaction(state.sessions) as session:
        conv = _conversation(session, conversation_id, authorization)
        rows = session.scalars(
            select(models.Message)
            .where(models.Message.conversation_id == conv.id)
            .order_by(models.Message.seq)
        )
        messages = [
            TranscriptMessage(
                id=m.id,
                created_at=m.created_at,
                role=m.role,
                channel=m.channel,  # type: ignore[arg-type]
                language=m.language,
                text=m.text,
                action=m.action,
                blocks=m.blocks,
                meta=Meta(**m.meta) if m.meta else None,
            )
            for m in rows
        ]
        return Transcript(
            id=conv.id,
            channel=conv.channel,
            created_at=conv.created_at,
            conversation=_status(conv),
            messages=messages,
        )


@router.get("/dev/outbox", response_model=OutboxList, tags=["demo"])
def dev_outbox(state: State, to: str | None = None) -> OutboxList:
    """Demo only: the emails and SMS the product 'sent' (one-time codes, links)."""
    if not state.settings.demo:
        raise Problem(404, "Not found", "The dev outbox exists only in demo mode.")
    with transaction(state.sessions) as session:
        rows = messages_to(session, state.demo_brand_id(session), _no_nul(to))
        return OutboxList(
            messages=[
                OutboxItem(
                    id=r.id,
                    kind=r.kind,
                    to=r.recipient,
                    subject=r.subject,
                    body=r.body,
                    status=r.status,
                    created_at=r.created_at,
                )
                for r in rows
            ]
        )
