"""Typed dependencies: the app's shared state and the caller's client key."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from deskhand.agent.engine import Agent
from deskhand.config import Settings
from deskhand.db.brands import find_brand
from deskhand.serving.ratelimit import RateLimiter


@dataclass
class AppState:
    settings: Settings
    sessions: sessionmaker[Session]
    agent: Agent
    limiter: RateLimiter = field(default_factory=RateLimiter)

    def demo_brand_id(self, session: Session) -> int:
        brand = find_brand(session)
        return brand.id if brand else 0


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.deskhand
    return state


def client_key(request: Request) -> str:
    """Who is calling, for rate limits: the client's address."""
    return request.client.host if request.client else "unknown"
