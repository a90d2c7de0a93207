"""The Zendesk webhook route: an agent's reply reaches the shopper
(`helpdesk/zendesk_webhook.py` checks and decides; web chat gets it live from the bus)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.helpdesk.relay import team_frame
from deskhand.helpdesk.zendesk_webhook import Refused, Relayed, WebhookRefused, receive
from deskhand.serving.deps import AppState, CurrentBrand, State
from deskhand.serving.problems import Problem

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
            )
            if result.message_id and result.conversation_id:
                conv = session.get_one(models.Conversation, result.conversation_id)
                frame = team_frame(session.get_one(models.Message, result.message_id), conv)
    except IntegrityError:  # the same delivery twice at the same moment
        return Relayed("duplicate")
    if result.message_id and result.conversation_id:  # committed: now the open web chats
        state.bus.publish(result.conversation_id, {**frame, "origin": None})
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
