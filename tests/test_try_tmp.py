import pytest
from tests.conftest import Chat, text_of, block

@pytest.mark.parametrize("msg", ["where is my refund for the boots?", "I'd like to return the tote bag from order 1003", "I want to return my boots", "can I send back the fleece from order 1010?", "where is my refund?"])
def test_try(client, msg):
    c = Chat(client, locale="en")
    r = c.send(text=msg)
    print(r["meta"])
    email = "chloe@example.com" if "1010" in msg else "ava@example.com"
    c.verify(email)
    m = c.last["messages"][0]
    print(msg, "->", m["meta"], text_of(m), [a for b in m["blocks"] if b["type"]=="order_card" for a in b["actions"]])
