"""One shopper turn over any transport (HTTP or the web chat's WebSocket): same checks.

Token check, message validation, rate limits and the turn itself live here once, so the
public API and the widget's socket cannot drift apart. Errors are raised as `Problem`.
"""

from __future__ import annotations

import hmac
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from deskhand.agent.conversations import take_turn_unless_team, token_hash
from deskhand.agent.engine import RetiredAction, UnknownAction
from deskhand.agent.understand.reading import read_message
from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.domain.blocks import Block
from deskhand.serving.deps import AppState, no_nul
from deskhand.serving.metrics import TURN_SECONDS, count_outcome
from deskhand.serving.problems import Problem
from deskhand.serving.schemas import (
    AgentMessage,
    ConversationState,
    Meta,
    PostMessage,
    TurnResponse,
)

# The largest request body (HTTP) or frame (WebSocket) the Conversations API reads.
MAX_BODY_BYTES = 64 * 1024


def limit(state: AppState, bucket: str, key: str, limit: int, per: float) -> None:
    """Count one request against a sliding window; 429 with Retry-After when over."""
    wait = state.limiter.hit(bucket, key, limit, per)
    if wait:
        raise Problem(
            429,
            "Too many requests",
            "Slow down and try again shortly.",
            headers={"Retry-After": str(int(wait) + 1)},
        )


def bearer_token(authorization: str | None) -> str | None:
    """The token of an 'Authorization: Bearer <token>' header, or None."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def authorized_conversation(
    session: Session, conversation_id: str, token: str | None
) -> models.Conversation:
    """The conversation this token opens: 404 for an unknown id, 401 for a missing/wrong token."""
    conv = session.get(models.Conversation, conversation_id) if is_uuid(conversation_id) else None
    if conv is None:
        raise Problem(404, "Conversation not found", "No conversation has this id.")
    if not token:
        raise Problem(
            401,
            "Missing token",
            "Send 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(conv.token_hash, token_hash(token)):
        raise Problem(
            401,
            "Invalid token",
            "This token does not belong to this conversation.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return conv


def is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def conversation_state(conv: models.Conversation) -> ConversationState:
    return ConversationState(
        status=conv.status, language=conv.language, verified=conv.customer_id is not None
    )


def agent_message(row: models.Message, blocks: list[Block] | None = None) -> AgentMessage:
    """The stored message; `blocks` as the shopper gets them live (with sign-in links)."""
    return AgentMessage(
        id=row.id,
        created_at=row.created_at,
        language=row.language,
        blocks=row.blocks if blocks is None else blocks,
        meta=Meta(**row.meta),
    )


def check_conversation(
    state: AppState, conversation_id: str, token: str | None
) -> ConversationState:
    """Open the conversation with this token (or raise); its state for a first frame."""
    with transaction(state.sessions) as session:
        return conversation_state(authorized_conversation(session, conversation_id, token))


def message_text(body: PostMessage, max_chars: int) -> str | None:
    """The shopper's text as the agent will read it; 422 when empty, 413 when too long."""
    if body.text is None:
        return None
    text = no_nul(body.text.strip()) or ""
    if not text:
        raise Problem(422, "Empty message", "The message text is empty.")
    if len(text) > max_chars:
        raise Problem(413, "Message too long", f"Messages are limited to {max_chars} characters.")
    return text


def post_turn(
    state: AppState,
    conversation_id: str,
    token: str | None,
    body: PostMessage,
    client: str,
    *,
    channel: str | None = None,
    origin: str | None = None,
) -> TurnResponse:
    """Validate the message, take the agent's turn in one transaction, return its replies,
    and publish them to the conversation's other sockets (`origin`: the socket asking).

    Blocking (database and the embedding model): async callers run it in a thread.
    """
    started = time.perf_counter()
    with state.turn_slots:
        response = _turn(state, conversation_id, token, body, client, channel)
    TURN_SECONDS.labels(channel=channel or "webchat").observe(time.perf_counter() - started)
    frame = {"type": "messages", **response.model_dump(mode="json"), "pushed": True}
    if not response.messages:  # the team has the conversation: nothing of the agent's, but
        # the news that the shopper wrote reaches the open inbox pages at once
        state.bus.publish(conversation_id, {**frame, "origin": origin})
        return response
    count_outcome(response.messages[-1].meta.outcome)
    state.bus.publish(conversation_id, {**frame, "origin": origin})
    return response


async def post_turn_queued(
    state: AppState,
    conversation_id: str,
    token: str | None,
    body: PostMessage,
    client: str,
    *,
    origin: str | None = None,
) -> TurnResponse:
    """`post_turn` for async callers: wait for a turn slot in the event loop, then take it in
    a worker thread. A shopper waiting for a slot then holds none of anyio's 40 threads, so
    200 waiting shoppers no longer queue a new conversation (a few ms of work) behind their
    turns, and slots go first come, first served (a thread semaphore lets newcomers barge)."""
    async with state.turn_queue:
        return await run_in_threadpool(
            post_turn, state, conversation_id, token, body, client, origin=origin
        )


def _turn(
    state: AppState,
    conversation_id: str,
    token: str | None,
    body: PostMessage,
    client: str,
    channel: str | None,
) -> TurnResponse:
    s = state.settings
    text = message_text(body, s.max_message_chars)
    context = body.context.model_dump(exclude_none=True) if body.context else None
    # Reading the text (the embedding model) needs no database: keep it out of the transaction.
    reading = read_message(text) if text is not None else None
    with transaction(state.sessions) as session:
        conv = authorized_conversation(session, conversation_id, token)
        limit(state, "messages", conv.id, s.messages_per_minute, 60)
        try:
            stored = take_turn_unless_team(
                session,
                state.agent,
                conv,
                text=text,
                action=body.action,
                client_key=client,
                now=datetime.now(UTC),
                base_url=s.base_url,
                reading=reading,
                channel=channel,
                context=context,
            )
        except RetiredAction as exc:
            raise Problem(
                409,
                "Button no longer applies",
                f"{exc.args[0]!r} was offered earlier, but a newer reply replaced it: "
                "use the latest buttons or type the answer.",
            ) from None
        except UnknownAction as exc:
            raise Problem(
                422,
                "Unknown action",
                f"{exc.args[0]!r} is not an action offered in this conversation.",
            ) from None
        # While the team has the conversation the agent is silent: no message of its own.
        messages = [] if stored is None else [agent_message(stored.message, stored.blocks)]
        return TurnResponse(messages=messages, conversation=conversation_state(conv))
