"""The Handoff page in a real Chromium: an owner sets business hours and "don't hand off",
sets themselves available, and axe-core finds no serious or critical problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deskhand.team.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD
from tests.console.test_console_browser import accessibility_problems, sign_in


@pytest.fixture
def tab(browser: Any) -> Any:
    # axe-core is injected past the console's Content-Security-Policy (no script may load).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_owner_sets_hours_dont_hand_off_and_availability(
    live_server: str, tab: Any, tmp_path: Path
) -> None:
    page = tab
    sign_in(page, live_server, DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)
    page.get_by_role("link", name="Handoff").click()
    page.wait_for_url("**/admin/handoff")
    assert accessibility_problems(page) == []
    page.get_by_label("Time zone (IANA, like Europe/Amsterdam)").fill("America/New_York")
    page.get_by_label("Monday").fill("9-17")  # not times: refused, nothing saved
    page.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert")
    assert "is not a time (HH:MM)" in alert.inner_text()
    page.get_by_label("Monday").fill("09:00-12:00, 13:00-17:00")
    page.get_by_label("Don't hand off").check()
    page.get_by_label("Help centre link").fill("https://help.fjordfinch.example")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/admin/handoff?done=handoff")
    assert "Handoff settings saved." in page.get_by_role("status").inner_text()
    assert page.get_by_label("Monday").input_value() == "09:00-12:00, 13:00-17:00"
    assert page.get_by_label("Don't hand off").is_checked()
    assert "Available: " + DEMO_OWNER_EMAIL in page.content()  # the demo owner starts so
    page.get_by_role("button", name="Set me away").click()
    page.wait_for_url("**/admin/handoff?done=availability")
    assert "Nobody is available" in page.content()
    page.get_by_role("button", name="Set me available").click()
    page.wait_for_url("**/admin/handoff?done=availability")
    assert "Available: " + DEMO_OWNER_EMAIL in page.content()
    page.screenshot(path=str(tmp_path / "console-handoff.png"), full_page=True)
    assert accessibility_problems(page) == []
