"""Webhook routes of the shop systems: Shopify.

Thin: the raw body and headers go to `commerce/shopify/webhooks.py`, which verifies the
signature before anything is parsed, drops replays, and copies what changed. Shopify waits
five seconds at most; a 2xx means "received", anything else makes Shopify retry.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from deskhand.commerce.shopify.client import ShopifyError
from deskhand.commerce.shopify.webhooks import Outcome, WebhookRejected, receive
from deskhand.db.session import transaction
from deskhand.serving.deps import AppState, app_state
from deskhand.serving.problems import Problem

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
State = Annotated[AppState, Depends(app_state)]
SHOPIFY_MAX_BODY = 1024 * 1024  # an order with many line items is well under this


def _receive(state: AppState, headers: dict[str, str], body: bytes) -> Outcome:
    try:
        with transaction(state.sessions) as session:
            return receive(session, state.settings, headers, body)
    except IntegrityError:  # the same delivery applied at the same moment by another worker
        return Outcome.DUPLICATE


@router.post("/shopify", include_in_schema=False)
async def shopify_webhook(request: Request, state: State) -> JSONResponse:
    body = await request.body()
    headers = dict(request.headers)
    try:
        outcome = await run_in_threadpool(_receive, state, headers, body)
    except WebhookRejected as exc:
        title = "Signature check failed" if exc.status == 401 else "Malformed webhook"
        raise Problem(exc.status, title, exc.reason) from None
    except ShopifyError as exc:  # reading the record back failed: let Shopify retry
        raise Problem(503, "Shopify did not answer", str(exc)) from None
    return JSONResponse({"outcome": outcome.value})
