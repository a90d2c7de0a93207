"""The returns portal in a real Chromium, on a desktop and a phone: choose, preview, confirm,
see the timeline and download the slip. DESKHAND_SCREENSHOTS=1 writes the screenshots into
docs/screenshots/ (otherwise into the test's temporary folder)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.hub.test_hub_browser import DESKTOP, DOCS, PHONE, sign_in_by_keyboard


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_return_journey(
    live_server: str, browser: Any, tmp_path: Path, size: str, viewport: dict[str, int]
) -> None:
    folder = DOCS if os.environ.get("DESKHAND_SCREENSHOTS") == "1" else tmp_path
    context = browser.new_context(
        viewport=viewport,
        device_scale_factor=2 if size == "phone" else 1,
        is_mobile=size == "phone",
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server}/hub/orders/1010/return")
        page.wait_for_url("**/hub/sign-in?next=*")
        sign_in_by_keyboard(page, live_server, "chloe@example.com")
        page.wait_for_url("**/hub/orders/1010/return")
        # The final-sale pullover says why; the rain hat can go back.
        assert "Final sale: cannot be returned." in page.inner_text("main")
        page.get_by_label("How many to send back (up to 1)").select_option("1")
        page.get_by_label("Exchange for (only with an exchange)").select_option(
            label="Navy · €29.00"
        )
        page.get_by_label("Reason").select_option(label="Changed my mind")
        page.get_by_label("Exchange for another size or colour").check()
        page.screenshot(path=str(folder / f"hub-return-form-{size}.png"), full_page=True)
        page.get_by_role("button", name="See what you get back").click()
        page.wait_for_url("**/hub/orders/1010/return/preview")
        assert "Price difference" in page.inner_text("main")
        page.screenshot(path=str(folder / f"hub-return-preview-{size}.png"), full_page=True)
        page.get_by_role("button", name="Confirm the return").click()
        page.wait_for_url("**/hub/orders/1010/return#RMA-1010-1")
        assert "Your return RMA-1010-1 is registered" in page.get_by_role("status").inner_text()
        timeline = page.get_by_role("list", name="Where your return is")
        assert timeline.locator("li.done").count() == 1
        page.screenshot(path=str(folder / f"hub-return-timeline-{size}.png"), full_page=True)
        slip = page.get_by_role("link", name="Download the return slip (PDF)")
        href = slip.get_attribute("href")
        assert href == "/hub/orders/1010/return/RMA-1010-1/slip.pdf"
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        pdf = httpx.get(f"{live_server}{href}", cookies=cookies)
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        if folder is DOCS:
            (folder / "return-slip.pdf").write_bytes(pdf.content)
        # Fits the screen: nothing scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        context.close()
