"""Hub fixtures: a shopper driving the Hub's forms through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from tests.hub.shopping import Shopper

from deskhand.config import Settings


@pytest.fixture
def shopper(client: TestClient) -> Shopper:
    return Shopper(client)


@pytest.fixture
def ava(shopper: Shopper) -> Shopper:
    shopper.sign_in("ava@example.com")
    return shopper


@pytest.fixture
def ben(shopper: Shopper) -> Shopper:
    shopper.sign_in("ben@example.com")
    return shopper


@pytest.fixture
def db(client: TestClient, settings: Settings) -> Iterator[Session]:
    """A session on the app's database, to look at (and age) what the Hub wrote.

    A plain engine: SQLite's BEGIN IMMEDIATE of the app's engine would make a test's open
    read transaction lock the app out. Helpers start with a rollback to see fresh data.
    """
    engine = create_engine(settings.resolved_database_url())
    with Session(engine) as session:
        yield session
    engine.dispose()
