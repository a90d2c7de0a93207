"""Webhook routes of the messaging channels: Twilio (SMS, WhatsApp) and inbound email.

Thin: verify the request, keep the message, let the channel pipeline answer it.
"""

from __future__ import annotations

import hmac
import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from deskhand.channels.email import inbound as email_inbound
from deskhand.channels.inbound import Received, process_inbound, record_inbound
from deskhand.channels.twilio import webhooks as twilio
from deskhand.channels.twilio.adapter import webhook_base
from deskhand.channels.twilio.client import twilio_unavailable
from deskhand.db.brands import find_brand
from deskhand.db.models import WebhookNonce
from deskhand.db.session import transaction
from deskhand.serving.deps import AppState, app_state
from deskhand.serving.problems import Problem

log = logging.getLogger("deskhand.webhooks")
router = APIRouter(prefix="/webhooks", tags=["webhooks"])
State = Annotated[AppState, Depends(app_state)]
TWILIO_MAX_BODY = 64 * 1024
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _brand_id(session: Session, slug: str | None) -> int:
    brand = find_brand(session, slug)
    if brand is None:
        raise Problem(404, "Brand not found", "No brand matches this webhook.")
    return brand.id


def _keep_and_answer(
    state: AppState, slug: str | None, received: Received, nonce: tuple[str, str] | None = None
) -> str:
    """Keep the message (once) and answer it; returns "received" or "duplicate"."""
    now = datetime.now(UTC)
    try:
        with transaction(state.sessions) as session:
            if nonce is not None:
                provider, token = nonce
                if session.scalar(
                    select(WebhookNonce.id).where(
                        WebhookNonce.provider == provider, WebhookNonce.nonce == token
                    )
                ):
                    return "duplicate"
                session.add(WebhookNonce(provider=provider, nonce=token, seen_at=now))
            row = record_inbound(
                session, brand_id=_brand_id(session, slug), received=received, now=now
            )
            if row is None:
                return "duplicate"
            inbound_id = row.id
    except IntegrityError:  # the same message arrived twice at the same moment
        return "duplicate"
    process_inbound(state.sessions, state.agent, state.settings, inbound_id, now)
    return "received"


def _twilio_request(state: AppState, request: Request, body: bytes) -> dict[str, str]:
    reason = twilio_unavailable(state.settings)
    if reason:
        raise Problem(503, "SMS and WhatsApp are off", reason)
    try:
        pairs = twilio.parse_form(body)
    except twilio.MalformedRequest as exc:
        raise Problem(400, "Malformed form body", str(exc)) from None
    url = webhook_base(state.settings) + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    signature = request.headers.get("x-twilio-signature")
    if not twilio.signature_valid(state.settings.twilio_auth_token, url, pairs, signature):
        log.warning("twilio.bad_signature", extra={"path": request.url.path})
        raise Problem(403, "Invalid signature", "X-Twilio-Signature is missing or wrong.")
    return dict(pairs)


@router.post("/twilio/messages", response_class=Response)
async def twilio_message(request: Request, state: State, brand: str | None = None) -> Response:
    """Twilio's incoming-message webhook (SMS and WhatsApp); replies go out via the API."""
    params = _twilio_request(state, request, await request.body())
    try:
        received = twilio.received_message(params, state.settings.max_message_chars)
    except twilio.MalformedRequest as exc:
        raise Problem(400, "Malformed message", str(exc)) from None
    await run_in_threadpool(_keep_and_answer, state, brand, received)
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post("/twilio/status", response_class=Response)
async def twilio_status(request: Request, state: State) -> Response:
    """Twilio's status callback for a message we sent."""
    params = _twilio_request(state, request, await request.body())

    def keep() -> None:
        with transaction(state.sessions) as session:
            try:
                twilio.record_status(session, params, datetime.now(UTC))
            except twilio.MalformedRequest as exc:
                raise Problem(400, "Malformed status callback", str(exc)) from None

    try:
        await run_in_threadpool(keep)
    except IntegrityError:
        pass  # the same callback twice at once: one is kept
    return Response(status_code=204)


async def _email_form(
    request: Request, state: AppState
) -> tuple[dict[str, Any], list[email_inbound.Attachment]]:
    form = await request.form(
        max_files=100, max_fields=1000, max_part_size=state.settings.email_max_bytes
    )
    fields: dict[str, Any] = {}
    files: list[email_inbound.Attachment] = []
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            files.append(
                email_inbound.Attachment(
                    value.filename or key, value.content_type or "", value.size or 0
                )
            )
        else:
            fields[key] = value.replace("\x00", "")
    return fields, files


def _email_received(state: AppState, parsed: email_inbound.ParsedEmail) -> Received:
    try:
        return email_inbound.to_received(parsed, state.settings)
    except ValueError as exc:
        # Mailgun does not retry a 406: an email without a sender can never be answered.
        raise Problem(406, "Unusable email", str(exc)) from None


@router.post("/email/mailgun")
async def mailgun_inbound(request: Request, state: State, brand: str | None = None) -> JSONResponse:
    """Mailgun Routes forward(): signed form fields (or raw MIME in `body-mime`)."""
    key = state.settings.mailgun_signing_key
    if not key:
        raise Problem(503, "Inbound email is off", "Set DESKHAND_MAILGUN_SIGNING_KEY.")
    fields, files = await _email_form(request, state)
    try:
        token = email_inbound.verify_mailgun(fields, key, datetime.now(UTC))
    except email_inbound.SignatureRejected as exc:
        log.warning("mailgun.bad_signature", extra={"reason": str(exc)})
        raise Problem(403, "Invalid signature", str(exc)) from None
    received = _email_received(state, email_inbound.from_mailgun(fields, files))
    status = await run_in_threadpool(
        _keep_and_answer, state, brand, received, ("mailgun", token[:128])
    )
    return JSONResponse({"status": status})


@router.post("/email/sendgrid/{secret}")
async def sendgrid_inbound(
    secret: str, request: Request, state: State, brand: str | None = None
) -> JSONResponse:
    """SendGrid Inbound Parse (unsigned: the secret path segment authenticates it)."""
    expected = state.settings.sendgrid_inbound_secret
    if not expected:
        raise Problem(503, "Inbound email is off", "Set DESKHAND_SENDGRID_INBOUND_SECRET.")
    if not hmac.compare_digest(secret.encode(), expected.encode()):
        raise Problem(403, "Invalid secret", "This is not the configured Inbound Parse URL.")
    fields, files = await _email_form(request, state)
    received = _email_received(state, email_inbound.from_sendgrid(fields, files))
    status = await run_in_threadpool(_keep_and_answer, state, brand, received)
    return JSONResponse({"status": status})
