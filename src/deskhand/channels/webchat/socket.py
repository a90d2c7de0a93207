"""The web chat's WebSocket: the conversation's token first, then one JSON frame per message.

Frames in:  {"token": "..."} first (unless the socket was opened with ?token=...), then
            {"text": "..."} or {"action": "..."}, each with an optional
            "context": {"url", "title", "product_id"}: the HTTP API's PostMessage.
Frames out: {"type": "ready", "conversation": {...}} once the token is accepted; for each
            message {"type": "typing"} then {"type": "messages", "messages": [...],
            "conversation": {...}} (the HTTP API's TurnResponse), or
            {"type": "error", "problem": {...}} (the HTTP API's problem+json body).
            {"typing": true|false} in is no message: the team's inbox shows the shopper
            typing. A team member's reply arrives as a pushed "messages" frame whose message
            has meta.author; {"type": "team_typing", "typing": bool, "name": str} while a
            team member types. Widgets that predate them ignore both new frame types.
            Replies this socket did not ask for (the same conversation answered over HTTP or
            on another socket, on this process or another) arrive as a "messages" frame
            with "pushed": true (serving/bus.py).
A problem before "ready" closes the socket with code 4000 + its HTTP status (4401 bad token,
4404 unknown conversation, 4400 malformed first frame, 4408 no token in time); after "ready"
a bad frame gets an error frame and the socket stays open.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator, Mapping
from typing import Any

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from deskhand.serving.deps import AppState
from deskhand.serving.problems import Problem, describe_errors, problem_body
from deskhand.serving.schemas import PostMessage
from deskhand.serving.team_messages import LiveFrame
from deskhand.serving.turns import (
    MAX_BODY_BYTES,
    check_conversation,
    message_text,
    post_turn_queued,
)

log = logging.getLogger("deskhand.webchat")

MAX_FRAME_BYTES = MAX_BODY_BYTES  # a frame may be as large as an HTTP body, no larger
TOKEN_TIMEOUT_SECONDS = 10.0


async def serve_conversation(
    websocket: WebSocket, state: AppState, conversation_id: str, token: str | None
) -> None:
    """Hold one shopper's socket: authenticate, then answer frame after frame."""
    await websocket.accept()
    client = websocket.client.host if websocket.client else "unknown"
    try:
        try:
            if token is None:
                token = await _token_frame(websocket)
            conversation = await run_in_threadpool(
                check_conversation, state, conversation_id, token
            )
        except Problem as problem:
            await _send_problem(websocket, problem)
            await websocket.close(code=4000 + problem.status, reason=problem.title)
            return
        async with state.bus.subscribe(conversation_id) as pushed:
            await websocket.send_json(
                {"type": "ready", "conversation": conversation.model_dump(mode="json")}
            )
            origin = uuid.uuid4().hex
            forward = asyncio.create_task(_forward(websocket, pushed, origin))
            try:
                await _answer(websocket, state, conversation_id, token, client, origin)
            finally:
                forward.cancel()
    except (WebSocketDisconnect, OSError):
        return  # the shopper left (closed the tab, lost the network)


async def _answer(
    websocket: WebSocket,
    state: AppState,
    conversation_id: str,
    token: str,
    client: str,
    origin: str,
) -> None:
    """Answer the shopper's frames one after another until the socket closes."""
    typing = False
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        try:
            data = _json_frame(message)
            if _is_typing(data):  # no answer: the team's inbox shows "typing…"
                if data["typing"] != typing:  # only changes go on the bus, never a flood
                    typing = data["typing"]
                    frame = {"type": LiveFrame.SHOPPER_TYPING, "typing": typing, "origin": origin}
                    state.bus.publish(conversation_id, frame)
                continue
            typing = False  # a message ends the typing
            body = _message(data)
            message_text(body, state.settings.max_message_chars)  # refuse before "typing"
            await websocket.send_json({"type": "typing"})
            turn = await post_turn_queued(
                state, conversation_id, token, body, client, origin=origin
            )
        except Problem as problem:
            await _send_problem(websocket, problem)
            continue
        except Exception:  # never let one bad turn end the shopper's connection
            log.exception("webchat.turn_failed", extra={"conversation": conversation_id})
            await _send_problem(
                websocket, Problem(500, "Internal server error", "Something went wrong.")
            )
            continue
        await websocket.send_json({"type": "messages", **turn.model_dump(mode="json")})


async def _forward(
    websocket: WebSocket, pushed: AsyncIterator[dict[str, Any]], origin: str
) -> None:
    """Send what others said in this conversation; this socket's own replies it sent itself."""
    try:
        async for frame in pushed:
            if frame.get("origin") == origin:
                continue
            await websocket.send_json({k: v for k, v in frame.items() if k != "origin"})
    except (WebSocketDisconnect, OSError, RuntimeError):
        return  # the socket closed under us; the receiving side ends the connection


async def _token_frame(websocket: WebSocket) -> str:
    try:
        message = await asyncio.wait_for(websocket.receive(), TOKEN_TIMEOUT_SECONDS)
    except TimeoutError:
        raise Problem(
            408, "Token timeout", "Send the conversation's token as the first frame."
        ) from None
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    data = _json_frame(message)
    if not (isinstance(data, dict) and set(data) == {"token"} and isinstance(data["token"], str)):
        raise Problem(
            401,
            "Missing token",
            'Send {"token": "<token>"} as the first frame, or connect with ?token=<token>.',
        )
    token: str = data["token"].strip()
    return token


def _json_frame(message: Mapping[str, Any]) -> Any:
    text = message.get("text")
    if text is None:
        raise Problem(400, "Text frames only", "Send each message as a JSON text frame.")
    if len(text.encode()) > MAX_FRAME_BYTES:
        raise Problem(413, "Frame too large", f"Frames are limited to {MAX_FRAME_BYTES} bytes.")
    try:
        return json.loads(text)
    except ValueError:
        raise Problem(400, "Malformed JSON", "The frame is not valid JSON.") from None
    except RecursionError:  # "[[[[…" thousands deep: Python's parser gives up
        raise Problem(400, "Malformed JSON", "The frame is nested too deeply.") from None


def _is_typing(data: Any) -> bool:
    return isinstance(data, dict) and set(data) == {"typing"} and isinstance(data["typing"], bool)


def _message(data: Any) -> PostMessage:
    try:
        return PostMessage.model_validate(data)
    except ValidationError as exc:
        raise Problem(
            422,
            "Invalid request",
            "The frame does not match the expected shape.",
            errors=describe_errors(list(exc.errors())),
        ) from None


async def _send_problem(websocket: WebSocket, problem: Problem) -> None:
    body = problem_body(
        problem.status, problem.title, problem.detail, websocket.url.path, **problem.extra
    )
    if "Retry-After" in problem.headers:
        body["retry_after"] = int(problem.headers["Retry-After"])
    await websocket.send_json({"type": "error", "problem": body})
