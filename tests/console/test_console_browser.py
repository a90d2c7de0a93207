"""The console in a real Chromium: an owner's and a viewer's journeys, screenshots of every
page, and axe-core's check of each (no serious or critical violation).

Set DESKHAND_SCREENSHOTS=1 to write the screenshots into docs/screenshots/ (otherwise they
go to the test's temporary folder, so a normal run leaves the repository alone).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from deskhand.db.session import make_engine
from deskhand.domain.vocabulary import TeamRole
from deskhand.team.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD
from tests.console.team_members import PASSWORD, add

DOCS = Path(__file__).parents[2] / "docs" / "screenshots"
AXE = (files("axe_playwright_python") / "axe.min.js").read_text()
BLOCKING = ("serious", "critical")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return DOCS if os.environ.get("DESKHAND_SCREENSHOTS") == "1" else tmp_path


@pytest.fixture
def tab(browser: Any) -> Any:
    # axe-core is injected past the console's Content-Security-Policy (no script may load).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def accessibility_problems(page: Any) -> list[str]:
    page.evaluate(AXE + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def look(page: Any, shots: Path, name: str) -> None:
    """Screenshot the page, then let axe-core check it."""
    page.screenshot(path=str(shots / f"console-{name}.png"), full_page=True)
    assert accessibility_problems(page) == [], name


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/admin/policy")
    page.wait_for_url("**/admin/sign-in?next=*")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/policy")


def test_owner_switches_a_skill_checks_and_saves_the_policy_and_invites(
    live_server: str, tab: Any, shots: Path
) -> None:
    page = tab
    page.goto(f"{live_server}/admin")
    page.wait_for_url("**/admin/sign-in?next=*")
    look(page, shots, "sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    look(page, shots, "reset-request")
    page.go_back()
    page.get_by_label("Email").fill(DEMO_OWNER_EMAIL)
    page.get_by_label("Password").fill("a wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert "do not match" in page.get_by_role("alert").inner_text()
    page.get_by_label("Password").fill(DEMO_OWNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/admin")
    look(page, shots, "overview")

    page.get_by_role("link", name="Skills", exact=True).click()
    assert page.locator(".status.live").count() == 5
    page.get_by_role("button", name="Switch off Order Tracking").click()
    page.wait_for_url("**/admin/skills?done=skill")
    row = page.get_by_role("row").filter(has_text="Order Tracking")
    assert "Unavailable" in row.inner_text()
    assert "Switched off" in row.inner_text()
    look(page, shots, "skills")
    page.get_by_role("link", name="Returns & Exchanges").click()
    assert page.get_by_role("heading", name="Response behaviour").is_visible()
    look(page, shots, "skill-detail")

    page.get_by_role("link", name="Policy", exact=True).click()
    page.get_by_label("Change window after ordering (minutes)").fill("90")
    page.get_by_role("button", name="Check against the content first").click()
    assert page.get_by_text("states a different order-change window").first.is_visible()
    assert "(not saved)" in page.locator("#findings").inner_text()
    page.get_by_label("Return window after delivery (days)").fill("forever")
    page.get_by_role("button", name="Save the policy").click()
    assert "nothing was saved" in page.get_by_role("alert").first.inner_text()
    page.get_by_label("Return window after delivery (days)").fill("30")
    page.get_by_role("button", name="Save the policy").click()
    page.wait_for_url("**/admin/policy?done=policy")
    assert page.get_by_role("status").first.inner_text() == "Policy saved."
    look(page, shots, "policy")

    page.get_by_role("link", name="Team").click()
    page.get_by_label("Email").fill("noor@example.com")
    page.get_by_label("Role", exact=True).select_option("manager")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url("**/admin/team?done=invited")
    assert "Invited" in page.get_by_role("row").filter(has_text="noor@example.com").inner_text()
    look(page, shots, "team")

    # Noor accepts the emailed invitation in her own browser.
    mail = httpx.get(f"{live_server}/api/v1/dev/outbox", params={"to": "noor@example.com"})
    link = re.search(
        r"http://\S+/admin/invitation\?token=[\w-]+", mail.json()["messages"][0]["body"]
    )
    assert link
    noor = page.context.browser.new_context(bypass_csp=True).new_page()
    noor.goto(link.group(0))
    look(noor, shots, "invitation")
    noor.get_by_label("Your name").fill("Noor")
    noor.get_by_label("Password (at least 12 characters)").fill("a very long password")
    noor.get_by_label("The same password again").fill("a very long password")
    noor.get_by_role("button", name="Save the password").click()
    assert "noor@example.com · manager" in noor.locator("header").inner_text()
    noor.context.close()

    page.get_by_role("link", name="Audit log").click()
    log = page.locator("table").inner_text()
    for entry in ("tracking switched off", "rules changed", "invited"):
        assert entry in log
    look(page, shots, "audit")


def test_a_viewer_sees_everything_and_can_change_nothing_even_by_a_direct_post(
    live_server: str, tab: Any, shots: Path, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'live.db'}")
    with Session(engine) as db:
        add(db, "viewer@fjordfinch.example", TeamRole.VIEWER, datetime.now(UTC))
    engine.dispose()
    page = tab
    sign_in(page, live_server, "viewer@fjordfinch.example", PASSWORD)
    assert "only an owner or admin can change them" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Save the policy").count() == 0
    assert page.get_by_label("Change window after ordering (minutes)").is_disabled()
    look(page, shots, "policy-viewer")
    page.get_by_role("link", name="Skills", exact=True).click()
    assert page.get_by_role("button", name="Switch off Order Tracking").count() == 0
    page.get_by_role("link", name="Team").click()
    assert page.get_by_role("button", name="Send the invitation").count() == 0

    # The forms are not there, so post as the page would have, with this session's token.
    csrf = page.locator('input[name="csrf"]').first.get_attribute("value")
    for path, form in (
        ("/admin/policy", {"change_window": "5", "action": "save"}),
        ("/admin/skills/tracking/switch", {}),
        ("/admin/team/invite", {"email": "mallory@example.com", "role": "owner"}),
        ("/admin/team/1/role", {"role": "viewer"}),
    ):
        r = page.request.post(f"{live_server}{path}", form={"csrf": csrf, **form})
        assert r.status == 403, path
        assert "Only an owner or admin can change this" in r.text()
    page.goto(f"{live_server}/admin/skills")
    assert page.locator(".status.live").count() == 5
    page.goto(f"{live_server}/admin/audit")
    assert "No settings changed yet." in page.locator("main").inner_text()


def test_owner_previews_the_agent_as_a_customer_with_diagnostics(
    live_server: str, tab: Any, shots: Path
) -> None:
    page = tab
    sign_in(page, live_server, DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)
    page.get_by_role("link", name="Agent Preview").click()
    page.get_by_label("Preview as a customer").fill("ava@example.com")
    page.get_by_role("button", name="Start a new preview conversation").click()
    page.get_by_label("Message").fill("Can I change the size of my last order?")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/admin/preview?c=*")
    diagnostics = page.get_by_role("table", name="Diagnostics of this reply").inner_text()
    assert "order_editing" in diagnostics
    assert "hub_link" in diagnostics
    assert "editability_of(#1001): editable" in diagnostics
    page.get_by_label("Message").fill("What is your return policy?")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/admin/preview?c=*")
    last = page.locator("#latest").inner_text()
    assert "Sources" in last
    look(page, shots, "preview")


def test_the_dashboard_shows_charts_of_the_demo_data_and_exports(
    live_server: str, tab: Any, shots: Path
) -> None:
    page = tab
    sign_in(page, live_server, DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)
    page.get_by_role("link", name="Dashboard").click()
    assert "Demo data:" in page.locator("main").inner_text()
    assert page.locator("svg").count() >= 4
    look(page, shots, "dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export resolution records (CSV)").click()
    assert download.value.suggested_filename.startswith("resolution-records-")
    page.get_by_role("link", name="Open").first.click()
    assert page.get_by_role("heading", name="Resolution record").is_visible()
    look(page, shots, "record")


def test_the_launch_page_in_test_mode(live_server: str, tab: Any, shots: Path) -> None:
    page = tab
    sign_in(page, live_server, DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)
    page.get_by_role("link", name="Launch").click()
    page.get_by_role("button", name="Back to test mode").click()
    page.wait_for_url("**/admin/launch?done=launch")
    page.get_by_label("Test addresses").fill("ava@example.com\n+31 6 1234 5678")
    page.get_by_role("button", name="Save the test addresses").click()
    page.wait_for_url("**/admin/launch?done=launch")
    assert "+31612345678" in page.get_by_label("Test addresses").input_value()
    assert "Test mode:" in page.locator("main").inner_text()
    look(page, shots, "launch")


def test_agent_tests_run_from_the_console(live_server: str, tab: Any, shots: Path) -> None:
    page = tab
    sign_in(page, live_server, DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)
    page.get_by_role("link", name="Agent tests").click()
    page.get_by_role("button", name="Run every test").click()
    assert "Results: 6 passed, 0 failed" in page.get_by_role("heading", name="Results").inner_text()
    look(page, shots, "agent-tests")


def test_content_and_integrations_pages(live_server: str, tab: Any, shots: Path) -> None:
    page = tab
    sign_in(page, live_server, DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)
    page.get_by_role("link", name="Content", exact=True).click()
    assert page.get_by_role("heading", name="Articles").is_visible()
    look(page, shots, "content")
    page.get_by_role("link", name="Write an article").first.click()
    page.get_by_label("Title").fill("Gift wrapping")
    page.get_by_label("Text (Markdown").fill("# Gift wrapping\n\nFree, in recycled paper.")
    page.get_by_role("button", name="Preview (and the agent tests it would break)").click()
    assert page.get_by_role("heading", name="Preview").is_visible()
    look(page, shots, "article")
    page.get_by_role("link", name="Integrations").click()
    assert page.locator(".status.unavailable").count() == 7
    look(page, shots, "integrations")
