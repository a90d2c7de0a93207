"""Typed dependencies: the app's shared state and the caller's client key."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.agent.engine import Agent
from deskhand.config import Settings
from deskhand.db import models
from deskhand.web.ratelimit import RateLimiter


@dataclass
class AppState:
    settings: Settings
    sessions: sessionmaker[Session]
    agent: Agent
    limiter: RateLimiter = field(default_factory=RateLimiter)

    def demo_brand_id(self, session: Session) -> int:
        brand_id = session.scalar(select(models.Brand.id).order_by(models.Brand.id).limit(1))
        return int(brand_id or 0)


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.deskhand
    return state


def client_key(request: Request) -> str:
    """Who is calling, for rate limits: the client's address."""
    return request.client.host if request.client else "unknown"
