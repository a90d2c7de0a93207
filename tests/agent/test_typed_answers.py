"""Typed answers to the agent's buttons in six languages, and buttons that no longer apply."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.conftest import Chat, text_of

from deskhand.agent.understand.typed_answers import asks_if_done, typed_choice

ASK_FOR_HUMAN = {
    "en": "I want to talk to a person",
    "de": "Ich möchte mit einem Menschen sprechen",
    "nl": "Ik wil met een medewerker praten",
    "sv": "Jag vill prata med en människa",
    "fr": "Je veux parler à un conseiller",
    "es": "Quiero hablar con una persona",
}
YES = {
    "en": ["yes", "Yes please!", "sure"],
    "de": ["ja", "Ja, gerne", "klar"],
    "nl": ["ja", "Ja graag", "prima"],
    "sv": ["ja", "Ja tack", "gärna"],
    "fr": ["oui", "Oui, s'il vous plaît", "d'accord"],
    "es": ["sí", "Sí, por favor", "vale"],
}
NO = {
    "en": ["no", "No thanks"],
    "de": ["nein", "Nein danke"],
    "nl": ["nee", "Nee, dank je"],
    "sv": ["nej", "Nej tack"],
    "fr": ["non", "Non merci"],
    "es": ["no", "No, gracias"],
}
HANDOFF = [("handoff:yes", "Yes, connect me"), ("handoff:no", "No, thanks")]
POLAR = {"handoff:yes": True, "handoff:no": False}


@pytest.mark.parametrize("lang", list(YES))
def test_yes_and_no_words_of_every_language_press_the_right_button(lang: str) -> None:
    for said in YES[lang]:
        assert typed_choice(said, HANDOFF, POLAR) == "handoff:yes", said
    for said in NO[lang]:
        assert typed_choice(said, HANDOFF, POLAR) == "handoff:no", said


def test_a_longer_message_or_no_buttons_is_read_as_a_message() -> None:
    assert typed_choice("yes but also cancel my order 1004", HANDOFF, POLAR) is None
    assert typed_choice("hello", HANDOFF, POLAR) is None
    assert typed_choice("yes", [], POLAR) is None


def test_numbers_ordinals_and_labels_choose_among_buttons() -> None:
    orders = [("order:1001", "#1001 · Trail Jacket"), ("order:1003", "#1003 · Rain Boots")]
    assert typed_choice("2", orders, {}) == "order:1003"
    assert typed_choice("die zweite", orders, {}) == "order:1003"
    assert typed_choice("la première", orders, {}) == "order:1001"
    assert typed_choice("Trail jacket", orders, {}) == "order:1001"
    assert typed_choice("3", orders, {}) is None
    assert typed_choice("1001", orders, {}) is None  # an order number is read as one


def test_questions_whether_a_change_went_through() -> None:
    for said in (
        "Ist die Größe jetzt geändert?",
        "Has it been changed?",
        "Is de maat gewijzigd?",
        "Har storleken ändrats?",
        "Est-ce que la taille est modifiée ?",
        "¿Ya está cambiada la talla?",
    ):
        assert asks_if_done(said), said
    assert not asks_if_done("I want to change the size")
    assert not asks_if_done("Kann ich die Größe ändern?")


@pytest.mark.parametrize("lang", list(YES))
def test_a_typed_yes_after_the_offer_of_a_person_is_the_yes_button(
    client: TestClient, lang: str
) -> None:
    chat = Chat(client, locale=lang)
    offered = chat.send(text=ASK_FOR_HUMAN[lang])
    assert offered["meta"]["outcome"] == "handoff_offered", text_of(offered)
    accepted = chat.send(text=YES[lang][1])
    assert accepted["meta"]["outcome"] == "handoff_requested", text_of(accepted)
    assert chat.last["conversation"]["status"] == "handoff_requested"


@pytest.mark.parametrize("lang", list(NO))
def test_a_typed_no_declines(client: TestClient, lang: str) -> None:
    chat = Chat(client, locale=lang)
    chat.send(text=ASK_FOR_HUMAN[lang])
    declined = chat.send(text=NO[lang][1])
    assert declined["meta"]["outcome"] == "handoff_declined"


def test_handoff_buttons_are_retired_once_answered(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    chat.send(text=ASK_FOR_HUMAN["en"])
    chat.send(action="handoff:yes")
    r = client.post(
        f"/api/v1/conversations/{chat.id}/messages",
        json={"action": "handoff:yes"},
        headers=chat.headers,
    )
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["title"] == "Button no longer applies"


def test_send_a_new_code_is_retired_after_verification(ava_verified: Chat) -> None:
    r = ava_verified.client.post(
        f"/api/v1/conversations/{ava_verified.id}/messages",
        json={"action": "verify:resend"},
        headers=ava_verified.headers,
    )
    assert r.status_code == 409
    outbox = ava_verified.client.get("/api/v1/dev/outbox", params={"to": "ava@example.com"})
    assert len(outbox.json()["messages"]) == 1  # no second code


def test_an_action_never_offered_is_still_unknown(chat: Chat) -> None:
    r = chat.client.post(
        f"/api/v1/conversations/{chat.id}/messages",
        json={"action": "handoff:yes"},
        headers=chat.headers,
    )
    assert r.status_code == 422
