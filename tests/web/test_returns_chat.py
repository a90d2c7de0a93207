"""Returns & Exchanges over the public API, in all six languages, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.conftest import Chat, block, text_of
from tests.web.test_conversations import LANGS, action_urls, verified_chat

from deskhand.db import models
from deskhand.knowledge.consistency import check_consistency

RETURN = {
    "en": "I'd like to return the tote bag from order {n}",
    "de": "Ich möchte etwas aus Bestellung {n} zurückschicken",
    "nl": "Ik wil iets uit bestelling {n} retourneren",
    "sv": "Jag vill returnera något från order {n}",
    "fr": "Je voudrais retourner un article de la commande {n}",
    "es": "Quiero devolver un artículo del pedido {n}",
}
REFUND = {
    "en": "where is my refund for the boots?",
    "de": "Wo bleibt meine Erstattung für die Wanderschuhe?",
    "nl": "waar blijft mijn terugbetaling voor de schoenen?",
    "sv": "var är min återbetalning för kängorna?",
    "fr": "où en est mon remboursement pour les chaussures ?",
    "es": "¿dónde está mi reembolso de las botas?",
}


@pytest.mark.parametrize("lang", LANGS)
def test_eligible_order_gets_start_a_return(client: TestClient, lang: str) -> None:
    _, reply = verified_chat(client, lang, RETURN[lang].format(n="1003"))
    assert reply["meta"] == {
        "intent": "return_request",
        "skill": "returns",
        "outcome": "routed_to_returns",
    }
    assert reply["language"] == lang
    assert "1003" in text_of(reply)
    assert action_urls(reply) == ["http://testserver/hub/orders/1003/return"]


@pytest.mark.parametrize("lang", LANGS)
def test_outside_the_window_says_how_long_ago_and_the_window(client: TestClient, lang: str) -> None:
    _, reply = verified_chat(client, lang, RETURN[lang].format(n="1005"))
    assert reply["meta"]["outcome"] == "not_eligible"
    said = text_of(reply)
    assert "45" in said
    assert "30" in said
    assert action_urls(reply) == []


@pytest.mark.parametrize("lang", LANGS)
def test_mixed_order_names_what_can_go_back_and_why_not(client: TestClient, lang: str) -> None:
    _, reply = verified_chat(client, lang, RETURN[lang].format(n="1010"))
    assert reply["meta"]["outcome"] == "routed_to_returns"
    said = text_of(reply)
    assert "Rain Hat" in said
    assert "Fleece Pullover" in said
    # The final-sale pullover is named in the reason, the rain hat in what can go back.
    assert said.index("Rain Hat") < said.index("Fleece Pullover")
    assert action_urls(reply) == ["http://testserver/hub/orders/1010/return"]


@pytest.mark.parametrize("lang", LANGS)
def test_where_is_my_refund_reports_the_return_and_when_money_arrives(
    client: TestClient, lang: str
) -> None:
    chat = Chat(client, locale=lang)
    first = chat.send(text=REFUND[lang])
    assert first["meta"] == {
        "intent": "refund_status",
        "skill": "returns",
        "outcome": "needs_sign_in",
    }
    chat.verify("ava@example.com")
    reply = chat.last["messages"][0]
    assert reply["meta"]["outcome"] == "answered"
    said = text_of(reply)
    assert "RMA-1011-1" in said
    assert "1011" in said
    assert "149" in said  # the refund: the boots' price
    assert block(reply, "order_card")["order"]["number"] == "1011"
    assert action_urls(reply) == ["http://testserver/hub/orders/1011/return"]


def test_the_returned_boots_cannot_be_returned_twice(ava_verified: Chat) -> None:
    reply = ava_verified.send(text="I want to return the hiking boots")
    assert reply["meta"]["outcome"] == "not_eligible"
    assert "already on a return" in text_of(reply)


def test_without_an_order_named_the_latest_returnable_is_picked(ava_verified: Chat) -> None:
    """Ava has two delivered orders; only #1003 still has something to send back."""
    reply = ava_verified.send(text="I want to return something")
    assert reply["meta"]["outcome"] == "routed_to_returns"
    assert block(reply, "order_card")["order"]["number"] == "1003"


def test_delivered_exchange_is_a_return(ava_verified: Chat) -> None:
    reply = ava_verified.send(text="can I exchange the tote from order 1003 for another colour?")
    assert reply["meta"]["skill"] == "returns"
    assert reply["meta"]["outcome"] == "routed_to_returns"


def _set_provider(session: Session, **policy: object) -> None:
    brand = session.scalars(select(models.Brand)).one()
    brand.policy = {**brand.policy, **policy}
    session.commit()


@pytest.mark.parametrize(
    ("policy", "reason"),
    [
        ({"returns_provider": "none"}, "no_provider"),
        ({"hub_enabled": False}, "hub_off"),
        ({"returns_provider": "loop"}, "provider_not_connected"),
    ],
)
def test_limited_mode_hands_off_softly_and_records_why(
    client: TestClient, session: Session, policy: dict[str, object], reason: str
) -> None:
    _set_provider(session, **policy)
    chat = Chat(client, locale="en")
    reply = chat.send(text="I'd like to return the tote bag from order 1003")
    assert reply["meta"] == {
        "intent": "return_request",
        "skill": "returns",
        "outcome": "handoff_offered",
    }
    assert block(reply, "handoff_prompt")
    # Policy questions are still answered, without sign-in.
    policy_reply = chat.send(text="what is your return policy?")
    assert policy_reply["meta"]["outcome"] == "answered"
    session.expire_all()
    events = session.scalars(
        select(models.AnalyticsEvent).where(models.AnalyticsEvent.name == "returns.troubleshooting")
    ).all()
    assert [(e.props["case"], e.props["reason"]) for e in events] == [
        ("handoff_unavailable", reason)
    ]
    assert events[0].conversation_id == chat.id


def test_troubleshooting_records_not_signed_in_and_not_eligible(
    client: TestClient, session: Session
) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="I want to return something from order 1005")
    chat.verify("ben@example.com")
    events = session.scalars(
        select(models.AnalyticsEvent)
        .where(models.AnalyticsEvent.name == "returns.troubleshooting")
        .order_by(models.AnalyticsEvent.id)
    ).all()
    assert [e.props["case"] for e in events] == ["not_signed_in", "not_eligible"]
    assert events[1].props["reasons"] == ["return_window_passed"]
    assert events[1].props["order"] == "1005"


def test_an_answer_from_an_outdated_return_policy_is_recorded(
    client: TestClient, session: Session
) -> None:
    brand = session.scalars(select(models.Brand)).one()
    brand.policy = {**brand.policy, "return_window_days": 14}  # the article still says 30
    check_consistency(session, brand, datetime.now(UTC))
    session.commit()
    chat = Chat(client, locale="en")
    reply = chat.send(text="How long do I have to return an item?")
    assert reply["meta"]["outcome"] == "answered"
    assert "14" in text_of(reply)  # the rules answer; the article is outdated
    events = session.scalars(
        select(models.AnalyticsEvent).where(models.AnalyticsEvent.name == "returns.troubleshooting")
    ).all()
    assert [(e.props["case"], e.props["facets"]) for e in events] == [
        ("outdated_policy", ["return_window"])
    ]
    assert events[0].props["articles"] == ["Returns and exchanges"]


def test_changing_a_returned_order_says_it_is_already_on_a_return(ava_verified: Chat) -> None:
    reply = ava_verified.send(text="I'd like to change something in order #1011")
    assert reply["meta"]["outcome"] == "not_eligible"
    assert "Hiking Boots is already on a return." in text_of(reply)
