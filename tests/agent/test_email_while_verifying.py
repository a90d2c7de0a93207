"""An email sent while the agent waits for one keeps the parked request: "fel adress, det är
ava@example.com" corrects the email, it is no new `change_address` request. A message that
is confidently another request still replaces it. Over the Conversations API, on SQLite and
PostgreSQL, in six languages.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.conftest import Chat

from deskhand.agent.understand.email_talk import corrects_itself, names_an_action

CODE = re.compile(r"\b\d{6}\b")
CHANGE_1001 = {
    "en": "I'd like to change the size in order #1001",
    "de": "Ich möchte die Größe in Bestellung #1001 ändern",
    "nl": "Ik wil de maat in bestelling #1001 aanpassen",
    "sv": "Jag vill ändra storleken i beställning #1001",
    "fr": "Je voudrais changer la taille dans la commande n°1001",
    "es": "Quiero cambiar la talla del pedido #1001",
}
CORRECTION = {
    "en": "wrong address, it's ava@example.com",
    "de": "falsche Adresse, sie lautet ava@example.com",
    "nl": "verkeerd adres, het is ava@example.com",
    "sv": "fel adress, det är ava@example.com",
    "fr": "mauvaise adresse, c'est ava@example.com",
    "es": "me equivoqué de dirección, es ava@example.com",
}
NEW_REQUEST = {
    "en": "actually I'd rather cancel order 1003, ava@example.com",
    "de": "ich möchte lieber die Bestellung 1003 stornieren, ava@example.com",
    "fr": "finalement je voudrais annuler la commande 1003, ava@example.com",
}


def _code(client: TestClient, email: str) -> str:
    sent = client.get("/api/v1/dev/outbox", params={"to": email}).json()["messages"]
    return CODE.search(sent[0]["subject"]).group(0)  # type: ignore[union-attr]


@pytest.mark.parametrize("lang", list(CORRECTION))
def test_a_corrected_email_keeps_the_parked_request(client: TestClient, lang: str) -> None:
    chat = Chat(client, locale=lang)
    assert chat.send(text=CHANGE_1001[lang])["meta"]["outcome"] == "needs_sign_in"
    sent = chat.send(text="avaa@example.com")  # a typo: the code goes nowhere useful
    assert sent["meta"]["outcome"] == "code_sent"
    sent = chat.send(text=CORRECTION[lang])
    assert sent["meta"]["outcome"] == "code_sent"
    assert sent["meta"]["intent"] == "change_item"  # still filed under the parked request
    reply = chat.send(text=_code(client, "ava@example.com"))
    assert reply["meta"]["intent"] == "change_item"
    assert reply["meta"]["skill"] == "order_editing"
    assert reply["meta"]["outcome"] == "hub_link"


@pytest.mark.parametrize("lang", ["en", "sv", "es"])
def test_a_corrected_email_given_first_keeps_the_parked_request(
    client: TestClient, lang: str
) -> None:
    chat = Chat(client, locale=lang)
    chat.send(text=CHANGE_1001[lang])
    assert chat.send(text=CORRECTION[lang])["meta"]["outcome"] == "code_sent"
    reply = chat.send(text=_code(client, "ava@example.com"))
    assert reply["meta"]["intent"] == "change_item"


@pytest.mark.parametrize("lang", list(NEW_REQUEST))
def test_a_confident_new_request_with_the_email_replaces_the_parked_one(
    client: TestClient, lang: str
) -> None:
    chat = Chat(client, locale=lang)
    chat.send(text=CHANGE_1001[lang])
    assert chat.send(text=NEW_REQUEST[lang])["meta"]["outcome"] == "code_sent"
    reply = chat.send(text=_code(client, "ava@example.com"))
    assert reply["meta"]["intent"] == "cancel_order"


@pytest.mark.parametrize(
    ("text", "corrects", "acts"),
    [
        ("fel adress, det är ava@example.com", True, False),
        ("sorry, typo: ava@example.com", True, False),
        ("quise decir ava@example.com", True, False),
        ("bitte die Adresse ändern, ava@example.com", False, True),
        ("annulez la 1003 svp, ava@example.com", False, True),
    ],
)
def test_what_a_message_with_an_email_says(text: str, corrects: bool, acts: bool) -> None:
    assert corrects_itself(text) is corrects
    assert names_an_action(text) is acts
