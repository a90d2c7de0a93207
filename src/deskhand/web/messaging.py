"""Webhook routes of the messaging channels: Twilio (SMS, WhatsApp) and inbound email.

Thin: verify the request, keep the message, let the channel pipeline answer it. Each check
is a dependency, listed before the brand's (`CurrentBrand`, `?brand=<slug>`): FastAPI
resolves them in that order, so a request is verified before anything about a brand is
looked up or revealed.
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
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from deskhand.channels.email import inbound as email_inbound
from deskhand.channels.inbound import process_inbound, record_inbound
from deskhand.channels.received import Received
from deskhand.channels.twilio import webhooks as twilio
from deskhand.channels.twilio.adapter import webhook_base
from deskhand.channels.twilio.client import twilio_unavailable
from deskhand.db.models import WebhookNonce
from deskhand.db.session import transaction
from deskhand.serving.deps import AppState, CurrentBrand, app_state
from deskhand.serving.problems import Problem

log = logging.getLogger("deskhand.webhooks")
router = APIRouter(prefix="/webhooks", tags=["webhooks"])
State = Annotated[AppState, Depends(app_state)]
TWILIO_MAX_BODY = 64 * 1024
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _keep_and_answer(
    state: AppState, brand_id: int, received: Received, nonce: tuple[str, str] | None = None
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
            row = record_inbound(session, brand_id=brand_id, received=received, now=now)
            if row is None:
                return "duplicate"
            inbound_id = row.id
    except IntegrityError:  # the same message arrived twice at the same moment
        return "duplicate"
    process_inbound(state.sessions, state.agent, state.settings, inbound_id, now)
    return "received"


async def twilio_params(request: Request, state: State) -> dict[str, str]:
    """The form Twilio signed, once X-Twilio-Signature checks out (403 otherwise)."""
    reason = twilio_unavailable(state.settings)
    if reason:
        raise Problem(503, "SMS and WhatsApp are off", reason)
    try:
        pairs = twilio.parse_form(await request.body())
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


TwilioParams = Annotated[dict[str, str], Depends(twilio_params)]


def twilio_received(params: TwilioParams, state: State) -> Received:
    """The shopper's message in a verified incoming-message webhook (400 when malformed)."""
    try:
        return twilio.received_message(params, state.settings.max_message_chars)
    except twilio.MalformedRequest as exc:
        raise Problem(400, "Malformed message", str(exc)) from None


@router.post("/twilio/messages", response_class=Response)
async def twilio_message(
    received: Annotated[Received, Depends(twilio_received)], state: State, brand: CurrentBrand
) -> Response:
    """Twilio's incoming-message webhook (SMS and WhatsApp); replies go out via the API."""
    await run_in_threadpool(_keep_and_answer, state, brand.id, received)
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post("/twilio/status", response_class=Response)
async def twilio_status(params: TwilioParams, state: State) -> Response:
    """Twilio's status callback for a message we sent."""

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


async def mailgun_email(request: Request, state: State) -> tuple[Received, str]:
    """A verified Mailgun forward (signed form fields, or raw MIME in `body-mime`) and its
    signature token (each is accepted once)."""
    key = state.settings.mailgun_signing_key
    if not key:
        raise Problem(503, "Inbound email is off", "Set DESKHAND_MAILGUN_SIGNING_KEY.")
    fields, files = await _email_form(request, state)
    try:
        token = email_inbound.verify_mailgun(fields, key, datetime.now(UTC))
    except email_inbound.SignatureRejected as exc:
        log.warning("mailgun.bad_signature", extra={"reason": str(exc)})
        raise Problem(403, "Invalid signature", str(exc)) from None
    return _email_received(state, email_inbound.from_mailgun(fields, files)), token


async def sendgrid_email(secret: str, request: Request, state: State) -> Received:
    """A SendGrid Inbound Parse post (unsigned: the secret path segment authenticates it)."""
    expected = state.settings.sendgrid_inbound_secret
    if not expected:
        raise Problem(503, "Inbound email is off", "Set DESKHAND_SENDGRID_INBOUND_SECRET.")
    if not hmac.compare_digest(secret.encode(), expected.encode()):
        raise Problem(403, "Invalid secret", "This is not the configured Inbound Parse URL.")
    fields, files = await _email_form(request, state)
    return _email_received(state, email_inbound.from_sendgrid(fields, files))


@router.post("/email/mailgun")
async def mailgun_inbound(
    verified: Annotated[tuple[Received, str], Depends(mailgun_email)],
    state: State,
    brand: CurrentBrand,
) -> JSONResponse:
    """Mailgun Routes forward(): signed form fields (or raw MIME in `body-mime`)."""
    received, token = verified
    status = await run_in_threadpool(
        _keep_and_answer, state, brand.id, received, ("mailgun", token[:128])
    )
    return JSONResponse({"status": status})


@router.post("/email/sendgrid/{secret}")
async def sendgrid_inbound(
    received: Annotated[Received, Depends(sendgrid_email)], state: State, brand: CurrentBrand
) -> JSONResponse:
    """SendGrid Inbound Parse (unsigned: the secret path segment authenticates it)."""
    status = await run_in_threadpool(_keep_and_answer, state, brand.id, received)
    return JSONResponse({"status": status})
