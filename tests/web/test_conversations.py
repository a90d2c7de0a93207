"""Whole conversations over the public API, in all six languages, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.conftest import Chat, block, text_of

LANGS = ["en", "de", "nl", "sv", "fr", "es"]

CHANGE_LAST = {
    "en": "Can I change the size of my last order?",
    "de": "Kann ich die Größe meiner letzten Bestellung ändern?",
    "nl": "Kan ik de maat van mijn laatste bestelling nog aanpassen?",
    "sv": "Kan jag byta storlek på min senaste beställning?",
    "fr": "Est-ce que je peux changer la taille de ma dernière commande ?",
    "es": "¿Puedo cambiar la talla de mi último pedido?",
}
CANCEL = {
    "en": "I need to cancel order {n}",
    "de": "Ich muss meine Bestellung {n} stornieren",
    "nl": "Ik wil bestelling {n} annuleren",
    "sv": "Jag vill avbeställa order {n}",
    "fr": "Je voudrais annuler la commande {n}",
    "es": "Necesito cancelar el pedido {n}",
}
CHANGE = {
    "en": "I'd like to change something in order #{n}",
    "de": "Ich möchte etwas an Bestellung #{n} ändern",
    "nl": "Ik wil iets aanpassen aan bestelling #{n}",
    "sv": "Jag vill ändra något i beställning #{n}",
    "fr": "Je voudrais modifier quelque chose dans la commande n°{n}",
    "es": "Quiero modificar algo del pedido #{n}",
}
ADD_ITEM = {
    "en": "can I add a beanie to my order?",
    "de": "Kann ich noch eine Mütze zu meiner Bestellung hinzufügen?",
    "nl": "kan ik nog een muts aan mijn bestelling toevoegen?",
    "sv": "kan jag lägga till en mössa i min beställning?",
    "fr": "je peux ajouter un bonnet à ma commande ?",
    "es": "¿puedo añadir un gorro a mi pedido?",
}
POLICY = {  # (question, expected article title: the help centre's, in the shopper's language)
    "en": ("how long do deliveries to Belgium take?", "Shipping and delivery times"),
    "de": ("Wie lange habe ich Zeit, etwas zurückzuschicken?", "Rücksendung und Umtausch"),
    "nl": ("kost annuleren geld?", "Bestelling wijzigen of annuleren"),
    "sv": ("vilka betalningsmetoder tar ni emot?", "Betalningssätt"),
    "fr": ("quelle est votre politique de retour ?", "Retours et échanges"),
    "es": ("¿cuánto tarda el envío a España?", "Envíos y plazos de entrega"),
}
OUT_OF_SCOPE = {
    "en": "can you recommend a good hiking trail near Oslo?",
    "de": "Welche Jacke empfiehlst du mir für eine Wanderung in Schottland?",
    "nl": "hebben jullie vacatures?",
    "sv": "kan du berätta ett skämt?",
    "fr": "quel temps fait-il à Lyon demain ?",
    "es": "¿tenéis tienda física en Madrid?",
}
WHO = {
    "1001": "ava@example.com",
    "1002": "ava@example.com",
    "1003": "ava@example.com",
    "1004": "ben@example.com",
    "1005": "ben@example.com",
    "1006": "ben@example.com",
    "1007": "chloe@example.com",
    "1008": "chloe@example.com",
    "1009": "chloe@example.com",
    "1010": "chloe@example.com",
}


def verified_chat(client: TestClient, lang: str, request: str) -> tuple[Chat, dict]:
    """Ask `request` unverified, verify as the order's owner, return the resumed reply."""
    chat = Chat(client, locale=lang)
    first = chat.send(text=request)
    assert first["meta"]["outcome"] == "needs_sign_in", first
    assert block(first, "sign_in")["url"].startswith("http://testserver/hub/sign-in")
    number = next((n for n in WHO if n in request), "1001")
    chat.verify(WHO[number])
    return chat, chat.last["messages"][0]


def card_items(message: dict) -> dict[str, bool]:
    return {i["title"]: i["editable"] for i in block(message, "order_card")["order"]["items"]}


def action_urls(message: dict) -> list[str]:
    """The card's Hub links without their query (language, one-time sign-in token)."""
    urls = [a.get("url", "") for a in block(message, "order_card")["actions"]]
    for url in urls:
        _, _, query = url.partition("?")
        assert not query or re.fullmatch(r"lang=[a-z]{2}&t=[A-Za-z0-9_\-]{43}", query), url
    return [url.partition("?")[0] for url in urls]


@pytest.mark.parametrize("lang", LANGS)
def test_change_request_signs_in_then_links_to_hub_edit(client: TestClient, lang: str) -> None:
    chat, reply = verified_chat(client, lang, CHANGE_LAST[lang])
    # Swedish "byta storlek" reads as an exchange; on an unshipped order that is a change.
    assert reply["meta"]["intent"] in {"change_item", "exchange"}
    assert reply["meta"]["skill"] == "order_editing"
    assert reply["meta"]["outcome"] == "hub_link"
    assert reply["language"] == lang
    assert block(reply, "order_card")["order"]["number"] == "1001"
    assert action_urls(reply) == ["http://testserver/hub/orders/1001/edit"]
    assert "#1001" in text_of(reply)
    assert chat.last["conversation"] == {"status": "open", "language": lang, "verified": True}


@pytest.mark.parametrize("lang", LANGS)
def test_cancel_after_free_window_quotes_the_fee(client: TestClient, lang: str) -> None:
    _, reply = verified_chat(client, lang, CANCEL[lang].format(n="1004"))
    assert reply["meta"]["intent"] == "cancel_order"
    assert reply["meta"]["outcome"] == "hub_link"
    assert "5,00" in text_of(reply) or "5.00" in text_of(reply)
    assert "203" in text_of(reply)  # refund: 189.00 + 19.00 - 5.00
    assert action_urls(reply) == ["http://testserver/hub/orders/1004/cancel"]


@pytest.mark.parametrize("lang", LANGS)
def test_cancel_within_window_is_free(client: TestClient, lang: str) -> None:
    _, reply = verified_chat(client, lang, CANCEL[lang].format(n="1001"))
    assert reply["meta"]["outcome"] == "hub_link"
    assert "5,00" not in text_of(reply)
    assert "5.00" not in text_of(reply)
    assert "224" in text_of(reply)  # everything back


@pytest.mark.parametrize("lang", LANGS)
def test_partially_shipped_order_lets_only_unshipped_items_change(
    client: TestClient, lang: str
) -> None:
    _, reply = verified_chat(client, lang, CHANGE[lang].format(n="1002"))
    assert reply["meta"]["outcome"] == "hub_link"
    assert card_items(reply) == {"Trail Jacket": False, "Wool Socks": True}
    assert "Trail Jacket" in text_of(reply)
    assert "Wool Socks" in text_of(reply)
    shipment = block(reply, "order_card")["order"]["shipments"][0]
    assert shipment["carrier"] == "PostNL"
    assert shipment["tracking_url"].startswith("https://")


@pytest.mark.parametrize("lang", LANGS)
def test_delivered_order_routes_to_returns(client: TestClient, lang: str) -> None:
    _, reply = verified_chat(client, lang, CHANGE[lang].format(n="1003"))
    assert reply["meta"]["outcome"] == "routed_to_returns"
    assert action_urls(reply) == ["http://testserver/hub/orders/1003/return"]


@pytest.mark.parametrize("lang", ["en", "de", "sv"])
def test_delivered_long_ago_says_return_window_ended(client: TestClient, lang: str) -> None:
    _, reply = verified_chat(client, lang, CHANGE[lang].format(n="1005"))
    assert reply["meta"]["outcome"] == "not_eligible"
    assert "30" in text_of(reply)
    assert action_urls(reply) == []


@pytest.mark.parametrize("lang", LANGS)
def test_personalised_item_is_not_editable_and_says_why(client: TestClient, lang: str) -> None:
    _, reply = verified_chat(client, lang, CHANGE[lang].format(n="1006"))
    assert reply["meta"]["outcome"] == "hub_link"
    assert card_items(reply) == {"Personalised Enamel Mug": False, "Travel Kettle": True}
    assert "Personalised Enamel Mug" in text_of(reply)


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_preorder_cannot_change_but_can_cancel_free(client: TestClient, lang: str) -> None:
    _, reply = verified_chat(client, lang, CHANGE[lang].format(n="1007"))
    assert reply["meta"]["outcome"] == "not_eligible"
    assert card_items(reply) == {"Expedition Parka": False}
    assert action_urls(reply) == ["http://testserver/hub/orders/1007/cancel"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_shipped_order_cannot_be_cancelled_and_goes_to_returns(
    client: TestClient, lang: str
) -> None:
    _, reply = verified_chat(client, lang, CANCEL[lang].format(n="1009"))
    assert reply["meta"]["outcome"] == "routed_to_returns"
    assert "http://testserver/hub/orders/1009/return" in action_urls(reply)


def test_cancelled_order_has_nothing_to_change(client: TestClient) -> None:
    _, reply = verified_chat(client, "en", CHANGE["en"].format(n="1008"))
    assert reply["meta"]["outcome"] == "not_eligible"
    assert block(reply, "order_card")["order"]["status"] == "cancelled"


@pytest.mark.parametrize("lang", LANGS)
def test_another_customers_order_reveals_nothing(client: TestClient, lang: str) -> None:
    chat, _ = verified_chat(client, lang, CHANGE_LAST[lang])  # Ava
    theirs = chat.send(text=CANCEL[lang].format(n="1004"))  # Ben's order
    missing = chat.send(text=CANCEL[lang].format(n="9999"))  # no such order
    assert theirs["meta"]["outcome"] == missing["meta"]["outcome"] == "order_not_found"
    assert text_of(theirs) == text_of(missing).replace("9999", "1004")
    assert [b["type"] for b in theirs["blocks"]] == ["text"]
    assert "Trail Jacket" not in str(theirs)
    assert "Ben" not in str(theirs)


@pytest.mark.parametrize("lang", LANGS)
def test_adding_items_is_not_supported_and_suggests_a_new_order(
    client: TestClient, lang: str
) -> None:
    reply = Chat(client, locale=lang).send(text=ADD_ITEM[lang])
    assert reply["meta"] == {
        "intent": "add_item",
        "skill": "order_editing",
        "outcome": "not_supported",
    }
    assert block(reply, "link")["url"] == "http://testserver/demo/shop"


@pytest.mark.parametrize("lang", LANGS)
def test_policy_question_is_answered_with_sources(client: TestClient, lang: str) -> None:
    question, title = POLICY[lang]
    reply = Chat(client).send(text=question)
    assert reply["meta"]["skill"] == "policy"
    assert reply["meta"]["outcome"] == "answered"
    assert reply["language"] == lang
    articles = block(reply, "sources")["articles"]
    assert [a["title"] for a in articles] == [title]
    assert articles[0]["url"].startswith("http://testserver/help/")
    assert client.get(articles[0]["url"].removeprefix("http://testserver")).status_code == 200


@pytest.mark.parametrize("lang", LANGS)
def test_out_of_scope_offers_a_human(client: TestClient, lang: str) -> None:
    chat = Chat(client, locale=lang)
    reply = chat.send(text=OUT_OF_SCOPE[lang])
    assert reply["meta"]["skill"] == "fallback"
    assert reply["meta"]["outcome"] == "handoff_offered"
    prompt = block(reply, "handoff_prompt")
    assert [b["action"] for b in prompt["buttons"]] == ["handoff:yes", "handoff:no"]
    accepted = chat.send(action="handoff:yes")
    assert accepted["meta"]["outcome"] == "handoff_requested"
    assert chat.last["conversation"]["status"] == "handoff_requested"


def test_ambiguous_order_is_asked_about_with_buttons(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="I want to cancel my order")
    chat.verify("ben@example.com")
    asked = chat.last["messages"][0]
    assert asked["meta"]["outcome"] == "asked_which_order"
    actions = [b["action"] for b in block(asked, "buttons")["buttons"]]
    assert actions == ["order:1006", "order:1004"]
    chosen = chat.send(action="order:1004")
    assert chosen["meta"]["intent"] == "cancel_order"
    assert block(chosen, "order_card")["order"]["number"] == "1004"


def test_typed_order_reference_answers_which_order_question(client: TestClient) -> None:
    chat = Chat(client, locale="fr")
    chat.send(text="annuler ma commande svp")
    chat.verify("ben@example.com")
    reply = chat.send(text="la commande 1006")
    assert reply["meta"]["intent"] == "cancel_order"
    assert block(reply, "order_card")["order"]["number"] == "1006"


def test_tracking_shows_carrier_and_eta(client: TestClient) -> None:
    _, reply = verified_chat(client, "en", "where is my order 1009?")
    assert reply["meta"] == {"intent": "order_status", "skill": "tracking", "outcome": "answered"}
    shipment = block(reply, "order_card")["order"]["shipments"][0]
    assert shipment["carrier"] == "DHL"
    assert shipment["eta"]
    assert "JJD000390012345" in text_of(reply)


def test_transcript_lists_every_message_in_order(client: TestClient) -> None:
    chat = Chat(client, locale="de")
    chat.send(text="Hallo")
    chat.send(text="Wie lange dauert der Versand nach Deutschland?")
    r = client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers)
    assert r.status_code == 200
    messages = r.json()["messages"]
    assert [m["role"] for m in messages] == ["shopper", "agent", "shopper", "agent"]
    assert messages[0]["text"] == "Hallo"
    assert messages[3]["meta"]["skill"] == "policy"


def test_every_agent_message_carries_meta(client: TestClient) -> None:
    chat = Chat(client)
    for text in ("hi", "what's your return policy?", "cancel my order", "nope", "thanks"):
        meta = chat.send(text=text)["meta"]
        assert set(meta) == {"intent", "skill", "outcome"}
        assert meta["skill"] in {
            "order_editing",
            "returns",
            "tracking",
            "policy",
            "handoff",
            "smalltalk",
            "fallback",
        }


def test_openapi_describes_the_conversations_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {
        "/api/v1/conversations",
        "/api/v1/conversations/{conversation_id}/messages",
        "/api/v1/conversations/{conversation_id}",
        "/api/v1/dev/outbox",
    } <= set(spec["paths"])


def test_without_the_customer_hub_order_editing_hands_off(client: TestClient, settings) -> None:
    from deskhand.db import models

    with client.app.state.deskhand.sessions() as session:
        brand = session.query(models.Brand).one()
        brand.policy = {**brand.policy, "hub_enabled": False}
        session.commit()
    reply = Chat(client).send(text="I need to cancel my order")
    assert reply["meta"]["skill"] == "order_editing"
    assert reply["meta"]["outcome"] == "handoff_offered"
    assert block(reply, "handoff_prompt")["buttons"][0]["action"] == "handoff:yes"


def test_asking_for_a_human_offers_one_before_handing_off(client: TestClient) -> None:
    chat = Chat(client)
    reply = chat.send(text="can I talk to a real person please")
    assert reply["meta"] == {
        "intent": "human_handoff",
        "skill": "handoff",
        "outcome": "handoff_offered",
    }
    declined = chat.send(action="handoff:no")
    assert declined["meta"]["outcome"] == "handoff_declined"
    assert chat.last["conversation"]["status"] == "open"


def test_naming_a_product_picks_the_order_that_has_it(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="I want to cancel the travel kettle")
    chat.verify("ben@example.com")  # ben has two open orders: 1004 and 1006 (the kettle)
    reply = chat.last["messages"][0]
    assert reply["meta"]["intent"] == "cancel_order"
    assert reply["meta"]["outcome"] != "asked_which_order"
    assert block(reply, "order_card")["order"]["number"] == "1006"
    # With no product named the question stays: test_ambiguous_order_is_asked_about_with_buttons.


def test_a_named_product_wins_over_the_order_in_focus(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    chat.send(text="where is my order 1004?")
    chat.verify("ben@example.com")
    reply = chat.send(text="can I still cancel the kettle?")
    assert reply["meta"]["intent"] == "cancel_order"
    assert block(reply, "order_card")["order"]["number"] == "1006"
