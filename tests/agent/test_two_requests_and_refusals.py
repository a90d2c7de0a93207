"""Two requests in one message, refused requests, and questions the help centre does not
answer, over the Conversations API in the six languages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.conftest import Chat, block, text_of

from deskhand.agent.replies.wording import catalogue

PAYMENT_TITLE = {
    "en": "Payment methods",
    "de": "Zahlungsarten",
    "nl": "Betaalmethoden",
    "sv": "Betalningssätt",
    "fr": "Moyens de paiement",
    "es": "Formas de pago",
}
ORDER_AND_QUESTION = {
    "en": "where is my order 1002? and do you accept PayPal?",
    "de": "wo ist meine Bestellung 1002? und kann ich mit PayPal bezahlen?",
    "nl": "waar is mijn bestelling 1002? en kan ik met PayPal betalen?",
    "sv": "var är min beställning 1002? och kan jag betala med PayPal?",
    "fr": "où est ma commande 1002 ? et vous acceptez PayPal ?",
    "es": "¿dónde está mi pedido 1002? ¿y aceptáis PayPal?",
}
REFUSAL_AND_QUESTION = {
    "en": "I don't want to return anything, how long does delivery to Belgium take?",
    "de": "ich will nichts zurückschicken, wie lange dauert die Lieferung nach Belgien?",
    "nl": "ik wil niks terugsturen, hoe lang duurt de levering naar België?",
    "sv": "jag vill inte returnera något, hur lång tid tar leveransen till Belgien?",
    "fr": "je ne veux rien retourner, combien de temps prend la livraison en Belgique ?",
    "es": "no quiero devolver nada, ¿cuánto tarda la entrega a Bélgica?",
}
BELGIUM = {"en": "Belgium", "de": "Belgien", "nl": "België", "sv": "Belgien", "fr": "Belgique"}
BELGIUM["es"] = "Bélgica"
LONE_REFUSAL = {
    "en": "I don't want to cancel my order",
    "de": "ich möchte meine Bestellung nicht stornieren",
    "nl": "ik wil mijn bestelling niet annuleren",
    "sv": "jag vill inte avbeställa min beställning",
    "fr": "je ne veux pas annuler ma commande",
    "es": "no quiero cancelar mi pedido",
}
STUDENT_DISCOUNT = {
    "en": "Do you offer a student discount?",
    "de": "Gibt es einen Studentenrabatt?",
    "nl": "Hebben jullie studentenkorting?",
    "sv": "Har ni studentrabatt?",
    "fr": "Proposez-vous une réduction étudiante ?",
    "es": "¿Tenéis descuento para estudiantes?",
}


@pytest.mark.parametrize("lang", sorted(ORDER_AND_QUESTION))
def test_an_order_request_and_a_question_in_one_message_are_both_served(
    client: TestClient, lang: str
) -> None:
    reply = Chat(client, locale=lang).send(text=ORDER_AND_QUESTION[lang])
    assert reply["language"] == lang
    assert reply["meta"]["intent"] in {"order_status", "policy_payment"}
    titles = [a["title"] for b in reply["blocks"] if b["type"] == "sources" for a in b["articles"]]
    assert PAYMENT_TITLE[lang] in titles  # the question, answered in the shopper's language
    assert "PayPal" in text_of(reply)
    assert reply["blocks"][-1]["type"] == "sign_in"  # the order request waits for sign-in


@pytest.mark.parametrize("lang", sorted(REFUSAL_AND_QUESTION))
def test_a_refused_request_gives_way_to_the_question_asked(client: TestClient, lang: str) -> None:
    reply = Chat(client, locale=lang).send(text=REFUSAL_AND_QUESTION[lang])
    assert reply["meta"]["intent"] == "policy_shipping"
    assert reply["meta"]["outcome"] == "answered"
    assert BELGIUM[lang] in text_of(reply)
    assert not [b for b in reply["blocks"] if b["type"] == "sign_in"]  # no return started


@pytest.mark.parametrize("lang", sorted(LONE_REFUSAL))
def test_a_lone_refusal_is_never_acted_on(client: TestClient, lang: str) -> None:
    reply = Chat(client, locale=lang).send(text=LONE_REFUSAL[lang])
    assert reply["meta"]["outcome"] == "asked_to_clarify"
    assert text_of(reply) == catalogue(lang)["clarify.refused"]
    actions = [b["action"] for b in block(reply, "buttons")["buttons"]]
    assert "intent:cancel_order" not in actions


@pytest.mark.parametrize("lang", sorted(STUDENT_DISCOUNT))
def test_a_question_the_help_centre_does_not_answer_gets_not_found_and_a_human(
    client: TestClient, lang: str
) -> None:
    reply = Chat(client, locale=lang).send(text=STUDENT_DISCOUNT[lang])
    assert text_of(reply) == catalogue(lang)["kb.not_found"]
    assert block(reply, "handoff_prompt")
    assert not [b for b in reply["blocks"] if b["type"] == "sources"]
