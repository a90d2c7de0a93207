"""A change made in the Hub is posted into the open conversation, and the agent confirms it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.confirmations.test_confirmations import cancel
from tests.conftest import Chat, block, text_of
from tests.hub.shopping import Shopper


def _swap(shopper: Shopper) -> None:
    page = shopper.get("/hub/orders/1001/edit").text
    jacket = page[page.index("Trail Jacket") :]
    item = re.search(r'name="item" value="(\d+)"', jacket)
    olive = re.search(r'<option value="(\d+)">L / Olive</option>', jacket)
    assert item
    assert olive
    r = shopper.form(
        "/hub/orders/1001/edit",
        "/hub/orders/1001/edit/variant",
        {"item": item.group(1), "variant": olive.group(1)},
    )
    assert r.status_code == 303


def test_a_size_changed_in_the_hub_is_told_to_the_chat_and_confirmed_in_german(
    client: TestClient,
) -> None:
    chat = Chat(client, locale="de")
    chat.send(text="Kann ich die Größe meiner Bestellung 1001 ändern?")
    chat.verify("ava@example.com")
    ava = Shopper(client)
    ava.sign_in("ava@example.com")
    _swap(ava)
    transcript = client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers).json()
    news = transcript["messages"][-1]
    assert (news["role"], news["meta"]["outcome"]) == ("agent", "changed_in_hub")
    assert "Neuigkeit aus dem Kundenbereich" in text_of(news)
    assert "Trail Jacket: M / Navy" in text_of(news)
    asked = chat.send(text="Ist die Größe jetzt geändert?")
    assert asked["meta"]["outcome"] == "change_confirmed"
    said = text_of(asked)
    assert said.startswith("Ja, das ist erledigt: Du hast Bestellung #1001 um ")
    assert "Uhr Ortszeit Amsterdam im Kundenbereich geändert" in said
    assert "L / Olive" in said
    assert "Die Bestätigung ging an ava@example.com." in said
    card = block(asked, "order_card")
    assert any(i["variant"] == "L / Olive" for i in card["order"]["items"])


def test_a_cancellation_in_the_hub_is_confirmed_with_fee_and_refund(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="I want to cancel order 1004")
    chat.verify("ben@example.com")
    ben = Shopper(client)
    ben.sign_in("ben@example.com")
    cancel(ben, "1004")
    asked = chat.send(text="Is my order cancelled now?")
    assert asked["meta"]["outcome"] == "change_confirmed"
    assert "Yes, order #1004 is cancelled" in text_of(asked)
    assert "Cancellation fee €5.00; we refund €203.00 within 5 business days." in text_of(asked)


def test_asking_before_anything_changed_says_so(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="Can I change the size of order 1001?")
    chat.verify("ava@example.com")
    asked = chat.send(text="Has it been changed?")
    assert "I don't see a change to order #1001" in text_of(asked)


def test_the_hub_news_retires_the_buttons_shown_before_it(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="Where is my order 1001?")
    chat.verify("ava@example.com")
    offered = chat.send(text="I want to talk to a person")
    assert offered["meta"]["outcome"] == "handoff_offered"
    ava = Shopper(client)
    ava.sign_in("ava@example.com")
    _swap(ava)
    r = client.post(
        f"/api/v1/conversations/{chat.id}/messages",
        json={"action": "handoff:yes"},
        headers=chat.headers,
    )
    assert r.status_code == 409


def test_a_question_about_the_refund_is_left_to_the_refund_answer(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="Where is my order 1001?")
    chat.verify("ava@example.com")
    asked = chat.send(text="Is my refund done?")
    assert asked["meta"]["outcome"] != "change_confirmed"
    assert "I don't see a change" not in text_of(asked)
