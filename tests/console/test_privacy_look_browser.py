"""The Privacy and Brand look pages and the policy's new fields in a real Chromium:
screenshots, axe-core, and the erase confirmation a browser cannot skip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deskhand.team.demo import DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD
from tests.console.test_console_browser import look, shots, sign_in, tab  # noqa: F401


def test_owner_reviews_an_erasure_and_edits_the_brand_look(
    live_server: str,
    tab: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    page = tab
    sign_in(page, live_server, DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)
    page.get_by_label("Return reasons shoppers choose from").fill("too_small\nArrived late")
    page.get_by_label("Cost region 2: cost").fill("5.95")
    page.get_by_role("button", name="Check against the content first").click()
    page.get_by_text("states a different shipping cost for DE").first.wait_for()
    look(page, shots, "policy-check-shipping")

    page.get_by_role("link", name="Privacy").click()
    page.wait_for_url("**/admin/privacy")
    look(page, shots, "privacy")
    page.get_by_label("Erase a shopper").fill("ava@example.com")
    page.get_by_role("button", name="Review what would be erased").click()
    page.get_by_role("heading", name="Erase ava@example.com?").wait_for()
    look(page, shots, "privacy-confirm")
    # The browser will not send the erasure without the box ticked.
    page.get_by_role("button", name="Erase for good").click()
    assert page.get_by_role("heading", name="Erase ava@example.com?").count() == 1
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Erase for good").click()
    page.wait_for_url("**/admin/privacy?done=erased")
    assert "a***@example.com" in page.content()

    page.get_by_role("link", name="Brand look").click()
    page.wait_for_url("**/admin/look")
    look(page, shots, "look")
    page.get_by_label("Logo address").fill("http://not-https.example/logo.png")
    page.get_by_role("button", name="Save the brand look").click()
    page.get_by_text("An https:// address").wait_for()
    look(page, shots, "look-error")
    page.get_by_label("Logo address").fill("/demo/logo.svg")
    page.get_by_label("English").fill("My orders")
    page.get_by_role("button", name="Save the brand look").click()
    page.wait_for_url("**/admin/look?done=look")
    page.goto(f"{live_server}/hub/sign-in")
    assert "My orders" in page.content()
