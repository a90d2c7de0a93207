"""Connecting Zendesk and Gorgias on the integrations page: the signing secret and custom
field ids, "Test the connection" against the fakes, secrets never shown back, and the line
that tells the brand how many tickets wait (and why)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.integrations import secrets_of
from deskhand.db.session import transaction
from deskhand.web.app import create_app
from tests.console.team_members import Member
from tests.helpdesk.fakes.helpdesks import (
    GORGIAS_EMAIL,
    GORGIAS_KEY,
    ZENDESK_EMAIL,
    ZENDESK_TOKEN,
    FakeHelpdesk,
)
from tests.helpdesk.vendor_fixtures import hand_off

SIGNING = "zd-signing-secret-never-shown"


@pytest.fixture
def owner(hd_settings: Settings, demo_db: object) -> Iterator[Member]:
    with TestClient(create_app(hd_settings)) as c:
        member = Member(c)
        member.sign_in()
        yield member


def test_zendesk_connects_with_its_signing_secret_and_field_ids(
    owner: Member,
    sessions: sessionmaker[Session],
    hd_settings: Settings,
    fake_zendesk: FakeHelpdesk,
) -> None:
    form = {
        "subdomain": "fjordfinch",
        "email": ZENDESK_EMAIL,
        "api_token": ZENDESK_TOKEN,
        "webhook_secret": SIGNING,
        "intent_field_id": "360000000001",
        "order_field_id": "",
        "api_base": fake_zendesk.base,
    }
    bad = owner.post("/admin/integrations/zendesk/connect", {**form, "intent_field_id": "abc"})
    assert bad.status_code == 400
    assert "Custom field id for the intent (optional): not valid." in bad.text
    r = owner.post("/admin/integrations/zendesk/connect", form, "/admin/integrations")
    assert r.status_code == 303
    page = owner.client.get("/admin/integrations").text
    assert SIGNING not in page
    assert ZENDESK_TOKEN not in page
    assert "/webhooks/helpdesk/zendesk?brand=" in page
    assert 'value="360000000001"' in page
    with transaction(sessions) as session:
        row = session.scalars(select(models.Integration)).one()
        assert secrets_of(hd_settings, row)["webhook_secret"] == SIGNING
        assert row.config["intent_field_id"] == "360000000001"
    works = owner.post("/admin/integrations/zendesk/test", {}, "/admin/integrations")
    assert "Zendesk (helpdesk): Connection works (HTTP 200)." in works.text
    # Saving again with the secrets left empty keeps both.
    owner.post(
        "/admin/integrations/zendesk/connect",
        {**form, "api_token": "", "webhook_secret": ""},
        "/admin/integrations",
    )
    with transaction(sessions) as session:
        row = session.scalars(select(models.Integration)).one()
        kept = secrets_of(hd_settings, row)
        assert kept == {"api_token": ZENDESK_TOKEN, "webhook_secret": SIGNING}


def test_gorgias_connects_and_tests_against_its_api(
    owner: Member, fake_gorgias: FakeHelpdesk
) -> None:
    form = {
        "domain": "fjordfinch",
        "email": GORGIAS_EMAIL,
        "api_key": GORGIAS_KEY,
        "api_base": fake_gorgias.base,
    }
    assert owner.post("/admin/integrations/gorgias/connect", form).status_code == 303
    works = owner.post("/admin/integrations/gorgias/test", {}, "/admin/integrations")
    assert "Gorgias (helpdesk): Connection works (HTTP 200)." in works.text
    assert GORGIAS_KEY not in works.text
    owner.post(
        "/admin/integrations/gorgias/connect",
        {**form, "api_key": "wrong"},
        "/admin/integrations",
    )
    refused = owner.post("/admin/integrations/gorgias/test", {}, "/admin/integrations")
    assert "The credentials were refused (HTTP 401)." in refused.text


def test_the_page_says_how_many_tickets_wait_and_the_last_error(
    owner: Member, sessions: sessionmaker[Session], brand_id: int
) -> None:
    assert 'id="zendesk-tickets"' not in owner.client.get("/admin/integrations").text
    for _ in range(2):
        hand_off(sessions, brand_id, "zendesk")
    refused = hand_off(sessions, brand_id, "zendesk")
    with transaction(sessions) as session:
        row = session.get_one(models.HelpdeskTicket, refused)
        row.delivery, row.last_error = "failed", "Zendesk answered 401 to the new ticket"
        row.updated_at = datetime.now(UTC)
    page = owner.client.get("/admin/integrations").text
    assert (
        "Handed-off tickets: 2 tickets waiting · 1 failed · "
        '<span class="reason">last error: Zendesk answered 401 to the new ticket</span>'
    ) in page
    assert 'id="gorgias-tickets"' not in page  # nothing for Gorgias, not connected
