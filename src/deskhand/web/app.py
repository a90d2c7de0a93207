"""The FastAPI app factory: wires settings, database, agent and routers."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from deskhand import __version__
from deskhand.agent.engine import Agent
from deskhand.agent.understand.hygiene import vocabulary
from deskhand.channels.team_replies import team_sender
from deskhand.channels.webchat import routes as webchat_routes
from deskhand.channels.webchat.cors import PublicApiCors
from deskhand.channels.worker import start_worker_thread
from deskhand.config import Settings
from deskhand.console import routes as console_routes
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.hub import routes as hub_routes
from deskhand.hub import staff_returns
from deskhand.nlp.embeddings import warm_up
from deskhand.serving import problems
from deskhand.serving.bus import make_bus
from deskhand.serving.deps import AppState
from deskhand.serving.openapi import publish_problems
from deskhand.serving.ratelimit import RateLimiter
from deskhand.serving.turns import MAX_BODY_BYTES
from deskhand.web import (
    api,
    assets,
    health,
    helpdesk_webhooks,
    messaging,
    pages,
    returns_webhooks,
    stores,
)
from deskhand.web.headers import SecurityHeaders
from deskhand.web.limits import BodyLimit


def create_app(settings: Settings) -> FastAPI:
    """Build the app for an already migrated database."""
    engine = make_engine(settings.resolved_database_url())
    state = AppState(
        settings=settings,
        sessions=make_sessionmaker(engine, settings),
        agent=Agent(settings, settings.resolved_secret_key()),
        limiter=RateLimiter(settings.redis_url or None),
        bus=make_bus(settings.redis_url or None),
        team_sender=team_sender(settings),
    )
    app = FastAPI(
        title="Deskhand",
        version=__version__,
        description="Conversations API of the Deskhand customer agent.",
        docs_url=None,  # web/assets.py serves /docs with Swagger UI from a package, not a CDN
        redoc_url=None,
    )
    app.state.deskhand = state
    problems.install(app)
    publish_problems(app)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(PublicApiCors)  # the widget calls the API from the shop's own domain
    app.add_middleware(BodyLimit, max_bytes=messaging.TWILIO_MAX_BODY, prefix="/webhooks/twilio/")
    app.add_middleware(BodyLimit, max_bytes=settings.email_max_bytes, prefix="/webhooks/email/")
    app.add_middleware(BodyLimit, max_bytes=stores.SHOPIFY_MAX_BODY, prefix="/webhooks/shopify")
    app.include_router(health.router)
    app.add_middleware(SecurityHeaders, base_url=settings.base_url)  # outermost: every answer
    app.include_router(api.router)
    app.include_router(messaging.router)
    app.include_router(returns_webhooks.router)
    app.include_router(helpdesk_webhooks.router)
    app.include_router(stores.router)
    app.include_router(pages.router)
    app.include_router(staff_returns.router)
    app.include_router(assets.router)
    app.include_router(hub_routes.router)
    app.include_router(console_routes.router)
    app.include_router(webchat_routes.router)
    return app


def serving_app(settings: Settings) -> FastAPI:
    """The app as `deskhand serve` runs it: the model loaded, and the outbox worker in a
    thread unless separate `deskhand worker` processes deliver it (DESKHAND_INLINE_WORKER)."""
    warm_up()
    vocabulary()  # the typo corrector's word lists, built once rather than on a first message
    app = create_app(settings)
    if settings.inline_worker:
        start_worker_thread(settings, app.state.deskhand.sessions, app.state.deskhand.agent)
    # What is loaded by now (the model, the word lists, the app) lives as long as the
    # process: frozen out of the collector's reach, a full collection under load scans what
    # the turns create rather than every object of the start, which stalled every request
    # in flight for 150-180 ms (docs/benchmarks.md, "The open-loop tail").
    gc.collect()
    gc.freeze()
    return app


def app_from_environment() -> FastAPI:
    """Factory for each process of `deskhand serve --workers N` (settings from DESKHAND_*)."""
    return serving_app(Settings())
