"""Console fixtures: team members of each role signed in to the demo brand's console."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from deskhand.config import Settings
from deskhand.domain.vocabulary import TeamRole
from tests.console.team_members import PASSWORD, Member, add
from tests.fakes.channels import (  # noqa: F401  (the messaging fixtures, for safe launch)
    channel_settings,
    channels,
    fake_twilio,
    smtp_server,
)


@pytest.fixture
def db(client: TestClient, settings: Settings) -> Iterator[Session]:
    """A plain session on the app's database, to set up members and look at what changed."""
    engine = create_engine(settings.resolved_database_url())
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def owner(client: TestClient) -> Member:
    member = Member(client)
    assert member.sign_in().status_code == 303
    return member


def signed_in_as(client: TestClient, db: Session, role: TeamRole) -> Member:
    email = f"{role.value}@fjordfinch.example"
    add(db, email, role, datetime.now(UTC))
    member = Member(client)
    assert member.sign_in(email, PASSWORD).status_code == 303
    return member


@pytest.fixture
def viewer(client: TestClient, db: Session) -> Member:
    return signed_in_as(client, db, TeamRole.VIEWER)


@pytest.fixture
def admin(client: TestClient, db: Session) -> Member:
    return signed_in_as(client, db, TeamRole.ADMIN)
