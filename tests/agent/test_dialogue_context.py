"""The conversation keeps its context, in six languages, over the Conversations API on SQLite
and PostgreSQL: answers to "which order?" by product, position, day and state, "I just
ordered", where-is-my-order over several orders, "the other one", follow-ups, discourse
words, greeting plus request, closings and typos.

The conversations are the ones `deskhand bench dialogue` plays
(`tests/data/dialogues/<lang>.toml`); here every behaviour of every language must pass.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.conftest import Chat

from deskhand.bench.dialogue import BEHAVIOURS, LANGUAGES, load, play

CODE = re.compile(r"\b\d{6}\b")


def _play_all(client: TestClient, lang: str, behaviour: str) -> list[str]:
    failures: list[str] = []
    conversations = [c for c in load(lang) if c.behaviour == behaviour]
    assert conversations, f"no {behaviour} conversation in {lang}"
    for conv in conversations:
        chat = Chat(client, locale=lang)

        def send(text: str, chat: Chat = chat) -> dict[str, Any]:
            if text.startswith("!"):
                return chat.send(action=text[1:])
            return chat.send(text=text)

        def code_for(email: str) -> str:
            sent = client.get("/api/v1/dev/outbox", params={"to": email}).json()["messages"]
            found = CODE.search(sent[0]["subject"]) if sent else None
            return found.group(0) if found else "000000"

        result = play(conv, send, code_for, datetime.now(UTC))
        failures += [f"{conv.turns[0][0]!r}: {f}" for f in result.failures]
    return failures


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_behaviour_in_every_language(client: TestClient, lang: str, behaviour: str) -> None:
    assert _play_all(client, lang, behaviour) == []


def test_every_language_has_25_conversations_covering_every_behaviour() -> None:
    for lang in LANGUAGES:
        conversations = load(lang)
        assert len(conversations) >= 25, lang
        assert {c.behaviour for c in conversations} == set(BEHAVIOURS), lang


def test_a_refused_guess_is_not_resumed(client: TestClient) -> None:
    """A reply to "which order?" that points at no order shown is not read as one."""
    chat = Chat(client, locale="en")
    chat.send(text="I want to cancel my order")
    chat.verify("ben@example.com")
    assert chat.last["messages"][0]["meta"]["outcome"] == "asked_which_order"
    reply = chat.send(text="the one with the teapot")
    assert reply["meta"]["outcome"] != "hub_link"
    assert not [b for b in reply["blocks"] if b["type"] == "order_card"]
