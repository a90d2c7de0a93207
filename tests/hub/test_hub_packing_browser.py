"""In a real Chromium: the demo's order being packed shows its lines without any control,
says why, and offers no cancellation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.hub.test_hub_browser import DOCS, sign_in_by_keyboard


def test_lines_being_packed_show_no_controls_and_say_why(
    live_server: str, page: Any, tmp_path: Path
) -> None:
    page.goto(f"{live_server}/hub/orders/1012/edit")
    sign_in_by_keyboard(page, live_server, "finn@example.com")
    page.wait_for_url("**/hub/orders/1012/edit")
    for title in ("Fleece Pullover", "Rain Hat"):
        line = page.locator("li.card", has_text=title)
        assert line.is_visible()
        assert "Cannot be changed: It is already being packed." in line.inner_text()
        assert line.locator(".badge").inner_text() == "Being packed"
        assert line.locator("form, select, input, button").count() == 0
    assert page.get_by_role("button", name="Change size or colour").count() == 0
    assert page.get_by_role("button", name="Change quantity").count() == 0
    folder = DOCS if os.environ.get("DESKHAND_SCREENSHOTS") == "1" else tmp_path
    page.screenshot(path=str(folder / "hub-being-packed.png"), full_page=True)

    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url("**/hub/orders/1012/cancel")
    main = page.locator("main").inner_text()
    assert "This order is already being packed, so it can no longer be cancelled." in main
    assert page.locator("main button").count() == 0

    page.get_by_role("link", name="Overview").click()
    page.wait_for_url("**/hub/orders/1012")
    lines = page.locator("ul.items > li")
    assert lines.count() == 2
    for n in range(2):
        said = lines.nth(n).inner_text()
        assert "Being packed" in said
        assert "Already being packed, so it can no longer be changed or cancelled." in said
