"""The FastAPI app factory: wires settings, database, agent and routers."""

from __future__ import annotations

from fastapi import FastAPI

from deskhand import __version__
from deskhand.agent.engine import Agent
from deskhand.channels.webchat import routes as webchat_routes
from deskhand.channels.webchat.cors import PublicApiCors
from deskhand.config import Settings
from deskhand.console import routes as console_routes
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.hub import routes as hub_routes
from deskhand.serving import problems
from deskhand.serving.deps import AppState
from deskhand.serving.ratelimit import RateLimiter
from deskhand.serving.turns import MAX_BODY_BYTES
from deskhand.web import api, messaging, pages
from deskhand.web.limits import BodyLimit


def create_app(settings: Settings) -> FastAPI:
    """Build the app for an already migrated database."""
    engine = make_engine(settings.resolved_database_url())
    state = AppState(
        settings=settings,
        sessions=make_sessionmaker(engine),
        agent=Agent(settings, settings.resolved_secret_key()),
        limiter=RateLimiter(settings.redis_url or None),
    )
    app = FastAPI(
        title="Deskhand",
        version=__version__,
        description="Conversations API of the Deskhand customer agent.",
    )
    app.state.deskhand = state
    problems.install(app)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(PublicApiCors)  # the widget calls the API from the shop's own domain
    app.add_middleware(BodyLimit, max_bytes=messaging.TWILIO_MAX_BODY, prefix="/webhooks/twilio/")
    app.add_middleware(BodyLimit, max_bytes=settings.email_max_bytes, prefix="/webhooks/email/")
    app.include_router(api.router)
    app.include_router(messaging.router)
    app.include_router(pages.router)
    app.include_router(hub_routes.router)
    app.include_router(console_routes.router)
    app.include_router(webchat_routes.router)
    return app
