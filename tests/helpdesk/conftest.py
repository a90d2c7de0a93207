"""Helpdesk fixtures: a session on the app's database, the brand's handoff settings, members."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.domain.vocabulary import Availability, TeamRole
from deskhand.helpdesk.settings import HandoffConfig, save_handoff_config
from deskhand.team.accounts import add_member
from tests.fakes.channels import (  # noqa: F401  (the messaging fixtures, for SMS handoffs)
    channel_settings,
    channels,
    fake_twilio,
    smtp_server,
)


@pytest.fixture
def db(client: TestClient, settings: Settings) -> Iterator[Session]:
    """A plain session on the app's database, to set things up and look at what changed."""
    engine = create_engine(settings.resolved_database_url())
    with Session(engine) as session:
        yield session
    engine.dispose()


def configure(db: Session, **data: Any) -> HandoffConfig:
    brand = find_brand(db)
    assert brand is not None
    config = HandoffConfig.from_json(data, brand.timezone)
    save_handoff_config(db, brand, config, datetime.now(UTC))
    db.commit()
    return config


def member(db: Session, email: str, *, available: bool = True) -> int:
    brand = find_brand(db)
    assert brand is not None
    row = add_member(
        db,
        brand_id=brand.id,
        email=email,
        role=TeamRole.AGENT,
        now=datetime.now(UTC),
        password="correct horse battery",
    )
    row.availability = (Availability.AVAILABLE if available else Availability.AWAY).value
    db.commit()
    return row.id


def tickets(db: Session, conversation_id: str | None = None) -> list[models.HelpdeskTicket]:
    db.expire_all()
    query = select(models.HelpdeskTicket).order_by(models.HelpdeskTicket.id)
    if conversation_id is not None:
        query = query.where(models.HelpdeskTicket.conversation_id == conversation_id)
    return list(db.scalars(query))
