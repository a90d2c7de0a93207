"""The conversation bus: what is said in a conversation reaches every socket open on it.

A reply is published once, after its transaction commits, by whatever produced it (a turn
over HTTP or the WebSocket; later a Hub event or a team member's answer); every web-chat
socket subscribed to that conversation forwards it. In one process the bus is in memory;
with `DESKHAND_REDIS_URL` set it is Redis pub/sub, so a shopper's socket held by process A
hears what process B said. Nothing is kept on the bus: the transcript in the database is the
record, and a socket that reconnects catches up from it.

Frames are the WebSocket's "messages" frames (docs/api-contract.md) plus an `origin`: the
socket that caused them, which has already sent them itself and skips its own.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

import redis
import redis.asyncio as aioredis

log = logging.getLogger("deskhand.bus")

Frame = dict[str, Any]
CHANNEL_PREFIX = "deskhand:conversation:"


class Bus(Protocol):
    def publish(self, conversation_id: str, frame: Frame) -> None:
        """Send to every subscriber of the conversation (callable from any thread)."""

    def subscribe(self, conversation_id: str) -> AbstractAsyncContextManager[AsyncIterator[Frame]]:
        """Frames published to the conversation from now on, until the context exits."""


class LocalBus:
    """One process: per conversation, the queues of the sockets listening on it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Frame]]]]
        self._listeners = {}

    def publish(self, conversation_id: str, frame: Frame) -> None:
        with self._lock:
            listeners = list(self._listeners.get(conversation_id, ()))
        for loop, queue in listeners:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, frame)
            except RuntimeError:  # that socket's loop has closed
                continue

    @asynccontextmanager
    async def subscribe(self, conversation_id: str) -> AsyncIterator[AsyncIterator[Frame]]:
        entry = (asyncio.get_running_loop(), asyncio.Queue[Frame]())
        with self._lock:
            self._listeners.setdefault(conversation_id, set()).add(entry)
        try:
            yield _drain(entry[1])
        finally:
            with self._lock:
                listeners = self._listeners.get(conversation_id, set())
                listeners.discard(entry)
                if not listeners:
                    self._listeners.pop(conversation_id, None)


async def _drain(queue: asyncio.Queue[Frame]) -> AsyncIterator[Frame]:
    while True:
        yield await queue.get()


class RedisBus:
    """Several processes: one Redis channel per conversation."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._client = redis.Redis.from_url(url, socket_timeout=5)

    def publish(self, conversation_id: str, frame: Frame) -> None:
        try:
            self._client.publish(CHANNEL_PREFIX + conversation_id, json.dumps(frame))
        except redis.RedisError:
            # The reply is committed and the shopper's own socket has it; other sockets
            # catch up from the transcript when they reconnect. Never fail the turn for it.
            log.warning("bus.publish_failed", extra={"conversation": conversation_id})

    @asynccontextmanager
    async def subscribe(self, conversation_id: str) -> AsyncIterator[AsyncIterator[Frame]]:
        client = aioredis.Redis.from_url(self._url)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(CHANNEL_PREFIX + conversation_id)
        try:
            yield _frames(pubsub)
        finally:
            await pubsub.aclose()
            await client.aclose()


async def _frames(pubsub: aioredis.client.PubSub) -> AsyncIterator[Frame]:
    async for message in pubsub.listen():
        if message.get("type") != "message":
            continue
        try:
            frame = json.loads(message["data"])
        except ValueError:
            continue
        if isinstance(frame, dict):
            yield frame


def make_bus(redis_url: str | None) -> Bus:
    return RedisBus(redis_url) if redis_url else LocalBus()
