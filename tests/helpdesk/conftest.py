"""The helpdesk tests: console members of each role, the messaging channels, the fake
helpdesks, and helpers to set the handoff settings, add members and read tickets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.domain.vocabulary import Availability, TeamRole
from deskhand.helpdesk.settings import HandoffConfig, save_handoff_config
from deskhand.team.accounts import add_member
from tests.console.conftest import admin, db, owner, viewer  # noqa: F401
from tests.fakes.channels import (  # noqa: F401
    channel_settings,
    channels,
    fake_twilio,
    smtp_server,
)
from tests.helpdesk.vendor_fixtures import (  # noqa: F401
    app_client,
    brand_id,
    fake_gorgias,
    fake_zendesk,
    hd_settings,
    sessions,
    slug,
)


def configure(session: Session, **data: Any) -> HandoffConfig:
    brand = find_brand(session)
    assert brand is not None
    config = HandoffConfig.from_json(data, brand.timezone)
    save_handoff_config(session, brand, config, datetime.now(UTC))
    session.commit()
    return config


def demo_owner_away(session: Session) -> None:
    """The demo owner starts available; tests of a team of their own set them away."""
    for row in session.scalars(select(models.TeamMember)):
        row.availability = Availability.AWAY.value
    session.commit()


def member(session: Session, email: str, *, available: bool = True) -> int:
    brand = find_brand(session)
    assert brand is not None
    row = add_member(
        session,
        brand_id=brand.id,
        email=email,
        role=TeamRole.AGENT,
        now=datetime.now(UTC),
        password="correct horse battery",
    )
    row.availability = (Availability.AVAILABLE if available else Availability.AWAY).value
    session.commit()
    return row.id


def tickets(session: Session, conversation_id: str | None = None) -> list[models.HelpdeskTicket]:
    session.expire_all()
    query = select(models.HelpdeskTicket).order_by(models.HelpdeskTicket.id)
    if conversation_id is not None:
        query = query.where(models.HelpdeskTicket.conversation_id == conversation_id)
    return list(session.scalars(query))
