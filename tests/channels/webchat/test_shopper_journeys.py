"""The shopper's journeys across the chat and the Hub in a real Chromium, desktop and phone:
one labelled clock (a browser in Lisbon), a Hub change told to and confirmed by the chat,
typed answers and retired buttons, focus kept in the open chat on a phone, /docs offline.

Set DESKHAND_SCREENSHOTS=1 to write the screenshots into docs/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from tests.channels.webchat.test_widget_browser import (
    TIMEOUT,
    WIDGET,
    agent_messages,
    code_for,
    part,
    say,
    screenshot,
    stored_conversation,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def lisbon(browser: Any) -> Iterator[Any]:
    """A desktop browser whose clock is in Lisbon, an hour behind the shop's Amsterdam."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Europe/Lisbon", locale="en-GB"
    )
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def lisbon_phone(browser: Any) -> Iterator[Any]:
    """A phone in Lisbon."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        timezone_id="Europe/Lisbon",
        locale="pt-PT",
    )
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    yield tab
    context.close()


def verified_chat(page: Any, base: str, first: str, email: str = "ava@example.com") -> None:
    """Open the chat on the product page, ask, and verify with the emailed code."""
    page.goto(f"{base}/demo/shop/products/trail-jacket")
    part(page, ".launcher").click()
    say(page, first, 0)
    say(page, email, 1)
    say(page, code_for(page, base, email), 2)


def transcript(page: Any, base: str) -> dict[str, Any]:
    conv = stored_conversation(page)
    result: dict[str, Any] = page.request.get(
        f"{base}/api/v1/conversations/{conv['id']}",
        headers={"Authorization": f"Bearer {conv['token']}"},
    ).json()
    return result


def test_a_browser_in_lisbon_sees_one_clock_with_the_zone_named(
    live_server: str, lisbon: Any, tmp_path: Path
) -> None:
    page = lisbon
    verified_chat(page, live_server, "Can I change order 1001?")
    reply = agent_messages(page).last
    expect(reply).to_contain_text(re.compile(r"until \d\d:\d\d Amsterdam time"))
    card = part(page, ".card")
    placed_at = next(
        b["order"]["placed_at"]
        for m in transcript(page, live_server)["messages"]
        for b in m["blocks"]
        if b["type"] == "order_card"
    )
    in_amsterdam = datetime.fromisoformat(placed_at).astimezone(AMSTERDAM).strftime("%H:%M")
    expect(card.locator(".card-sub")).to_contain_text(f"{in_amsterdam} Amsterdam time")
    # The bubbles' times are the shop's too, and say so (the browser keeps another time).
    expect(reply.locator(".meta time")).to_contain_text("Amsterdam time")
    shown = reply.locator(".meta time").inner_text()
    now_in_amsterdam = datetime.now(AMSTERDAM)
    assert shown.startswith(f"{now_in_amsterdam:%H}:") or shown.startswith(
        f"{(now_in_amsterdam.hour - 1) % 24:02d}:"
    )  # a minute boundary may pass, never the hour of Lisbon
    screenshot(page, "lisbon", tmp_path)

    # The Hub, from the card's link, names the same zone.
    with page.context.expect_page() as opened:
        card.locator("a.btn").first.click()
    hub = opened.value
    hub.wait_for_load_state()
    expect(hub.locator("body")).to_contain_text("Amsterdam time")
    expect(hub.locator("body")).to_contain_text(in_amsterdam)


def test_a_phone_in_lisbon_sees_the_same_labelled_clock_in_chat_and_hub(
    live_server: str, lisbon_phone: Any, tmp_path: Path
) -> None:
    page = lisbon_phone
    page.goto(f"{live_server}/demo/shop/products/trail-jacket")
    part(page, ".launcher").tap()
    say(page, "Kann ich meine Bestellung 1001 stornieren?", 0)
    say(page, "ava@example.com", 1)
    say(page, code_for(page, live_server, "ava@example.com"), 2)
    reply = agent_messages(page).last
    expect(reply).to_contain_text(re.compile(r"bis \d\d:\d\d Uhr Ortszeit Amsterdam"))
    expect(part(page, ".card .card-sub")).to_contain_text("Uhr Ortszeit Amsterdam")
    expect(reply.locator(".meta time")).to_contain_text("Ortszeit Amsterdam")
    screenshot(page, "lisbon-phone", tmp_path)
    with page.context.expect_page() as opened:
        part(page, ".card a.btn").first.tap()
    hub = opened.value
    hub.wait_for_url(re.compile(r"/hub/orders/1001/cancel$"))
    expect(hub.locator("main")).to_contain_text("Ortszeit Amsterdam")
    expect(hub.get_by_role("link", name=re.compile("Zurück zu Fjord & Finch"))).to_be_visible()


def test_a_size_changed_in_the_hub_is_told_to_the_chat_and_confirmed(
    live_server: str, page: Any, tmp_path: Path
) -> None:
    verified_chat(page, live_server, "Kann ich die Größe meiner Bestellung 1001 ändern?")
    card = part(page, ".card")
    expect(card.locator(".editable").first).to_contain_text("Noch änderbar")
    change = card.locator("a.btn", has_text="Bestellung ändern")
    with page.context.expect_page() as opened:
        change.click()
    hub = opened.value
    hub.wait_for_url(re.compile(r"/hub/orders/1001/edit$"))
    # The Hub wears the brand: its green, its logo, its portal name, a way back to the shop.
    expect(hub.locator("header .brand")).to_contain_text("Kundenbereich")
    expect(hub.locator("header img.logo")).to_have_attribute("src", "/demo/logo.svg")
    button = hub.locator("form[action$='/edit/variant'] button").first
    expect(button).to_have_css("background-color", "rgb(47, 107, 79)")
    back = hub.get_by_role("link", name=re.compile("Zurück zu Fjord & Finch"))
    expect(back).to_have_attribute("href", f"{live_server}/demo/shop/products/trail-jacket")
    jacket = hub.locator("form[action$='/edit/variant']").first
    jacket.locator("select").select_option(label="L / Olive")
    jacket.locator("button").click()
    expect(hub.locator("[role=status]")).to_contain_text("L / Olive")
    screenshot(hub, "hub-brand", tmp_path)
    hub.close()

    # Back on the shop's tab: the chat shows what happened, and confirms it when asked.
    page.bring_to_front()
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    news = part(page, ".msg.agent.hub-news")
    expect(news).to_contain_text("Neuigkeit aus dem Kundenbereich", timeout=TIMEOUT)
    expect(news).to_contain_text("M / Navy")
    say(page, "Ist die Größe jetzt geändert?", 4)
    answer = agent_messages(page).last
    expect(answer).to_contain_text("Ja, das ist erledigt")
    expect(answer).to_contain_text("L / Olive")
    expect(answer.locator(".card")).to_contain_text("L / Olive")
    screenshot(page, "hub-news", tmp_path)
    mail = page.request.get(
        f"{live_server}/api/v1/dev/outbox", params={"to": "ava@example.com"}
    ).json()["messages"][0]
    assert mail["subject"] == "Deine Bestellung #1001 wurde geändert"


def test_a_typed_yes_answers_the_offer_and_old_buttons_grey_out(
    live_server: str, page: Any, tmp_path: Path
) -> None:
    page.goto(f"{live_server}/demo/shop")
    part(page, ".launcher").click()
    say(page, "I want to talk to a person", 0)
    # This message, not whichever is last (the email question after "yes" has a button too).
    offer = agent_messages(page).nth(agent_messages(page).count() - 1)
    expect(offer.locator("button.chip")).to_have_count(2)
    expect(offer.locator("button.chip").first).to_be_enabled()
    say(page, "yes please", 1)
    expect(agent_messages(page).last).to_contain_text("team")
    for chip in offer.locator("button.chip").all():
        expect(chip).to_be_disabled()
    screenshot(page, "retired-buttons", tmp_path)
    # A retired button pressed anyway (an old tab): the server refuses, the widget says why.
    conv = stored_conversation(page)
    refused = page.request.post(
        f"{live_server}/api/v1/conversations/{conv['id']}/messages",
        headers={"Authorization": f"Bearer {conv['token']}"},
        data={"action": "handoff:yes"},
    )
    assert refused.status == 409


def test_the_phone_chat_keeps_the_focus_while_it_covers_the_page(
    live_server: str, phone: Any, tmp_path: Path
) -> None:
    page = phone
    page.goto(f"{live_server}/demo/shop")
    part(page, ".launcher").tap()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    inside = f"""() => {{
      const host = document.activeElement;
      if (!host || host.tagName !== "{WIDGET.upper()}") return false;
      const active = host.shadowRoot.activeElement;
      return !!active && host.shadowRoot.querySelector(".panel").contains(active);
    }}"""
    part(page, ".close").focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(inside), "Shift+Tab from Close left the chat"
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate(inside), "Tab left the chat"
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(inside), "Shift+Tab left the chat"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_the_hub_size_menu_fits_a_phone(live_server: str, phone: Any, tmp_path: Path) -> None:
    page = phone
    page.goto(f"{live_server}/hub/orders/1001/edit")
    page.fill("#address", "ava@example.com")
    page.keyboard.press("Enter")
    page.wait_for_url("**/hub/sign-in/code")
    messages = page.request.get(
        f"{live_server}/api/v1/dev/outbox", params={"to": "ava@example.com"}
    ).json()["messages"]
    code = re.search(r"\b\d{6}\b", messages[0]["body"])
    assert code
    page.fill("#code", code.group(0))
    page.keyboard.press("Enter")
    page.wait_for_url("**/hub/orders/1001/edit")
    for select in page.locator("select").all():
        box = select.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    no_sideways = page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_sideways
    screenshot(page, "hub-phone-edit", tmp_path)


def test_docs_work_offline_and_every_page_has_a_favicon(live_server: str, page: Any) -> None:
    outside: list[str] = []

    def only_local(route: Any) -> None:
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(f"{live_server}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Deskhand", timeout=TIMEOUT)
    assert outside == []
    for path in ("/favicon.ico", "/favicon.svg", "/demo/logo.svg"):
        assert page.request.get(f"{live_server}{path}").status == 200, path
    for path in ("/", "/hub/sign-in", "/demo/shop", "/docs"):
        page.goto(f"{live_server}{path}")
        icon = page.locator("link[rel~=icon]").first
        href = icon.get_attribute("href")
        assert href, path
        assert page.request.get(f"{live_server}{href}").status == 200, path
