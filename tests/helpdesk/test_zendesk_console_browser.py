"""Connecting Zendesk in a real Chromium: the form's new fields, secrets not shown back, the
webhook address, and the tickets-waiting line (checked by axe-core like every console page)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.session import make_engine, make_sessionmaker
from deskhand.team.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD
from tests.console.test_console_browser import look, sign_in
from tests.helpdesk.vendor_fixtures import hand_off

SECRET_FOR_BROWSER = "zd-signing-secret-typed-in-chromium"


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    # axe-core is injected past the console's Content-Security-Policy, as on every page.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_owner_connects_zendesk_and_sees_the_tickets_waiting(
    live_server: str, tab: Any, tmp_path: Path
) -> None:
    page = tab
    sign_in(page, live_server, DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)
    page.goto(f"{live_server}/admin/integrations")
    page.get_by_label("Subdomain (the part before .zendesk.com)").fill("fjordfinch")
    page.get_by_label("Agent email").fill("agent@fjordfinch.example")
    page.get_by_label("API token").fill("zd-token-in-the-browser")
    page.get_by_label("Webhook signing secret (for agents' replies)").fill(SECRET_FOR_BROWSER)
    page.get_by_label("Custom field id for the intent (optional)").fill("360000000001")
    page.get_by_role("button", name="Connect Zendesk (helpdesk)").click()
    page.wait_for_url("**/admin/integrations?done=integration")
    section = page.locator("section#zendesk")
    assert "Connected" in section.inner_text()
    assert SECRET_FOR_BROWSER not in page.content()
    assert "zd-token-in-the-browser" not in page.content()
    assert "/webhooks/helpdesk/zendesk?brand=" in section.inner_text()
    assert "0 tickets waiting · 0 failed" in section.inner_text()

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'live.db'}")
    engine = make_engine(settings.resolved_database_url())
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        brand_id = session.scalars(select(models.Brand.id).order_by(models.Brand.id)).first()
    assert brand_id is not None
    hand_off(sessions, brand_id, "zendesk")
    engine.dispose()
    page.reload()
    assert "1 ticket waiting · 0 failed" in page.locator("#zendesk-tickets").inner_text()
    shots = tmp_path / "shots"
    shots.mkdir()
    look(page, shots, "integrations-zendesk")
