"""The agent asks when it is unsure, answers both parts of a two-part message, never acts on
a refused request, and keeps the conversation's language for messages too short to tell."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import SECRET, Chat, block, text_of

from deskhand.agent.conversations import start_conversation, take_turn
from deskhand.agent.engine import Agent
from deskhand.agent.replies.wording import catalogue
from deskhand.agent.understand.entities import extract_entities
from deskhand.agent.understand.intents import IntentGuess
from deskhand.agent.understand.reading import Reading
from deskhand.config import Settings
from deskhand.db import models


def unsure_reading(text: str, *candidates: tuple[str, float]) -> Reading:
    """What the reader returns when the head is in its unsure band for `text`."""
    (first, p1), (second, p2) = candidates[:2]
    guess = IntentGuess(first, p1, second, p2, tuple(candidates), unsure=True)
    return Reading(text, extract_entities(text), guess, latest=False)


def turn(session: Session, agent: Agent, conv: models.Conversation, **kwargs: object):  # type: ignore[no-untyped-def]
    return take_turn(
        session,
        agent,
        conv,
        client_key="test",
        now=datetime.now(UTC),
        base_url="http://testserver",
        **kwargs,  # type: ignore[arg-type]
    ).reply


@pytest.fixture
def agent(settings: Settings) -> Agent:
    return Agent(settings, SECRET)


@pytest.fixture
def conversation(session: Session) -> models.Conversation:
    brand = session.scalars(select(models.Brand)).one()
    conv, _ = start_conversation(
        session,
        brand=brand,
        channel="webchat",
        language="de",
        client_key="t",
        now=datetime.now(UTC),
    )
    return conv


def test_unsure_reading_asks_with_a_button_per_likely_request_then_continues(
    session: Session, agent: Agent, conversation: models.Conversation
) -> None:
    text = "Bestellung 1004 weg bitte"
    reading = unsure_reading(
        text, ("cancel_order", 0.46), ("change_item", 0.31), ("order_status", 0.12)
    )
    asked = turn(session, agent, conversation, text=text, action=None, reading=reading)
    assert (asked.skill, asked.outcome) == ("fallback", "asked_to_clarify")
    german = catalogue("de")
    assert asked.blocks[0] == {"type": "text", "text": german["clarify.question"]}
    buttons = block({"blocks": asked.blocks}, "buttons")["buttons"]
    assert [b["action"] for b in buttons] == [
        "intent:cancel_order",
        "intent:change_item",
        "intent:other",
    ]
    assert [b["label"] for b in buttons] == [
        german["clarify.cancel_order"],
        german["clarify.change_item"],
        german["clarify.something_else"],
    ]
    chosen = turn(session, agent, conversation, text=None, action="intent:cancel_order")
    # Carries on with the order named in the unsure message: sign in, then cancel #1004.
    assert (chosen.intent, chosen.outcome) == ("cancel_order", "needs_sign_in")
    assert chosen.blocks[0]["url"].endswith("/hub/sign-in?next=/hub/orders/1004/cancel")


def test_something_else_offers_a_human(
    session: Session, agent: Agent, conversation: models.Conversation
) -> None:
    reading = unsure_reading("hmm", ("order_status", 0.41), ("policy_shipping", 0.38))
    turn(session, agent, conversation, text="hmm", action=None, reading=reading)
    reply = turn(session, agent, conversation, text=None, action="intent:other")
    assert (reply.skill, reply.outcome) == ("fallback", "handoff_offered")


def test_unsure_between_smalltalk_answers_without_asking(
    session: Session, agent: Agent, conversation: models.Conversation
) -> None:
    reading = unsure_reading("schönen dank und tschüss", ("goodbye", 0.5), ("thanks", 0.45))
    reply = turn(session, agent, conversation, text="schönen Dank", action=None, reading=reading)
    assert (reply.intent, reply.skill) == ("goodbye", "smalltalk")


def test_refused_request_is_not_acted_on(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    reply = chat.send(text="I don't want to cancel order 1004, I just want to change the size")
    assert reply["meta"]["intent"] == "change_item"
    assert block(reply, "sign_in")["url"].endswith("next=/hub/orders/1004/edit")


def test_a_lone_refusal_asks_what_to_do_instead(client: TestClient) -> None:
    chat = Chat(client, locale="fr")
    reply = chat.send(text="je ne veux pas annuler ma commande")
    assert reply["meta"]["outcome"] == "asked_to_clarify"
    assert text_of(reply) == catalogue("fr")["clarify.refused"]
    actions = [b["action"] for b in block(reply, "buttons")["buttons"]]
    assert "intent:cancel_order" not in actions
    assert actions[-1] == "intent:other"
    chosen = chat.send(action=actions[0])
    assert chosen["meta"]["intent"] == actions[0].removeprefix("intent:")


def test_two_questions_in_one_message_are_both_answered(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    reply = chat.send(text="do you accept PayPal? and how long do deliveries to Belgium take?")
    titles = [a["title"] for b in reply["blocks"] if b["type"] == "sources" for a in b["articles"]]
    assert set(titles) == {"Payment methods", "Shipping and delivery times"}


# A short question of its own on another topic is not a follow-up of the last answer;
# one that opens as a follow-on asks the last question again about the new country.
TOPIC_SWITCH = [
    ("How long do refunds take?", "Do you ship to Norway?", "Norway"),
    ("Wie lange dauert die Erstattung?", "Liefert ihr nach Norwegen?", "Norwegen"),
    ("How long does shipping to Germany take?", "and to Norway?", "Norway"),
]


@pytest.mark.parametrize(("first", "then", "place"), TOPIC_SWITCH)
def test_a_new_question_after_an_answer_is_read_on_its_own(
    client: TestClient, first: str, then: str, place: str
) -> None:
    chat = Chat(client, locale="de" if "Norwegen" in then else "en")
    chat.send(text=first)
    reply = chat.send(text=then)
    assert place in text_of(reply)
    titles = [a["title"] for b in reply["blocks"] if b["type"] == "sources" for a in b["articles"]]
    assert titles in (["Shipping and delivery times"], ["Versand und Lieferzeiten"])


def test_order_request_and_policy_question_answer_the_question_then_ask_to_sign_in(
    client: TestClient,
) -> None:
    chat = Chat(client, locale="de")
    reply = chat.send(text="Ich möchte Bestellung 1004 stornieren. Kostet das eine Gebühr?")
    assert reply["meta"]["intent"] in {"cancel_order", "policy_changes"}
    kinds = [b["type"] for b in reply["blocks"]]
    assert "5,00" in text_of(reply)  # the cancellation fee, from the brand's rules
    assert kinds[-1] == "sign_in"  # the part that waits for the shopper comes last
    chat.verify("ben@example.com")
    resumed = chat.last["messages"][0]
    assert resumed["meta"]["intent"] == "cancel_order"
    assert block(resumed, "order_card")["order"]["number"] == "1004"


def test_two_order_requests_are_both_served_after_sign_in(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    first = chat.send(text="where is order 1002? and can I still change its delivery address?")
    assert first["meta"]["outcome"] == "needs_sign_in"
    chat.verify("ava@example.com")
    both = chat.last["messages"][0]
    intents = {both["meta"]["intent"]}
    assert intents <= {"order_status", "change_address"}
    cards = [b for b in both["blocks"] if b["type"] == "order_card"]
    assert len(cards) == 2
    assert {c["order"]["number"] for c in cards} == {"1002"}


@pytest.mark.parametrize(("lang", "short"), [("sv", "ok"), ("nl", "1002"), ("fr", "L")])
def test_too_short_to_tell_keeps_the_conversation_language(
    client: TestClient, lang: str, short: str
) -> None:
    chat = Chat(client, locale=lang)
    chat.send(text=short)
    assert chat.last["conversation"]["language"] == lang


def test_a_language_the_brand_does_not_speak_falls_back_to_the_brand_default(
    session: Session, agent: Agent
) -> None:
    # E.g. a channel that opened the conversation in the shopper's phone language.
    brand = session.scalars(select(models.Brand)).one()
    conv, _ = start_conversation(
        session, brand=brand, channel="sms", language="pt", client_key="t", now=datetime.now(UTC)
    )
    turn(session, agent, conv, text="ok", action=None)
    assert conv.language == brand.default_language == "en"
