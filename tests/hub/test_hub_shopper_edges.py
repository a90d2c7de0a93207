"""The rough edges a shopper hit: the portal's name, the way back to the shop, the brand's
colours, the fee kept in a cancelled order's total, "it" for one item, the order card that
keeps its change button, favicons and the widget's clock settings."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.confirmations.test_confirmations import cancel
from tests.conftest import Chat, block
from tests.hub.shopping import Shopper


def test_the_hub_wears_the_brand_and_its_portal_name_in_each_language(ava: Shopper) -> None:
    page = ava.get("/hub?lang=de").text
    assert "Kundenbereich" in page
    assert "Customer Hub" not in page
    assert "--accent: #2f6b4f" in page  # Fjord & Finch green, as in the widget
    assert 'src="/demo/logo.svg"' in page
    assert 'href="/demo/shop"' in page  # no conversation yet: back to the shop itself
    assert "Zurück zu Fjord &amp; Finch" in page
    for lang, name in (("nl", "Klantomgeving"), ("sv", "Kundportalen"), ("fr", "Espace client")):
        assert name in ava.get(f"/hub?lang={lang}").text


def test_the_way_back_is_the_page_the_shopper_chatted_from(client: TestClient) -> None:
    chat = Chat(client, locale="en")
    r = client.post(
        f"/api/v1/conversations/{chat.id}/messages",
        json={
            "text": "Where is my order 1001?",
            "context": {"url": "https://shop.example/products/trail-jacket", "title": "Jacket"},
        },
        headers=chat.headers,
    )
    assert r.status_code == 200
    chat.verify("ava@example.com")
    ava = Shopper(client)
    ava.sign_in("ava@example.com")
    assert 'href="https://shop.example/products/trail-jacket"' in ava.get("/hub").text


def test_a_cancelled_order_shows_the_fee_it_kept_in_its_total(ben: Shopper) -> None:
    cancel(ben, "1004")
    page = ben.get("/hub/orders/1004").text
    assert "Cancellation fee (kept)" in page
    total = page[page.index("Cancellation fee (kept)") :]
    assert "€5.00" in total[:400]
    assert "€0.00" not in total[:400]
    listing = ben.get("/hub").text
    start = listing.index("#1004")
    assert "€5.00" in listing[start : start + 800]
    assert "€0.00" not in listing[start : start + 800]


def test_the_times_in_the_hub_name_the_zone(ava: Shopper) -> None:
    page = ava.get("/hub/orders/1001").text
    assert "Amsterdam time" in page
    assert "Uhr Ortszeit Amsterdam" in ava.get("/hub/orders/1001?lang=de").text


def test_an_order_card_about_tracking_keeps_its_change_button_while_it_can_change(
    ava_verified: Chat,
) -> None:
    reply = ava_verified.send(text="Where is my order 1001?")
    card = block(reply, "order_card")
    assert any(i["editable"] for i in card["order"]["items"])
    assert "Edit order" in [a["label"] for a in card["actions"]]


def test_favicons_and_the_widgets_clock_settings(client: TestClient) -> None:
    assert client.get("/favicon.ico").headers["content-type"] == "image/x-icon"
    assert client.get("/favicon.svg").status_code == 200
    assert 'rel="icon"' in client.get("/").text
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs/assets/../../etc/passwd").status_code == 404
    docs = client.get("/docs").text
    assert "cdn" not in docs.lower()
    config = client.get("/api/v1/widget/config").json()
    assert config["time_zone"] == "Europe/Amsterdam"
    assert config["time_zone_names"]["es"] == "Ámsterdam"
    assert config["portal"]["de"] == "Kundenbereich"
    assert config["strings"]["de"]["time_zoned"] == "{time} Uhr Ortszeit {zone}"
