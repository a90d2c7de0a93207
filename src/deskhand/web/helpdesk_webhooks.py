"""The Zendesk webhook route: an agent's reply reaches the shopper
(`helpdesk/zendesk_webhook.py` checks and decides; web chat gets it live from the bus)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.helpdesk.zendesk_webhook import Refused, Relay, Relayed, WebhookRefused, receive
from deskhand.serving.deps import AppState, CurrentBrand, State
from deskhand.serving.problems import Problem
from deskhand.serving.team_messages import add_team_message, publish_team_message, team_frame

log = logging.getLogger("deskhand.webhooks")
router = APIRouter(prefix="/webhooks/helpdesk", tags=["webhooks"])
MAX_BODY = 256 * 1024
STATUS = {
    Refused.NOT_CONNECTED: 404,
    Refused.BAD_SIGNATURE: 401,
    Refused.STALE: 401,
    Refused.MALFORMED: 400,
    Refused.NO_TICKET: 404,
}


def _relay(state: AppState) -> Relay:
    """A Zendesk agent's comment becomes a team message, sent the way the inbox sends one:
    live on web chat, through the outbox on SMS and WhatsApp. Not on email: Zendesk writes
    to the requester itself, and the shopper would get the answer twice."""

    def relay(
        session: Session, *, conv: models.Conversation, text: str, author: str, now: datetime
    ) -> models.Message:
        return add_team_message(
            session,
            brand=session.get_one(models.Brand, conv.brand_id),
            conv=conv,
            author_name=author,
            text=text,
            now=now,
            sender=None if conv.channel == "email" else state.team_sender,
        )

    return relay


def _apply(state: AppState, brand_id: int, body: bytes, headers: Mapping[str, str]) -> Relayed:
    try:
        with transaction(state.sessions) as session:
            result = receive(
                session,
                settings=state.settings,
                brand=session.get_one(models.Brand, brand_id),
                body=body,
                headers=headers,
                now=datetime.now(UTC),
                relay=_relay(state),
            )
            if result.message_id and result.conversation_id:
                conv = session.get_one(models.Conversation, result.conversation_id)
                frame = team_frame(session.get_one(models.Message, result.message_id), conv)
    except IntegrityError:  # the same delivery twice at the same moment
        return Relayed("duplicate")
    if result.message_id and result.conversation_id:  # committed: now the open web chats
        publish_team_message(state.bus, frame, result.conversation_id)
    return result


@router.post("/zendesk")
async def zendesk_webhook(request: Request, state: State, brand: CurrentBrand) -> dict[str, str]:
    """Zendesk's webhook for comments on the brand's tickets (signed with its secret)."""
    body = await request.body()
    if len(body) > MAX_BODY:
        raise Problem(413, "Payload too large")
    try:
        result = await run_in_threadpool(_apply, state, brand.id, body, dict(request.headers))
    except WebhookRefused as refused:
        log.warning("zendesk.webhook_refused %s", refused.why.value)
        raise Problem(STATUS[refused.why], "Webhook refused", refused.why.value) from None
    return {"status": result.status}
