"""The inbox's live connection for one ticket: the shopper's new messages and typing in,
the team member's typing out.

Opened by the ticket's page at /admin/inbox/{ticket}/ws?after=<last seq shown>, with the
team session's cookie (same origin only: a page elsewhere cannot borrow the cookie).
Frames out: {"type": "ready"}; {"type": "lines", "lines": [...]} with every message after
the last one sent (read from the transcript whenever the conversation bus says something
was said, and every few seconds for what arrives without the bus: SMS, email);
{"type": "shopper_typing", "typing": bool}; {"type": "team_typing", "typing": bool,
"name": str} (another member on the same ticket). Frames in: {"typing": bool}, sent on to
the shopper's widget as "team_typing" with the member's name.
Close codes: 4401 not signed in (or signed out since), 4403 another origin, 4404 no such
ticket for this brand.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from deskhand.console.context import SESSION_COOKIE
from deskhand.console.inbox_queries import display_name, ticket_of_brand, transcript
from deskhand.db.brands import find_brand
from deskhand.db.session import transaction
from deskhand.serving.deps import AppState
from deskhand.serving.team_messages import LiveFrame
from deskhand.team import sessions

CATCH_UP_SECONDS = 5.0
MAX_FRAME_BYTES = 1024


class Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


@dataclass
class Watch:
    """One member's socket on one ticket."""

    state: AppState
    token: str | None
    ticket_id: int
    conversation_id: str = ""
    member_name: str = ""
    brand_name: str = ""
    last_seq: int = 0

    def check(self) -> None:
        """The member is still signed in and the ticket is still the brand's (else Refused)."""
        with transaction(self.state.sessions) as db:
            brand = find_brand(db)
            if brand is None:
                raise Refused(4404, "No brand")
            signed_in = sessions.current_session(
                db, brand_id=brand.id, token=self.token, now=datetime.now(UTC)
            )
            if signed_in is None:
                raise Refused(4401, "Sign in first")
            ticket = ticket_of_brand(db, brand.id, self.ticket_id)
            if ticket is None:
                raise Refused(4404, "No such ticket")
            self.conversation_id = ticket.conversation_id
            self.member_name = display_name(signed_in.member)
            self.brand_name = brand.name

    def news(self) -> list[dict[str, Any]]:
        self.check()
        with transaction(self.state.sessions) as db:
            lines = transcript(db, self.conversation_id, self.brand_name, after=self.last_seq)
        if lines:
            self.last_seq = lines[-1].seq
        return [line.as_json() for line in lines]


def same_origin(websocket: WebSocket, base_url: str) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: it holds the cookie itself
    host = websocket.headers.get("host", "")
    base = urlsplit(base_url)
    allowed = {f"{base.scheme}://{base.netloc}", f"http://{host}", f"https://{host}"}
    return origin in allowed


async def serve_inbox(websocket: WebSocket, state: AppState, ticket_id: int, after: int) -> None:
    await websocket.accept()
    watch = Watch(state, websocket.cookies.get(SESSION_COOKIE), ticket_id, last_seq=after)
    try:
        try:
            if not same_origin(websocket, state.settings.base_url):
                raise Refused(4403, "Another origin")
            await run_in_threadpool(watch.check)
        except Refused as refused:
            await websocket.close(code=refused.code, reason=refused.reason)
            return
        async with state.bus.subscribe(watch.conversation_id) as pushed:
            await websocket.send_json({"type": "ready"})
            me = uuid.uuid4().hex
            lock = asyncio.Lock()
            tasks = [
                asyncio.create_task(_forward(websocket, watch, pushed, me, lock)),
                asyncio.create_task(_catch_up_now_and_then(websocket, watch, lock)),
            ]
            try:
                await _listen(websocket, watch, me)
            finally:
                for task in tasks:
                    task.cancel()
    except (WebSocketDisconnect, OSError):
        return


async def _send_news(websocket: WebSocket, watch: Watch, lock: asyncio.Lock) -> None:
    async with lock:
        lines = await run_in_threadpool(watch.news)
        if lines:
            await websocket.send_json({"type": "lines", "lines": lines})


async def _forward(
    websocket: WebSocket, watch: Watch, pushed: Any, me: str, lock: asyncio.Lock
) -> None:
    try:
        async for frame in pushed:
            kind = frame.get("type")
            if kind == "messages":
                await _send_news(websocket, watch, lock)
            elif kind == LiveFrame.SHOPPER_TYPING:
                await websocket.send_json({"type": kind, "typing": bool(frame.get("typing"))})
            elif kind == LiveFrame.TEAM_TYPING and frame.get("origin") != me:
                await websocket.send_json(
                    {"type": kind, "typing": bool(frame.get("typing")), "name": frame.get("name")}
                )
    except Refused as refused:
        with contextlib.suppress(RuntimeError, OSError):
            await websocket.close(code=refused.code, reason=refused.reason)
    except (WebSocketDisconnect, OSError, RuntimeError):
        return


async def _catch_up_now_and_then(websocket: WebSocket, watch: Watch, lock: asyncio.Lock) -> None:
    try:
        while True:
            await _send_news(websocket, watch, lock)
            await asyncio.sleep(CATCH_UP_SECONDS)
    except Refused as refused:
        with contextlib.suppress(RuntimeError, OSError):
            await websocket.close(code=refused.code, reason=refused.reason)
    except (WebSocketDisconnect, OSError, RuntimeError):
        return


async def _listen(websocket: WebSocket, watch: Watch, me: str) -> None:
    typing = False
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text") or ""
        if len(text.encode()) > MAX_FRAME_BYTES:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("typing"), bool):
            if data["typing"] == typing:
                continue  # only changes go on the bus
            typing = data["typing"]
            frame = {
                "type": LiveFrame.TEAM_TYPING,
                "typing": data["typing"],
                "name": watch.member_name,
                "origin": me,
            }
            watch.state.bus.publish(watch.conversation_id, frame)
