"""The Conversations API gives the same answers on a Shopify brand as on the embedded store.

A representative set of the foundation's scenarios (verification, tracking, order editing,
cancellation, returns routing, another shopper's order) runs on the demo's embedded store,
then the demo brand moves onto a fake Shopify holding the same data (synced, see
tests/shopify_store.py) and the same scenarios run again: every reply must be the same,
block for block, but for ids and one-time tokens. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.conftest import Chat, block
from tests.shopify_store import demo_as_fake_shopify, move_demo_to_shopify

from deskhand.config import Settings
from deskhand.web.app import create_app

# (language, the shopper's messages: the first asks, then the email verifies it, then more)
SCENARIOS: dict[str, tuple[str, str, list[str]]] = {
    "tracking": ("en", "chloe@example.com", ["where is my order 1009?"]),
    "change_last": ("de", "ava@example.com", ["Kann ich die Größe meiner letzten Bestellung ändern?"]),  # noqa: E501
    "cancel_with_fee": ("fr", "ben@example.com", ["Je voudrais annuler la commande 1004"]),
    "cancel_free": ("nl", "ava@example.com", ["Ik wil bestelling 1001 annuleren"]),
    "partly_shipped": ("es", "ava@example.com", ["Quiero modificar algo del pedido #1002"]),
    "delivered_returns": ("sv", "ava@example.com", ["Jag vill ändra något i beställning #1003"]),
    "return_window_over": ("en", "ben@example.com", ["Can I still change order #1005?"]),
    "personalised": ("en", "ben@example.com", ["I'd like to change something in order #1006"]),
    "preorder": ("nl", "chloe@example.com", ["Ik wil iets aanpassen aan bestelling #1007"]),
    "cancelled": ("en", "chloe@example.com", ["I'd like to change something in order #1008"]),
    "shipped_no_cancel": ("es", "chloe@example.com", ["Necesito cancelar el pedido 1009"]),
    "which_order": ("en", "ben@example.com", ["I want to cancel my order", "order:1004"]),
    "not_yours": ("en", "ava@example.com", ["where is order 1001?", "I need to cancel order 1004"]),
}  # fmt: skip
_TOKEN = re.compile(r"([?&]t=)[A-Za-z0-9_\-]{43}")


def normalised(value: Any) -> Any:
    """The reply without what differs between two runs by design: ids and one-time tokens."""
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items() if k not in ("id", "created_at")}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if isinstance(value, str):
        return _TOKEN.sub(r"\1…", value)
    return value


def run(client: TestClient, lang: str, email: str, messages: list[str]) -> list[Any]:
    chat = Chat(client, locale=lang)
    replies = [chat.send(text=messages[0])]
    chat.verify(email)
    replies.append(chat.last["messages"][0])
    for text in messages[1:]:
        if text.startswith("order:"):
            replies.append(chat.send(action=text))
        else:
            replies.append(chat.send(text=text))
    return [normalised({k: r[k] for k in ("language", "blocks", "meta")}) for r in replies]


@pytest.fixture
def roomy_client(settings: Settings, demo_db: Engine) -> Iterator[TestClient]:
    """The app with room for every scenario's conversation and sign-in code, twice."""
    roomy = settings.model_copy(
        update={
            "codes_per_address_per_hour": 100,
            "codes_per_client_per_hour": 100,
            "conversations_per_minute": 100,
            "messages_per_minute": 200,
        }
    )
    with TestClient(create_app(roomy)) as client:
        yield client


def test_every_scenario_answers_the_same_on_shopify_as_on_the_embedded_store(
    roomy_client: TestClient, settings: Settings
) -> None:
    embedded = {name: run(roomy_client, *spec) for name, spec in SCENARIOS.items()}
    # The answers are the ones the foundation's tests expect (tests/web/test_conversations.py).
    assert embedded["tracking"][-1]["meta"]["outcome"] == "answered"
    assert (
        block(embedded["tracking"][-1], "order_card")["order"]["shipments"][0]["carrier"] == "DHL"
    )
    assert embedded["cancel_with_fee"][-1]["meta"]["outcome"] == "hub_link"
    assert embedded["delivered_returns"][-1]["meta"]["outcome"] == "routed_to_returns"
    assert embedded["return_window_over"][-1]["meta"]["outcome"] == "not_eligible"
    assert embedded["not_yours"][-1]["meta"]["outcome"] == "order_not_found"
    with demo_as_fake_shopify(settings) as fake:
        move_demo_to_shopify(settings, fake)
        on_shopify = {name: run(roomy_client, *spec) for name, spec in SCENARIOS.items()}
    for name in SCENARIOS:
        assert on_shopify[name] == embedded[name], name
