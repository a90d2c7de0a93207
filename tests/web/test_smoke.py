from tests.conftest import Chat, block, text_of


def test_ava_changes_size_of_latest_order(ava_verified: Chat) -> None:
    msg = ava_verified.send(text="Can I change the size of my last order?")
    assert msg["meta"] == {"intent": "change_item", "skill": "order_editing", "outcome": "hub_link"}
    card = block(msg, "order_card")
    assert card["order"]["number"] == "1001"
    assert "#1001" in text_of(msg)
