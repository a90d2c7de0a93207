"""The Hub in a real Chromium: the shopper's whole journeys, on a phone and a desktop.

Set DESKHAND_SCREENSHOTS=1 to write the screenshots into docs/screenshots/ (otherwise they
go to the test's temporary folder, so a normal run leaves the repository alone).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DOCS = Path(__file__).parents[2] / "docs" / "screenshots"


def latest_code(base: str, to: str) -> str:
    messages = httpx.get(f"{base}/api/v1/dev/outbox", params={"to": to}).json()["messages"]
    found = re.search(r"\b\d{6}\b", messages[0]["body"])
    assert found
    return found.group(0)


def wait_for_focus(page: Any, field: str) -> None:
    """Wait (5 s at most) for `autofocus` to put the focus in the field; a slow machine
    may run the first check before the browser has applied it."""
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=field, timeout=5000
    )


def sign_in_by_keyboard(page: Any, base: str, email: str) -> None:
    """Type the address and the code with the keyboard only (the fields take the focus)."""
    wait_for_focus(page, "address")
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    page.wait_for_url("**/hub/sign-in/code")
    wait_for_focus(page, "code")
    page.keyboard.type(latest_code(base, email))
    page.keyboard.press("Enter")


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    tab = context.new_page()
    yield tab
    context.close()


def test_deep_link_sign_in_with_code_change_size_and_see_confirmation(
    live_server: str, page: Any
) -> None:
    page.goto(f"{live_server}/hub/orders/1001/edit")
    page.wait_for_url("**/hub/sign-in?next=*")
    focused = "document.activeElement.textContent.trim()"
    wait_for_focus(page, "address")  # the field takes the focus
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "Send me a code"
    page.focus("a.brand")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "Skip to content"  # the first stop on every page
    page.focus("#address")
    sign_in_by_keyboard(page, live_server, "ava@example.com")
    page.wait_for_url("**/hub/orders/1001/edit")
    jacket = page.get_by_label("Size and colour").first
    sold_out = jacket.locator("option", has_text=re.compile(r"^L / Navy"))
    assert sold_out.is_disabled()
    jacket.select_option(label="L / Olive")
    page.get_by_role("button", name="Change size or colour").first.press("Enter")
    page.wait_for_url("**/hub/orders/1001/edit")
    status = page.get_by_role("status")
    assert "Trail Jacket is now L / Olive (was M / Navy)" in status.inner_text()
    page.get_by_role("link", name="Overview").click()
    assert "Trail Jacket: M / Navy changed to L / Olive." in page.locator("main").inner_text()


def test_cancel_with_the_fee_on_a_phone(live_server: str, phone: Any) -> None:
    phone.goto(f"{live_server}/hub/orders/1004/cancel")
    sign_in_by_keyboard(phone, live_server, "ben@example.com")
    phone.wait_for_url("**/hub/orders/1004/cancel")
    main = phone.locator("main").inner_text()
    assert "A cancellation fee of €5.00 applies" in main
    assert "€203.00" in main
    phone.get_by_role("button", name="Yes, cancel order #1004").click()
    phone.wait_for_url("**/hub/orders/1004")
    assert "Cancellation fee: €5.00. We refund €203.00" in phone.get_by_role("status").inner_text()
    assert "Cancelled" in phone.locator("main").inner_text()


def test_shipped_item_cannot_be_changed_and_says_why(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/hub/orders/1002/edit")
    sign_in_by_keyboard(page, live_server, "ava@example.com")
    page.wait_for_url("**/hub/orders/1002/edit")
    jacket = page.locator("li.card", has_text="Trail Jacket")
    assert "Cannot be changed: It has already shipped." in jacket.inner_text()
    assert jacket.locator("select, input[type=number], button").count() == 0
    socks = page.locator("li.card", has_text="Wool Socks")
    assert socks.get_by_role("button", name="Change quantity").is_visible()


def test_another_customers_order_is_not_found(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/hub/sign-in")
    sign_in_by_keyboard(page, live_server, "ava@example.com")
    page.wait_for_url("**/hub")
    response = page.goto(f"{live_server}/hub/orders/1004/edit")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Order not found"
    assert "Ben" not in page.content()


def test_pages_fit_a_phone_and_screenshots(
    live_server: str, phone: Any, page: Any, tmp_path: Path
) -> None:
    folder = DOCS if os.environ.get("DESKHAND_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    for tab, size in ((phone, "phone"), (page, "desktop")):
        tab.goto(f"{live_server}/hub/orders/1001/cancel")
        tab.screenshot(path=str(folder / f"hub-sign-in-{size}.png"), full_page=True)
        sign_in_by_keyboard(tab, live_server, "ava@example.com")
        tab.wait_for_url("**/hub/orders/1001/cancel")
        shots = {
            "orders": "/hub",
            "order": "/hub/orders/1002",
            "edit": "/hub/orders/1001/edit",
            "cancel": "/hub/orders/1001/cancel",
            "track": "/hub/orders/1002/track/1",
            "returns": "/hub/orders/1003/return",
        }
        for name, path in shots.items():
            tab.goto(f"{live_server}{path}")
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= tab.viewport_size["width"], (size, name, width)
            tab.screenshot(path=str(folder / f"hub-{name}-{size}.png"), full_page=True)
