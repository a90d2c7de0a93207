"""The demo's start page and a help article, in a real headless Chromium."""

from __future__ import annotations

from typing import Any


def test_start_page_links_to_help_articles(live_server: str, page: Any) -> None:
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Deskhand for Fjord & Finch"
    page.get_by_role("link", name="Shipping and delivery times").click()
    page.wait_for_url("**/help/shipping")
    assert page.locator("h1").inner_text() == "Shipping and delivery times"
    assert "1-2 business days" in page.locator("main").inner_text()
