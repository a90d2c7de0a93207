"""The whole demo brand in one call: store, knowledge base, web-chat appearance, its owner,
and a few weeks of synthetic conversations for the dashboard (marked as demo data)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.agent.launch import set_live
from deskhand.analytics.demo import seed_demo_analytics
from deskhand.channels.webchat.appearance import seed_demo_widget
from deskhand.commerce.demo import seed_demo_store
from deskhand.config import Settings
from deskhand.db import bootstrap, models
from deskhand.knowledge.articles import seed_demo_articles
from deskhand.returns.demo import seed_demo_returns
from deskhand.suites.stored import seed_demo_suites
from deskhand.team.demo import seed_demo_owner


def seed_demo(session: Session, now: datetime) -> models.Brand:
    """Seed "Fjord & Finch" into an empty database, with times relative to `now`."""
    brand = seed_demo_store(session, now)
    seed_demo_articles(session, brand.id, now)
    seed_demo_widget(session, brand.id, now)
    seed_demo_returns(session, brand, now)
    seed_demo_owner(session, brand.id, now)
    seed_demo_analytics(session, brand.id, now)
    seed_demo_suites(session, brand.id, now)
    set_live(session, brand.id, True, now)  # the demo is published; a new brand starts in test mode
    return brand


def prepare_database(settings: Settings, reset: bool = False) -> None:
    """Migrate; in demo mode, seed the demo brand into an empty database (`reset`: anew)."""
    bootstrap.prepare(settings, reset, seed=seed_demo if settings.demo else None)
