"""The holes a security review of the demo found, each reproduced as the attacker did it.

(The first hole, code limits counted apart for chat and the Hub, is reproduced by
tests/verification/test_shared_limits.py: 6 chats plus 6 Hub sign-ins send 5 codes.)
"""

from __future__ import annotations

import http.client
import json
import os
import re
import stat
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect

from deskhand.config import Settings
from deskhand.db import models
from tests.conftest import Chat, block
from tests.hub.shopping import Shopper, csrf_in

LONE_SURROGATE = '{"text": "\\ud800 hi"}'  # valid JSON, not valid Unicode


def verified_link(client: TestClient, email: str, number: str) -> str:
    """The Hub link of a verified chat (it carries a one-time hand-off token)."""
    chat = Chat(client, locale="en")
    chat.send(text=f"I'd like to cancel order #{number}")
    chat.verify(email)
    url: str = block(chat.last["messages"][0], "order_card")["actions"][0]["url"]
    assert "t=" in url
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


# -- login CSRF through a plain GET ------------------------------------------------------


def test_a_link_does_not_switch_a_signed_in_shopper_to_another_account(
    client: TestClient,
) -> None:
    ava_link = verified_link(client, "ava@example.com", "1001")
    ben = Shopper(TestClient(client.app))
    ben.sign_in("ben@example.com")
    before = ben.client.cookies.get("hub_session")

    page = ben.get(ava_link)

    assert page.status_code == 200
    assert "Switch account?" in page.text
    assert "set-cookie" not in page.headers or "hub_session" not in page.headers["set-cookie"]
    assert ben.client.cookies.get("hub_session") == before
    orders = ben.get("/hub").text
    assert "Signed in as Ben" in orders
    assert "#1001" not in orders


def test_switching_needs_the_shoppers_press_and_then_works_once(client: TestClient) -> None:
    ava_link = verified_link(client, "ava@example.com", "1001")
    ben = Shopper(TestClient(client.app))
    ben.sign_in("ben@example.com")
    page = ben.get(ava_link)
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token
    # A cross-site form cannot post it: the CSRF token is bound to Ben's session.
    forged = ben.client.post(
        "/hub/sign-in/switch",
        data={"token": token.group(1), "next": "/hub", "csrf": "forged"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    pressed = ben.client.post(
        "/hub/sign-in/switch",
        data={
            "token": token.group(1),
            "next": "/hub/orders/1001/cancel",
            "csrf": csrf_in(page.text),
        },
        follow_redirects=False,
    )
    assert pressed.status_code == 303
    assert pressed.headers["location"] == "/hub/orders/1001/cancel"
    assert "Signed in as Ava" in ben.get("/hub").text
    again = ben.client.post(
        "/hub/sign-in/switch",
        data={"token": token.group(1), "next": "/hub", "csrf": csrf_in(ben.get("/hub").text)},
        follow_redirects=False,
    )
    assert again.status_code == 410  # used up


def test_the_same_shoppers_link_keeps_the_session(client: TestClient) -> None:
    link = verified_link(client, "ava@example.com", "1001")
    ava = Shopper(TestClient(client.app))
    ava.sign_in("ava@example.com")
    before = ava.client.cookies.get("hub_session")
    page = ava.get(link)
    assert page.status_code == 303
    assert page.headers["location"] == "/hub/orders/1001/cancel"
    assert ava.client.cookies.get("hub_session") == before
    assert ava.get(link).headers["location"] == "/hub/orders/1001/cancel"  # used: no switch


# -- a lone surrogate ---------------------------------------------------------------------


def test_a_lone_surrogate_is_a_422_not_a_500(client: TestClient, chat: Chat) -> None:
    r = client.post(
        f"/api/v1/conversations/{chat.id}/messages",
        content=LONE_SURROGATE,
        headers={**chat.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "surrogate" in r.text
    assert chat.send(text="hi")["blocks"]  # the conversation goes on


def test_a_lone_surrogate_keeps_the_keep_alive_connection(live_server: str) -> None:
    host, port = urlsplit(live_server).hostname, urlsplit(live_server).port
    conn = http.client.HTTPConnection(str(host), port, timeout=30)
    conn.request(
        "POST",
        "/api/v1/conversations",
        body='{"channel": "webchat"}',
        headers={"Content-Type": "application/json"},
    )
    created = json.loads(conn.getresponse().read())
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {created['token']}"}
    path = f"/api/v1/conversations/{created['id']}/messages"
    conn.request("POST", path, body=LONE_SURROGATE, headers=headers)
    bad = conn.getresponse()
    bad.read()
    assert bad.status == 422
    conn.request("POST", path, body='{"text": "hi"}', headers=headers)  # same connection
    good = conn.getresponse()
    assert good.status == 200, good.read()
    conn.close()


def test_a_lone_surrogate_over_the_socket_gets_a_422_frame(client: TestClient, chat: Chat) -> None:
    with client.websocket_connect(f"/api/v1/conversations/{chat.id}/ws?token={chat.token}") as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_text(LONE_SURROGATE)
        error = ws.receive_json()
        assert error["type"] == "error"
        assert error["problem"]["status"] == 422
        ws.send_json({"text": "hi"})
        assert ws.receive_json() == {"type": "typing"}
        assert ws.receive_json()["type"] == "messages"


# -- a deeply nested frame ---------------------------------------------------------------

DEEP = "[" * 30_000


def test_a_deeply_nested_first_frame_closes_with_4400(client: TestClient, chat: Chat) -> None:
    with client.websocket_connect(f"/api/v1/conversations/{chat.id}/ws") as ws:
        ws.send_text(DEEP)
        error = ws.receive_json()
        assert error["problem"]["status"] == 400
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4400


def test_a_deeply_nested_frame_after_ready_is_a_400_frame(client: TestClient, chat: Chat) -> None:
    with client.websocket_connect(f"/api/v1/conversations/{chat.id}/ws?token={chat.token}") as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_text(DEEP)
        error = ws.receive_json()
        assert error["type"] == "error"
        assert error["problem"]["status"] == 400
        ws.send_json({"text": "hi"})
        assert ws.receive_json() == {"type": "typing"}


def test_a_deeply_nested_http_body_is_a_400(client: TestClient, chat: Chat) -> None:
    r = client.post(
        f"/api/v1/conversations/{chat.id}/messages",
        content=DEEP,
        headers={**chat.headers, "Content-Type": "application/json"},
    )
    assert r.status_code in (400, 422)
    assert r.headers["content-type"].startswith("application/problem+json")


# -- hand-off tokens in the transcript ---------------------------------------------------


def test_the_transcript_keeps_hub_links_without_their_tokens(
    client: TestClient, settings: Settings
) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="I'd like to cancel order #1001")
    chat.verify("ava@example.com")
    live = block(chat.last["messages"][0], "order_card")["actions"][0]["url"]
    token = re.search(r"[?&]t=([^&]+)", live)
    assert token, live  # the shopper's reply signs in

    engine = create_engine(settings.resolved_database_url())
    with Session(engine) as db:
        stored = db.scalars(select(models.Message.blocks)).all()
    engine.dispose()
    assert token.group(1) not in json.dumps(stored)
    assert "/hub/orders/1001/cancel?lang=en" in json.dumps(stored)
    transcript = client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers).text
    assert token.group(1) not in transcript
    # the link the shopper got still works (the stored copy never did)
    browser = Shopper(TestClient(client.app))
    assert browser.get(urlsplit(live).path + "?" + urlsplit(live).query).status_code == 303
    assert "Signed in as Ava" in browser.get("/hub").text


# -- an over-long email, a world-readable key file ---------------------------------------


def test_a_1002_character_email_is_refused_in_chat_and_hub(
    client: TestClient, settings: Settings
) -> None:
    long_email = "a" * 60 + "@" + "b" * 937 + ".com"
    assert len(long_email) == 1002
    chat = Chat(client, locale="en")
    chat.send(text="where is my order?")
    reply = chat.send(text=long_email)
    assert reply["meta"]["outcome"] != "code_sent"
    hub = Shopper(TestClient(client.app)).ask_code(long_email)
    assert hub.status_code == 422
    engine = create_engine(settings.resolved_database_url())
    with Session(engine) as db:
        assert db.scalars(select(models.VerificationCode)).all() == []
    engine.dispose()


def test_the_demo_secret_key_file_is_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        Settings(data_dir=tmp_path / "data", demo=True, secret_key="").resolved_secret_key()
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "data" / "secret.key").stat().st_mode)
    assert mode == 0o600
