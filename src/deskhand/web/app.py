"""The FastAPI app factory: wires settings, database, agent and routers."""

from __future__ import annotations

from fastapi import FastAPI

from deskhand import __version__
from deskhand.agent.engine import Agent
from deskhand.config import Settings
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.web import api, pages, problems
from deskhand.web.deps import AppState
from deskhand.web.limits import BodyLimit


def create_app(settings: Settings) -> FastAPI:
    """Build the app for an already migrated database."""
    engine = make_engine(settings.resolved_database_url())
    state = AppState(
        settings=settings,
        sessions=make_sessionmaker(engine),
        agent=Agent(settings, settings.resolved_secret_key()),
    )
    app = FastAPI(
        title="Deskhand",
        version=__version__,
        description="Conversations API of the Deskhand customer agent.",
    )
    app.state.deskhand = state
    problems.install(app)
    app.add_middleware(BodyLimit, max_bytes=api.MAX_BODY_BYTES)
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
