"""A verified conversation hands the shopper to the Hub: no second verification."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.conftest import Chat, block
from tests.hub.shopping import Shopper, shift_times

from deskhand.db.models import HubHandoff

ASK = {
    "en": "I'd like to change something in order #1001",
    "de": "Ich möchte etwas an Bestellung #1001 ändern",
}


def edit_link(client: TestClient, lang: str = "en") -> str:
    chat = Chat(client, locale=lang)
    chat.send(text=ASK[lang])
    chat.verify("ava@example.com")
    card = block(chat.last["messages"][0], "order_card")
    url: str = card["actions"][0]["url"]
    return url


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_verified_chat_link_signs_in_and_lands_on_the_clean_tab(client: TestClient) -> None:
    url = edit_link(client)
    assert url.startswith("http://testserver/hub/orders/1001/edit?lang=en&t=")
    browser = Shopper(TestClient(client.app))
    first = browser.get(path_and_query(url))
    assert first.status_code == 303
    assert first.headers["location"] == "/hub/orders/1001/edit"  # no token left behind
    page = browser.get("/hub/orders/1001/edit")
    assert page.status_code == 200
    assert "Signed in as Ava" in page.text


def test_the_hand_off_works_once(client: TestClient) -> None:
    url = edit_link(client)
    Shopper(TestClient(client.app)).get(path_and_query(url))
    stranger = Shopper(TestClient(client.app))
    replay = stranger.get(path_and_query(url))
    assert replay.status_code == 303
    assert replay.headers["location"].startswith("/hub/sign-in?next=%2Fhub%2Forders%2F1001%2Fedit")
    assert "reason=link" in replay.headers["location"]
    assert stranger.get("/hub/orders/1001/edit").status_code == 303


def test_the_hand_off_expires_after_fifteen_minutes(client: TestClient, db: Session) -> None:
    url = edit_link(client)
    shift_times(db, HubHandoff, timedelta(minutes=16), "expires_at")
    browser = Shopper(TestClient(client.app))
    assert browser.get(path_and_query(url)).headers["location"].startswith("/hub/sign-in")


def test_hand_off_link_opens_the_hub_in_the_chat_language(client: TestClient) -> None:
    url = edit_link(client, "de")
    assert "lang=de" in url
    browser = Shopper(TestClient(client.app))
    browser.get(path_and_query(url))
    assert "Bestellung #1001" in browser.get("/hub/orders/1001/edit").text


def test_unverified_chat_sends_the_shopper_through_sign_in(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    reply = chat.send(text="I need to cancel order 1004")
    url = block(reply, "sign_in")["url"]
    assert "t" not in parse_qs(urlsplit(url).query)
    browser = Shopper(TestClient(client.app))
    r = browser.get(path_and_query(url))
    assert r.status_code == 200
    assert "Sign in" in r.text
    assert 'name="next" value="/hub/orders/1004/cancel"' in r.text
