"""The handoff end to end in a real Chromium: a shopper asks the widget for a human and
consents, a team member signed in to the inbox picks the conversation up, both see each
other typing, the reply appears in the widget, the member hands it back, and the agent
answers the next question.

The shopper is not signed in, so the agent asks for an email address before it hands over;
the ticket is the one the agent's escalation records. Set DESKHAND_SCREENSHOTS=1 to write
the inbox's screenshot into docs/screenshots/.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.team.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD
from tests.console.test_console_browser import accessibility_problems

DOCS = Path(__file__).parents[2] / "docs" / "screenshots"
WIDGET = "deskhand-chat"
TIMEOUT = 20_000  # ms; the first turn warms up the embedding model


def part(page: Any, selector: str) -> Any:
    return page.locator(f"{WIDGET} {selector}")


def say(page: Any, text: str) -> None:
    before = part(page, ".msg.agent[data-id]").count()
    box = part(page, "textarea")
    box.fill(text)
    box.press("Enter")
    expect(part(page, ".msg.agent[data-id]")).to_have_count(before + 1, timeout=TIMEOUT)


def newest_ticket(db_path: Path) -> str:
    engine = create_engine(f"sqlite:///{db_path}")
    with Session(engine) as db:
        ticket = db.scalars(
            select(models.HelpdeskTicket).order_by(models.HelpdeskTicket.id.desc())
        ).first()
        assert ticket is not None
        assert ticket.shopper_email == "ava@example.com"
        ticket_id = ticket.id
    engine.dispose()
    return str(ticket_id)


def test_shopper_and_team_member_talk_live_then_the_agent_takes_over_again(
    live_server: str, browser: Any, tmp_path: Path
) -> None:
    shots = DOCS if os.environ.get("DESKHAND_SCREENSHOTS") == "1" else tmp_path
    shop_context = browser.new_context(viewport={"width": 1280, "height": 900})
    team_context = browser.new_context(viewport={"width": 1280, "height": 900})
    shop, team = shop_context.new_page(), team_context.new_page()
    try:
        # The shopper asks for a human and consents.
        shop.goto(f"{live_server}/demo/shop")
        part(shop, ".launcher").click()
        say(shop, "I want to talk to a human")
        part(shop, "button").filter(has_text="Yes, connect me").click()
        expect(part(shop, ".msg.agent[data-id]")).to_have_count(2, timeout=TIMEOUT)
        say(shop, "ava@example.com")  # not signed in: the agent asks where to reach them
        ticket = newest_ticket(tmp_path / "live.db")

        # A team member signs in to the inbox and opens the conversation.
        team.goto(f"{live_server}/admin/inbox")
        team.wait_for_url("**/admin/sign-in?next=*")
        team.get_by_label("Email").fill(DEMO_OWNER_EMAIL)
        team.get_by_label("Password").fill(DEMO_OWNER_PASSWORD)
        team.get_by_role("button", name="Sign in").click()
        team.wait_for_url("**/admin/inbox")
        # The inbox opens on the member's own tickets, its tab marked and readable.
        mine = team.get_by_label("Inbox views").locator('a[aria-current="page"]')
        expect(mine).to_have_text("Mine 1")
        ink, ground = mine.evaluate(
            "a => [getComputedStyle(a).color, getComputedStyle(a).backgroundColor]"
        )
        assert ink != ground  # (it was white on white)
        assert accessibility_problems(team) == []
        team.get_by_role("link", name=f"#{ticket}").click()
        team.wait_for_url(f"**/admin/inbox/{ticket}")
        log = team.locator("#transcript")
        expect(log).to_contain_text("I want to talk to a human")
        expect(team.get_by_role("complementary")).to_contain_text("#1001")  # Ava's orders
        expect(log).to_have_attribute("data-live", "true", timeout=TIMEOUT)

        # The shopper types: the team sees it.
        part(shop, "textarea").fill("Hello?")
        expect(team.get_by_text("The shopper is typing…")).to_be_visible(timeout=TIMEOUT)

        # The member types: the widget shows the dots; then the reply arrives with their name.
        team.get_by_label("Reply to the shopper").fill("Hi! I'm Demo from the team.")
        expect(part(shop, ".typing")).to_be_visible(timeout=TIMEOUT)
        team.get_by_role("button", name="Send reply").click()
        reply = part(shop, ".msg.team")
        expect(reply).to_contain_text("Hi! I'm Demo from the team.", timeout=TIMEOUT)
        expect(reply.locator(".author")).to_have_text("Demo Owner")
        expect(log.locator(".line.team")).to_contain_text("Hi! I'm Demo from the team.")
        assert team.url.endswith(f"/admin/inbox/{ticket}")  # no reload: the page stayed
        expect(team.locator("#assignee-now")).to_have_text("Demo Owner")  # picked up

        # The shopper's next message appears in the inbox without a reload.
        part(shop, "textarea").press("Enter")
        expect(log.locator(".line.shopper").last).to_contain_text("Hello?", timeout=TIMEOUT)
        expect(team.get_by_text("The shopper is typing…")).to_be_hidden()

        team.screenshot(path=str(shots / "console-inbox.png"), full_page=True)
        assert accessibility_problems(team) == []

        # Hand back: the agent answers the next question.
        team.get_by_role("button", name="Hand back to the agent").click()
        team.wait_for_url(f"**/admin/inbox/{ticket}?done=handed_back")
        expect(team.get_by_role("status").first).to_contain_text("Handed back")
        agents_before = part(shop, ".msg.agent:not(.team)[data-id]").count()
        box = part(shop, "textarea")
        box.fill("Do you ship to Sweden?")
        box.press("Enter")
        expect(part(shop, ".msg.agent:not(.team)[data-id]")).to_have_count(
            agents_before + 1, timeout=TIMEOUT
        )
        expect(part(shop, ".msg.agent:not(.team)[data-id]").last).to_contain_text("Sweden")
    finally:
        shop_context.close()
        team_context.close()
