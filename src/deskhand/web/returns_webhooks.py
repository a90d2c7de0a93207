"""Routes for the returns providers' webhooks (`returns/webhooks.py` decides)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from deskhand.db import models
from deskhand.db.session import transaction
from deskhand.domain.vocabulary import ReturnsProviderKind
from deskhand.returns.webhooks import Refused, WebhookRefused, receive
from deskhand.serving.deps import AppState, CurrentBrand, State
from deskhand.serving.problems import Problem

log = logging.getLogger("deskhand.webhooks")
router = APIRouter(prefix="/webhooks/returns", tags=["webhooks"])
MAX_BODY = 256 * 1024
STATUS = {Refused.NOT_CONNECTED: 404, Refused.BAD_SIGNATURE: 401, Refused.MALFORMED: 400}


def _apply(
    state: AppState,
    brand_id: int,
    kind: ReturnsProviderKind,
    body: bytes,
    headers: Mapping[str, str],
) -> str:
    try:
        with transaction(state.sessions) as session:
            return receive(
                session,
                settings=state.settings,
                brand=session.get_one(models.Brand, brand_id),
                kind=kind,
                body=body,
                headers=headers,
                now=datetime.now(UTC),
            )
    except IntegrityError:  # the same delivery twice at the same moment
        return "duplicate"


async def _handle(
    request: Request, state: AppState, brand_id: int, kind: ReturnsProviderKind
) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_BODY:
        raise Problem(413, "Payload too large")
    try:
        result = await run_in_threadpool(_apply, state, brand_id, kind, body, dict(request.headers))
    except WebhookRefused as refused:
        log.warning("returns.webhook_refused %s %s", kind.value, refused.why.value)
        raise Problem(STATUS[refused.why], "Webhook refused", refused.why.value) from None
    return {"status": result}


@router.post("/loop")
async def loop_webhook(request: Request, state: State, brand: CurrentBrand) -> dict[str, str]:
    """Loop's return webhooks (return.created, return.updated, return.closed)."""
    return await _handle(request, state, brand.id, ReturnsProviderKind.LOOP)


@router.post("/aftership")
async def aftership_webhook(request: Request, state: State, brand: CurrentBrand) -> dict[str, str]:
    """AfterShip Returns' webhooks."""
    return await _handle(request, state, brand.id, ReturnsProviderKind.AFTERSHIP)
