"""The web chat widget in a real headless Chromium against a real server (the demo shop).

Set DESKHAND_SCREENSHOTS=1 to write the screenshots into docs/screenshots/ (otherwise they go
to the test's temporary folder, so a normal run leaves the repository alone).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

HERE = Path(__file__).parent
DOCS = Path(__file__).parents[3] / "docs" / "screenshots"
GERMAN_CHANGE = "Kann ich meine Bestellung 1001 ändern?"
WIDGET = "deskhand-chat"
TIMEOUT = 20_000  # ms; the first turn warms up the embedding model

# Computed styles of the widget's parts that a shop's CSS must not be able to change.
WIDGET_PARTS = [
    ".launcher",
    ".panel",
    ".head",
    ".title",
    ".log",
    ".bubble",
    ".bubble p",
    ".input",
    ".send",
    ".send svg",
]
STYLE_PROPS = [
    "font-family",
    "font-size",
    "font-weight",
    "line-height",
    "letter-spacing",
    "text-transform",
    "text-align",
    "color",
    "background-color",
    "border-top-width",
    "border-top-style",
    "border-top-color",
    "border-top-left-radius",
    "padding-top",
    "padding-left",
    "margin-top",
    "margin-left",
    "display",
    "position",
    "width",
    "height",
    "box-sizing",
    "cursor",
    "fill",
    "outline-style",
]

COLLECT_WIDGET_STYLES = """([parts, props]) => {
  const host = document.querySelector("deskhand-chat");
  const out = {host: {}};
  const hostStyle = getComputedStyle(host);
  for (const p of ["display", "opacity", "transform", "filter", "position", "z-index",
                   "pointer-events", "visibility"]) out.host[p] = hostStyle.getPropertyValue(p);
  for (const part of parts) {
    const el = host.shadowRoot.querySelector(part);
    const cs = getComputedStyle(el);
    out[part] = Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
    const box = el.getBoundingClientRect();
    out[part].box = [Math.round(box.x), Math.round(box.y), Math.round(box.width),
                     Math.round(box.height)];
  }
  return out;
}"""

COLLECT_HOST_STYLES = """() => {
  const out = [];
  for (const el of document.querySelectorAll("*")) {
    if (el.tagName === "DESKHAND-CHAT" || el.tagName === "SCRIPT") continue;
    const cs = getComputedStyle(el);
    const props = {};
    for (let i = 0; i < cs.length; i++) props[cs[i]] = cs.getPropertyValue(cs[i]);
    const box = el.getBoundingClientRect();
    out.push({tag: el.tagName, props, box: [box.x, box.y, box.width, box.height]});
  }
  return {
    elements: out,
    sheets: document.styleSheets.length,
    adopted: document.adoptedStyleSheets.length,
    htmlAttrs: [...document.documentElement.attributes].map((a) => a.name + "=" + a.value),
    bodyAttrs: [...document.body.attributes].map((a) => a.name + "=" + a.value),
    globals: Object.keys(window).filter((k) => /deskhand/i.test(k)),
  };
}"""

PLAIN_SHOP = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>Plain shop</title>
<style>body {{ font: 18px/1.4 Georgia, serif; margin: 2rem; }} h1 {{ color: #333; }}
button {{ padding: .5rem 1rem; }} a {{ color: teal; }} p {{ max-width: 30rem; }}</style>
</head><body><h1>Plain shop</h1><p>Some text with <a href="#">a link</a> and
<strong>bold</strong> words.</p><button type="button">Buy</button><input aria-label="q">
<ul><li>One</li><li>Two</li></ul>{script}</body></html>"""


def screenshot(page: Any, name: str, tmp_path: Path) -> Path:
    folder = DOCS if os.environ.get("DESKHAND_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"widget-{name}.png"
    page.screenshot(path=str(path))
    return path


def part(page: Any, selector: str) -> Any:
    """A locator inside the widget (Playwright's CSS engine pierces open shadow roots)."""
    return page.locator(f"{WIDGET} {selector}")


def agent_messages(page: Any) -> Any:
    return part(page, ".msg.agent[data-id]")


def say(page: Any, text: str, replies_before: int) -> None:
    """Type a message, press Enter, wait for the agent's next reply."""
    box = part(page, "textarea")
    box.fill(text)
    box.press("Enter")
    expect(agent_messages(page)).to_have_count(replies_before + 1, timeout=TIMEOUT)


def code_for(page: Any, base: str, email: str) -> str:
    outbox = page.request.get(f"{base}/api/v1/dev/outbox", params={"to": email}).json()
    match = re.search(r"\b\d{6}\b", outbox["messages"][0]["subject"])
    assert match
    return match.group(0)


def stored_conversation(page: Any) -> dict[str, str]:
    value: dict[str, str] = page.evaluate("() => JSON.parse(localStorage.getItem('deskhand:demo'))")
    return value


class Shop:
    """A shop on its own origin (another loopback port) that pages can be put on."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                body = pages.get(self.path.split("?")[0])
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def put(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.origin + path


@pytest.fixture
def shop() -> Iterator[Shop]:
    server = Shop()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """A loaded machine (two cores, the whole suite) can be slow: wait longer than 5 s."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def posts(page: Any) -> list[str]:
    """The URLs of every HTTP POST of a shopper message (not sent over the WebSocket)."""
    seen: list[str] = []
    page.on(
        "request",
        lambda r: (
            seen.append(r.url) if r.method == "POST" and r.url.endswith("/messages") else None
        ),
    )
    return seen


def test_german_shopper_verifies_sees_order_card_and_history_after_reload(
    live_server: str, page: Any, posts: list[str], tmp_path: Path
) -> None:
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(f"{live_server}/demo/shop/products/trail-jacket")
    launcher = page.get_by_role("button", name="Chat with us")
    launcher.click()
    dialog = page.get_by_role("dialog", name="Chat with Fjord & Finch")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Hi! I'm the Fjord & Finch assistant")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(launcher).to_have_attribute("title", "Close the chat")

    say(page, GERMAN_CHANGE, 0)
    # The first message went by HTTP while the socket was still opening; the rest use the socket.
    page.wait_for_function(f"() => document.querySelector('{WIDGET}').wsReady === true")
    sign_in = part(page, ".msg.agent[data-id] a.btn").last
    expect(sign_in).to_contain_text("Anmelden")  # the interface follows the shopper's German
    expect(sign_in).to_have_attribute("href", re.compile(r"/hub/sign-in"))
    expect(sign_in).to_have_attribute("target", "_blank")
    expect(sign_in).to_have_attribute("rel", "noopener noreferrer")
    expect(page.get_by_label("Deine Nachricht")).to_be_visible()

    say(page, "ava@example.com", 1)
    expect(agent_messages(page).last).to_contain_text("6-stelligen Code")
    say(page, code_for(page, live_server, "ava@example.com"), 2)

    card = part(page, ".card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Bestellung #1001")
    expect(card).to_contain_text("Trail Jacket")
    expect(card).to_contain_text("M / Navy")
    expect(card.locator(".editable").first).to_contain_text("Noch änderbar")
    edit = card.locator("a.btn").first
    expect(edit).to_have_attribute("href", re.compile(r"/hub/orders/1001"))
    # The first message's page line follows the chat into German.
    expect(part(page, ".msg.shopper .meta").first).to_contain_text("Gesendet von Trail Jacket")
    screenshot(page, "desktop", tmp_path)

    assert len(posts) == 1
    assert any(url.endswith("/ws") for url in sockets)

    # The page the shopper wrote from reached the transcript.
    conv = stored_conversation(page)
    transcript = page.request.get(
        f"{live_server}/api/v1/conversations/{conv['id']}",
        headers={"Authorization": f"Bearer {conv['token']}"},
    ).json()
    first = transcript["messages"][0]
    assert first["text"] == GERMAN_CHANGE
    assert first["context"]["product_id"] == "trail-jacket"
    assert first["context"]["url"] == f"{live_server}/demo/shop/products/trail-jacket"
    assert first["context"]["title"] == "Trail Jacket – Fjord & Finch"

    page.reload()
    relaunch = page.get_by_role("button", name=re.compile("Chatte mit uns"))
    relaunch.click()
    expect(part(page, ".msg.shopper").first).to_contain_text(GERMAN_CHANGE)
    expect(agent_messages(page)).to_have_count(3)
    expect(part(page, ".msg.shopper")).to_have_count(3)
    expect(part(page, ".card")).to_contain_text("Bestellung #1001")
    expect(part(page, ".msg.shopper .meta").first).to_contain_text("Gesendet von Trail Jacket")
    assert stored_conversation(page) == conv


def test_keyboard_only_open_ask_and_close(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/demo/shop")
    on_launcher = """() => {
      const host = document.activeElement;
      return host && host.tagName === "DESKHAND-CHAT"
        && host.shadowRoot.activeElement.classList.contains("launcher");
    }"""
    expect(page.get_by_role("button", name="Chat with us")).to_be_visible()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(on_launcher):
            break
    else:
        pytest.fail("Tab never reached the chat launcher")
    outline = part(page, ".launcher").evaluate("(el) => getComputedStyle(el).boxShadow")
    assert "rgb(29, 36, 51)" in outline  # the visible focus ring

    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    focused = page.evaluate("() => document.activeElement.shadowRoot.activeElement.id")
    assert focused == "dh-input"
    expect(part(page, "[role=log]")).to_have_attribute("aria-live", "polite")

    page.keyboard.type("How long does shipping to Germany take?")
    page.keyboard.press("Enter")
    expect(agent_messages(page)).to_have_count(1, timeout=TIMEOUT)
    expect(agent_messages(page).first).to_contain_text("1-2")

    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert page.evaluate(on_launcher)
    expect(page.get_by_role("button", name="Chat with us")).to_have_attribute(
        "aria-expanded", "false"
    )


def test_phone_gets_a_full_screen_panel(live_server: str, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server}/demo/shop")
        launcher = part(page, ".launcher")
        box = launcher.bounding_box()
        assert box["x"] + box["width"] <= 390
        assert box["y"] + box["height"] <= 844
        launcher.tap()
        panel = page.get_by_role("dialog")
        expect(panel).to_be_visible()
        assert panel.bounding_box() == {"x": 0, "y": 0, "width": 390, "height": 844}
        expect(launcher).to_be_hidden()  # the panel covers the screen; it closes from its header
        say(page, "I need to cancel order 1001", 0)
        say(page, "ava@example.com", 1)
        say(page, code_for(page, live_server, "ava@example.com"), 2)
        expect(part(page, ".card").first).to_be_visible()
        no_sideways_scroll = part(page, ".scroller").evaluate(
            "(el) => el.scrollWidth <= el.clientWidth"
        )
        assert no_sideways_scroll
        screenshot(page, "phone", tmp_path)
        part(page, ".close").tap()
        expect(panel).to_be_hidden()
        expect(launcher).to_be_visible()
    finally:
        context.close()


def test_host_page_css_cannot_restyle_the_widget(
    live_server: str, page: Any, shop: Shop, tmp_path: Path
) -> None:
    page.emulate_media(reduced_motion="reduce")  # no hover animation between the two readings
    page.goto(f"{live_server}/demo/shop")
    part(page, ".launcher").click()
    expect(part(page, ".panel")).to_be_visible()
    page.mouse.move(1, 1)
    calm = page.evaluate(COLLECT_WIDGET_STYLES, [WIDGET_PARTS, STYLE_PROPS])

    hostile = (HERE / "hostile_shop.html").read_text().replace("{deskhand}", live_server)
    page.goto(shop.put("/hostile-shop", hostile))
    expect(page.locator("h1")).to_have_css("color", "rgb(255, 0, 0)")  # the shop's CSS is live
    part(page, ".launcher").click()
    expect(part(page, ".panel")).to_be_visible()
    page.mouse.move(1, 1)
    attacked = page.evaluate(COLLECT_WIDGET_STYLES, [WIDGET_PARTS, STYLE_PROPS])
    screenshot(page, "hostile", tmp_path)
    for name in ["host", *WIDGET_PARTS]:
        assert attacked[name] == calm[name], name

    # Cross-origin, through CORS: the widget still talks to Deskhand.
    say(page, "What payment methods do you accept?", 0)


def test_widget_adds_nothing_to_the_host_pages_styles(
    live_server: str, page: Any, shop: Shop
) -> None:
    page.goto(shop.put("/plain-shop", PLAIN_SHOP.format(lang="en", script="")))
    before = page.evaluate(COLLECT_HOST_STYLES)
    page.evaluate(
        """(src) => {
          const s = document.createElement("script");
          s.src = src; s.async = true; s.dataset.brand = "demo";
          document.body.append(s);
        }""",
        f"{live_server}/widget.js",
    )
    part(page, ".launcher").click()
    expect(part(page, ".panel")).to_be_visible()
    say(page, "hello", 0)
    after = page.evaluate(COLLECT_HOST_STYLES)
    assert after["sheets"] == before["sheets"]
    assert after["adopted"] == before["adopted"] == 0
    assert after["htmlAttrs"] == before["htmlAttrs"]
    assert after["bodyAttrs"] == before["bodyAttrs"]
    assert after["globals"] == []
    assert len(after["elements"]) == len(before["elements"])
    for old, new in zip(before["elements"], after["elements"], strict=True):
        assert new == old, old["tag"]


def test_interface_speaks_the_pages_language(live_server: str, page: Any, shop: Shop) -> None:
    script = f'<script src="{live_server}/widget.js" data-brand="demo" async></script>'
    page.goto(shop.put("/butik", PLAIN_SHOP.format(lang="sv-SE", script=script)))
    page.get_by_role("button", name="Chatta med oss").click()
    expect(page.get_by_role("dialog", name="Chatt med Fjord & Finch")).to_be_visible()
    expect(page.get_by_label("Ditt meddelande")).to_be_visible()
    expect(part(page, "[data-greeting]")).to_contain_text("Hej!")


def test_blocked_websocket_falls_back_to_http(
    live_server: str, page: Any, posts: list[str]
) -> None:
    page.route_web_socket(re.compile(r".*/ws(\?.*)?$"), lambda ws: ws.close())
    page.goto(f"{live_server}/demo/shop")
    part(page, ".launcher").click()
    say(page, "I'd like to change order 1001", 0)
    page.wait_for_timeout(300)  # the socket is refused meanwhile
    say(page, "ava@example.com", 1)
    say(page, code_for(page, live_server, "ava@example.com"), 2)
    expect(part(page, ".card")).to_have_count(1)
    assert len(posts) == 3
    expect(part(page, ".status")).to_be_hidden()  # nothing to tell: the chat just works


def test_reply_arriving_while_closed_shows_an_unread_badge(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/demo/shop")
    launcher = part(page, ".launcher")
    launcher.click()
    part(page, "textarea").fill("Do you ship to Sweden?")
    # Send and close in one go, so the reply lands while the panel is closed.
    page.evaluate(
        """() => {
          const root = document.querySelector("deskhand-chat").shadowRoot;
          root.querySelector("form").requestSubmit();
          root.querySelector(".close").click();
        }"""
    )
    badge = part(page, ".badge")
    expect(badge).to_have_text("1", timeout=TIMEOUT)
    expect(page.get_by_role("button", name="Chat with us (New messages: 1)")).to_be_visible()
    launcher.click()
    expect(badge).to_be_hidden()
    expect(agent_messages(page)).to_have_count(1)
    expect(agent_messages(page).first.locator("time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d\d-\d\dT")
    )
