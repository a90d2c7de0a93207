"""The agent on items the warehouse is already packing: which are, which can still change."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from tests.conftest import Chat, block, text_of

from deskhand.db import models


def editable(message: dict) -> dict[str, bool]:
    return {i["title"]: i["editable"] for i in block(message, "order_card")["order"]["items"]}


@pytest.mark.parametrize(
    ("lang", "question", "answer"),
    [
        ("en", "Can I still change my order 1012?", "Order #1012 is already being packed, so it"),
        ("de", "Kann ich Bestellung 1012 noch ändern?", "Bestellung #1012 wird bereits verpackt"),
        ("fr", "Je peux encore modifier la commande 1012 ?", "déjà en cours de préparation"),
    ],
)
def test_an_order_being_packed_can_no_longer_change(
    client: TestClient, lang: str, question: str, answer: str
) -> None:
    chat = Chat(client, locale=lang)
    chat.send(text=question)
    chat.verify("finn@example.com")
    reply = chat.last["messages"][0]
    assert reply["meta"]["skill"] == "order_editing"
    assert reply["meta"]["outcome"] == "not_eligible"
    said = text_of(reply)
    assert answer in said
    assert "Fleece Pullover (M / Grey)" in said
    assert "Rain Hat (Navy)" in said
    assert editable(reply) == {"Fleece Pullover": False, "Rain Hat": False}
    assert block(reply, "order_card")["actions"] == []  # no Hub link to change or cancel


def test_the_answer_names_the_item_being_packed_and_the_one_that_can_change(
    client: TestClient, demo_db: Engine
) -> None:
    with Session(demo_db) as db:
        order = db.scalar(select(models.Order).where(models.Order.number == "1001"))
        assert order is not None
        jacket = next(i for i in order.items if i.title == "Trail Jacket")
        db.add(
            models.FulfillmentOrder(
                brand_id=order.brand_id,
                order_id=order.id,
                status="IN_PROGRESS",
                location="Warehouse",
                line_item_ids=[jacket.id],
            )  # fmt: skip
        )
        db.commit()
    chat = Chat(client, locale="en")
    chat.send(text="where is order 1001?")
    chat.verify("ava@example.com")
    reply = chat.send(text="can I still change my order?")  # the order in focus: #1001
    said = text_of(reply)
    assert reply["meta"]["skill"] == "order_editing"
    assert "Part of order #1001 can still be changed" in said
    assert ": Merino Beanie (Charcoal)." in said
    assert "Already being packed and no longer changeable: Trail Jacket (M / Navy)." in said
    assert editable(reply) == {"Trail Jacket": False, "Merino Beanie": True}
    cancel = chat.send(text="I want to cancel order 1001")
    said = text_of(cancel)
    assert (
        "Part of order #1001 is already being packed and can no longer be cancelled: "
        "Trail Jacket (M / Navy). You can cancel the rest (Merino Beanie (Charcoal))" in said
    )
    assert "€35.00" in said  # the beanie's price back, nothing for the jacket


def test_a_policy_question_without_an_order_still_gets_the_rules(client: TestClient) -> None:
    reply = Chat(client, locale="en").send(text="Can I still change my order?")
    assert reply["meta"]["skill"] == "policy"
