"""Typed dependencies: the app's shared state, the caller's client key, and the brand a
request is about (`CurrentBrand`, the one way routes resolve it)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Annotated

from anyio import CapacityLimiter
from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session, sessionmaker

from deskhand.agent.engine import Agent
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.db.session import transaction
from deskhand.serving.bus import Bus, LocalBus
from deskhand.serving.problems import Problem
from deskhand.serving.ratelimit import RateLimiter
from deskhand.serving.senders import ChannelSender


@dataclass
class AppState:
    settings: Settings
    sessions: sessionmaker[Session]
    agent: Agent
    limiter: RateLimiter = field(default_factory=RateLimiter)
    bus: Bus = field(default_factory=LocalBus)
    # How a team member's reply leaves on SMS, WhatsApp or email (wired by web/app.py).
    team_sender: ChannelSender | None = None
    # Turns answered at once; more wait their turn outside, rather than dozens of threads
    # fighting over the interpreter's lock and SQLite's while each one gets slower.
    turn_slots: threading.BoundedSemaphore = field(default_factory=lambda: turn_slots())
    # The same count for async callers (the API, the web chat's socket), who wait in the event
    # loop, first come first served, holding no worker thread (`turns.post_turn_queued`).
    turn_queue: CapacityLimiter = field(default_factory=lambda: CapacityLimiter(slot_count()))

    def demo_brand_id(self, session: Session) -> int:
        brand = find_brand(session)
        return brand.id if brand else 0


def slot_count() -> int:
    """DESKHAND_TURN_CONCURRENCY, else two per core: one embedding and one Python part each."""
    raw = os.environ.get("DESKHAND_TURN_CONCURRENCY", "").strip()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return int(raw) if raw.isdigit() and int(raw) > 0 else 2 * (cores or 1)


def turn_slots() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(slot_count())


# `app_state` and `caller_key` are `async` on purpose: FastAPI runs a plain `def` dependency
# in a worker thread, and under load each such hop waits for one of anyio's 40 threads (three
# hops per message before). They only read the request, so they run in the event loop.
async def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.deskhand
    return state


def client_key(request: Request) -> str:
    """Who is calling, for rate limits: the client's address."""
    return request.client.host if request.client else "unknown"


async def caller_key(request: Request) -> str:
    """`client_key` as a dependency that needs no worker thread."""
    return client_key(request)


def no_nul(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL; no real slug, address or message needs one."""
    return value.replace("\x00", "") if value is not None else None


def brand_or_404(session: Session, slug: str | None) -> models.Brand:
    """The brand with this slug (the first brand when none is named), or a 404 problem."""
    brand = find_brand(session, no_nul(slug) if slug else None)
    if brand is None:
        detail = f"No brand is called {slug!r}." if slug else "There is no brand yet."
        raise Problem(404, "Brand not found", detail)
    return brand


State = Annotated[AppState, Depends(app_state)]
BrandSlug = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=64,
        description="The brand's slug; without it, the installation's first brand.",
    ),
]


def current_brand(state: State, brand: BrandSlug = None) -> models.Brand:
    """The brand of `?brand=<slug>` (or the first brand), else 404.

    Read in its own short transaction and returned detached: read its columns; to change
    it, load it again in the route's session.
    """
    with transaction(state.sessions) as session:
        return brand_or_404(session, brand)


def brand_if_any(state: State, brand: BrandSlug = None) -> models.Brand | None:
    """As `current_brand`, but None (not 404) for the first brand of an empty installation:
    the start page still shows before any brand exists."""
    if brand is not None:
        return current_brand(state, brand)
    with transaction(state.sessions) as session:
        return find_brand(session)


CurrentBrand = Annotated[models.Brand, Depends(current_brand)]
OptionalBrand = Annotated[models.Brand | None, Depends(brand_if_any)]
