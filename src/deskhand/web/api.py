"""The Conversations API (public, versioned): /api/v1/conversations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from sqlalchemy import select

from deskhand.agent.conversations import start_conversation
from deskhand.agent.launch import is_live
from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.jobs.outbox import messages_to
from deskhand.serving.deps import AppState, app_state, brand_or_404, caller_key, no_nul
from deskhand.serving.problems import Problem
from deskhand.serving.schemas import (
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
from deskhand.serving.turns import (
    authorized_conversation,
    bearer_token,
    conversation_state,
    limit,
    post_turn_queued,
)

router = APIRouter(prefix="/api/v1", tags=["conversations"])

State = Annotated[AppState, Depends(app_state)]
ClientKey = Annotated[str, Depends(caller_key)]


@router.post("/conversations", status_code=201, response_model=CreatedConversation)
def create_conversation(
    body: CreateConversation, state: State, client: ClientKey
) -> CreatedConversation:
    """Start a conversation; the token is the bearer credential for it alone."""
    s = state.settings
    limit(state, "conversations", client, s.conversations_per_minute, 60)
    with transaction(state.sessions) as session:
        brand = brand_or_404(session, body.brand)
        if body.locale is not None and body.locale.split("-")[0].lower() not in brand.languages:
            raise Problem(
                422, "Unsupported locale", f"This brand speaks {', '.join(brand.languages)}."
            )
        if not is_live(session, brand.id):
            raise Problem(
                403,
                "Not live yet",
                "This brand's agent is in test mode: it answers only in the console's Agent "
                "Preview until the brand publishes it.",
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
async def post_message(
    conversation_id: str,
    body: PostMessage,
    state: State,
    client: ClientKey,
    authorization: Annotated[str | None, Header()] = None,
) -> TurnResponse:
    """Send the shopper's text or button action (with the page it came from); get the replies."""
    return await post_turn_queued(state, conversation_id, bearer_token(authorization), body, client)


@router.get("/conversations/{conversation_id}", response_model=Transcript)
def get_transcript(
    conversation_id: str, state: State, authorization: Annotated[str | None, Header()] = None
) -> Transcript:
    """The whole transcript, oldest first."""
    with transaction(state.sessions) as session:
        conv = authorized_conversation(session, conversation_id, bearer_token(authorization))
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
                channel=m.channel,
                language=m.language,
                text=m.text,
                action=m.action,
                blocks=m.blocks,
                meta=Meta(**m.meta) if m.meta else None,
                context=m.context,
            )
            for m in rows
        ]
        return Transcript(
            id=conv.id,
            channel=conv.channel,
            created_at=conv.created_at,
            conversation=conversation_state(conv),
            messages=messages,
        )


@router.get("/dev/outbox", response_model=OutboxList, tags=["demo"])
def dev_outbox(state: State, to: str | None = None) -> OutboxList:
    """Demo only: the emails and SMS the product 'sent' (one-time codes, links)."""
    if not state.settings.demo:
        raise Problem(404, "Not found", "The dev outbox exists only in demo mode.")
    with transaction(state.sessions) as session:
        rows = messages_to(session, state.demo_brand_id(session), no_nul(to))
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
