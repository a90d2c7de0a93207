"""One counter for codes, whatever the channel: chat and the Hub share the hourly limits."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import Chat
from tests.hub.shopping import Shopper

from deskhand.config import Settings

AVA = "ava@example.com"


def sent_to(client: TestClient, to: str) -> int:
    return len(client.get("/api/v1/dev/outbox", params={"to": to}).json()["messages"])


def chat_asks(client: TestClient, address: str) -> str:
    """A fresh conversation asks for a code for `address`; the agent's outcome."""
    chat = Chat(client)
    chat.send(text="can I cancel my order?")
    message = chat.send(text=address)
    outcome: str = message["meta"]["outcome"]
    return outcome


def hub_asks(client: TestClient, address: str) -> int:
    """A fresh browser asks the Hub for a sign-in code; the status (303 sent, 429 limited)."""
    return Shopper(TestClient(client.app)).ask_code(address).status_code


def test_six_chats_and_six_hub_sign_ins_send_five_codes_in_the_hour(
    client: TestClient, settings: Settings
) -> None:
    chats = [chat_asks(client, AVA) for _ in range(6)]
    hub = [hub_asks(client, AVA) for _ in range(6)]
    assert settings.codes_per_address_per_hour == 5
    assert chats == ["code_sent"] * 5 + ["rate_limited"]
    assert hub == [429] * 6
    assert sent_to(client, AVA) == 5


def test_hub_codes_count_against_the_chat_too(client: TestClient) -> None:
    asked = []
    for _ in range(6):
        asked += [hub_asks(client, AVA), chat_asks(client, AVA)]
    assert asked[:5] == [303, "code_sent", 303, "code_sent", 303]
    assert set(asked[5:]) == {429, "rate_limited"}
    assert sent_to(client, AVA) == 5


def test_one_client_gets_ten_codes_an_hour_across_chat_and_hub(
    client: TestClient, settings: Settings
) -> None:
    """Ten codes an hour per client (unknown addresses count too: the same answer for all)."""
    assert settings.codes_per_client_per_hour == 10
    for n in range(5):
        assert chat_asks(client, f"shopper{n}@example.com") == "code_sent"
        assert hub_asks(client, f"+3161234{n:04d}") == 303
    assert chat_asks(client, "one.more@example.com") == "rate_limited"
    assert hub_asks(client, AVA) == 429
    assert sent_to(client, AVA) == 0
