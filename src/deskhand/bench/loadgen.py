"""Load generators for `deskhand bench load`: simulated shoppers over HTTP and the WebSocket.

Every shopper opens a conversation and asks policy questions; a closed loop sends the next
message as soon as the answer arrives (no think time), an open loop lets shoppers arrive at
a set rate and think 5-15 s between messages. Results count answers, latencies, HTTP errors
and dropped connections (the socket closed or reset under the client) separately.
"""

from __future__ import annotations

import asyncio
import json
import random
import ssl
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
import websockets

QUESTIONS = [
    "How long does shipping to Germany take?",
    "Wie lange habe ich Zeit, eine Bestellung zu ändern?",
    "wat is jullie retourbeleid?",
    "vilka betalsätt har ni?",
    "quels sont les délais de livraison ?",
    "¿cuánto tardan los reembolsos?",
    "Do you ship to Norway?",
    "Kann ich mit PayPal bezahlen?",
]
DROPS = (httpx.ReadError, httpx.RemoteProtocolError, httpx.ConnectError, httpx.WriteError)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    creates: list[float] = field(default_factory=list)
    errors: int = 0
    dropped: int = 0
    started: float = field(default_factory=time.perf_counter)
    ended: float = 0.0

    def summary(self) -> dict[str, float]:
        elapsed = (self.ended or time.perf_counter()) - self.started
        ordered = sorted(self.latencies) or [0.0]
        return {
            "answers": len(self.latencies),
            "per_second": len(self.latencies) / elapsed if elapsed else 0.0,
            "p50_ms": 1000 * statistics.median(ordered),
            "p99_ms": 1000 * ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))],
            "max_ms": 1000 * ordered[-1],
            "create_p50_ms": 1000 * statistics.median(self.creates) if self.creates else 0.0,
            "errors": self.errors,
            "dropped": self.dropped,
        }


async def _create(http: httpx.AsyncClient, tally: Tally) -> tuple[str, str] | None:
    start = time.perf_counter()
    try:
        r = await http.post("/api/v1/conversations", json={"channel": "webchat"})
    except DROPS:
        tally.dropped += 1
        return None
    except httpx.HTTPError:
        tally.errors += 1
        return None
    if r.status_code != 201:
        tally.errors += 1
        return None
    tally.creates.append(time.perf_counter() - start)
    body = r.json()
    return body["id"], body["token"]


async def _ask(
    http: httpx.AsyncClient, conversation: tuple[str, str], text: str, tally: Tally
) -> bool:
    conv, token = conversation
    start = time.perf_counter()
    try:
        r = await http.post(
            f"/api/v1/conversations/{conv}/messages",
            json={"text": text},
            headers={"Authorization": f"Bearer {token}"},
        )
    except DROPS:
        tally.dropped += 1
        return False
    except httpx.HTTPError:
        tally.errors += 1
        return False
    if r.status_code != 200:
        tally.errors += 1
        return False
    tally.latencies.append(time.perf_counter() - start)
    return True


# One TLS context for every shopper's client (the server is plain HTTP on loopback, but
# httpx builds a context per client, and loading the CA bundle 200 times costs seconds).
_TLS = ssl.create_default_context()


@asynccontextmanager
async def _client(base: str) -> AsyncIterator[httpx.AsyncClient]:
    """One shopper's own client and connection, as each shopper has their own browser.

    Not one client shared by all: httpx's pool scans every connection it holds on each
    request and response (encode/httpx#3215), so 200 shoppers on one pool spent more time
    in the benchmark's own process than the server did, and measured the client's collapse.
    """
    async with httpx.AsyncClient(base_url=base, timeout=120, verify=_TLS) as http:
        yield http


async def closed_loop(base: str, clients: int, seconds: float, per_conversation: int = 3) -> Tally:
    """`clients` shoppers, each asking back-to-back, a new conversation every few questions."""
    tally = Tally()
    deadline = time.perf_counter() + seconds

    async def shopper(n: int) -> None:
        async with _client(base) as http:
            await asking(n, http)

    async def asking(n: int, http: httpx.AsyncClient) -> None:
        i = n
        while time.perf_counter() < deadline:
            conversation = await _create(http, tally)
            if conversation is None:
                await asyncio.sleep(0.1)
                continue
            for _ in range(per_conversation):
                if time.perf_counter() >= deadline:
                    return
                await _ask(http, conversation, QUESTIONS[i % len(QUESTIONS)], tally)
                i += 1

    tally.started = time.perf_counter()
    await asyncio.gather(*(shopper(n) for n in range(clients)))
    tally.ended = time.perf_counter()
    return tally


async def open_loop(
    base: str, per_second: float, seconds: float, think: tuple[float, float] = (5.0, 15.0)
) -> Tally:
    """Shoppers arrive at `per_second` (Poisson) for `seconds`; each asks three questions
    with 5-15 s of thinking between them. The tally's clock ends when the last one leaves."""
    tally = Tally()
    rng = random.Random(7)

    async def shopper(n: int) -> None:
        async with _client(base) as http:
            await asking(n, http)

    async def asking(n: int, http: httpx.AsyncClient) -> None:
        conversation = await _create(http, tally)
        if conversation is None:
            return
        for k in range(3):
            if k:
                await asyncio.sleep(rng.uniform(*think))
            await _ask(http, conversation, QUESTIONS[(n + k) % len(QUESTIONS)], tally)

    tasks: list[asyncio.Task[None]] = []
    tally.started = time.perf_counter()
    end = tally.started + seconds
    n = 0
    while time.perf_counter() < end:
        tasks.append(asyncio.create_task(shopper(n)))
        n += 1
        await asyncio.sleep(rng.expovariate(per_second))
    await asyncio.gather(*tasks)
    tally.ended = time.perf_counter()
    return tally


async def websocket_loop(base: str, clients: int, seconds: float) -> Tally:
    """`clients` web-chat sockets, each sending the next message when the answer arrives."""
    tally = Tally()
    deadline = time.perf_counter() + seconds
    ws_base = base.replace("http://", "ws://")

    async def shopper(n: int) -> None:
        async with _client(base) as http:
            conversation = await _create(http, tally)
        if conversation is None:
            return
        conv, token = conversation
        url = f"{ws_base}/api/v1/conversations/{conv}/ws?token={token}"
        try:
            async with websockets.connect(url, open_timeout=60) as ws:
                ready = json.loads(await ws.recv())
                if ready.get("type") != "ready":
                    tally.errors += 1
                    return
                i = n
                while time.perf_counter() < deadline:
                    start = time.perf_counter()
                    await ws.send(json.dumps({"text": QUESTIONS[i % len(QUESTIONS)]}))
                    while True:
                        frame = json.loads(await ws.recv())
                        if frame.get("type") != "typing":
                            break
                    if frame.get("type") == "messages":
                        tally.latencies.append(time.perf_counter() - start)
                    else:
                        tally.errors += 1
                    i += 1
        except websockets.ConnectionClosed:
            tally.dropped += 1
        except (OSError, TimeoutError):
            tally.dropped += 1

    tally.started = time.perf_counter()
    await asyncio.gather(*(shopper(n) for n in range(clients)))
    tally.ended = time.perf_counter()
    return tally
