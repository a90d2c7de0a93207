"""The web chat's HTTP side: page context on messages, widget settings, the script, CORS, shop."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, select
from tests.conftest import Chat

from deskhand.agent.replies.wording import LANGUAGES
from deskhand.channels.webchat.appearance import DEMO_ACCENT, colours_for, contrast
from deskhand.config import Settings
from deskhand.db.models import WidgetSettings
from deskhand.db.session import make_sessionmaker, transaction
from deskhand.web.app import create_app

PAGE = {"url": "https://shop.example/p/1?x=1", "title": "Trail Jacket", "product_id": "TJ-1"}


def post(chat: Chat, body: dict[str, Any]) -> Any:
    return chat.client.post(
        f"/api/v1/conversations/{chat.id}/messages", json=body, headers=chat.headers
    )


def transcript(chat: Chat) -> dict[str, Any]:
    r = chat.client.get(f"/api/v1/conversations/{chat.id}", headers=chat.headers)
    assert r.status_code == 200
    body: dict[str, Any] = r.json()
    return body


# -- page context ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "context",
    [
        PAGE,
        {"url": "http://127.0.0.1:8000/demo/shop"},
        {"title": "Only a title"},
        {"product_id": "gid://shopify/Product/42"},
        {"url": "https://shop.example/" + "a" * 1970, "title": "t" * 300, "product_id": "p" * 100},
    ],
)
def test_page_context_is_kept_on_the_shopper_message(chat: Chat, context: dict[str, str]) -> None:
    r = post(chat, {"text": "Where is my order?", "context": context})
    assert r.status_code == 200, r.text
    shopper, agent = transcript(chat)["messages"]
    assert shopper["context"] == {"url": None, "title": None, "product_id": None, **context}
    assert agent["context"] is None


def test_button_press_carries_context_too(chat: Chat) -> None:
    chat.send(text="I want to talk to a human")
    action = next(b for b in chat.last["messages"][0]["blocks"] if b.get("buttons"))["buttons"][0]
    r = post(chat, {"action": action["action"], "context": PAGE})
    assert r.status_code == 200, r.text
    assert transcript(chat)["messages"][2]["context"] == PAGE


def test_message_without_context_is_unchanged(chat: Chat) -> None:
    chat.send(text="hello")
    assert transcript(chat)["messages"][0]["context"] is None


def test_empty_context_stores_nothing(chat: Chat) -> None:
    assert post(chat, {"text": "hello", "context": {}}).status_code == 200
    assert transcript(chat)["messages"][0]["context"] is None


def test_nul_in_context_is_dropped(chat: Chat) -> None:
    r = post(chat, {"text": "hello", "context": {"title": "a\x00b", "product_id": "x\x00"}})
    assert r.status_code == 200, r.text
    stored = transcript(chat)["messages"][0]["context"]
    assert stored == {"url": None, "title": "ab", "product_id": "x"}


@pytest.mark.parametrize(
    ("context", "field"),
    [
        ({"url": "javascript:alert(1)"}, "context.url"),
        ({"url": "/relative/path"}, "context.url"),
        ({"url": "ftp://shop.example/file"}, "context.url"),
        ({"url": "https://"}, "context.url"),
        ({"url": "https://shop.example/a b"}, "context.url"),
        ({"url": ""}, "context.url"),
        ({"url": "https://shop.example/" + "a" * 1990}, "context.url"),
        ({"title": "t" * 301}, "context.title"),
        ({"product_id": "p" * 101}, "context.product_id"),
        ({"product_id": ""}, "context.product_id"),
        ({"url": 5}, "context.url"),
        ({"referrer": "https://elsewhere.example/"}, "context.referrer"),
        ("https://shop.example/", "context"),
        ([PAGE], "context"),
    ],
)
def test_bad_context_is_422_naming_the_field(chat: Chat, context: Any, field: str) -> None:
    r = post(chat, {"text": "hello", "context": context})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in r.json()["errors"]]
    assert transcript(chat)["messages"] == []  # nothing was stored


def test_context_is_in_the_openapi_document(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert set(schemas["PageContext"]["properties"]) == {"url", "title", "product_id"}
    assert "context" in schemas["PostMessage"]["properties"]
    assert "context" in schemas["TranscriptMessage"]["properties"]


# -- widget settings ---------------------------------------------------------------------------


def test_config_has_colours_greetings_and_words_in_every_language(client: TestClient) -> None:
    r = client.get("/api/v1/widget/config", params={"brand": "demo"})
    assert r.status_code == 200
    assert "public" in r.headers["cache-control"]
    assert "max-age" in r.headers["cache-control"]
    config = r.json()
    assert config["brand"] == {"slug": "demo", "name": "Fjord & Finch"}
    assert config["languages"] == list(LANGUAGES)
    assert config["default_language"] == "en"
    assert config["colours"]["accent"] == DEMO_ACCENT
    assert config["position"] == "right"
    assert config["max_message_chars"] == 4000
    assert set(config["greeting"]) == set(LANGUAGES)
    assert "Fjord & Finch" in config["greeting"]["de"]
    assert config["greeting"]["de"] != config["greeting"]["en"]
    english = config["strings"]["en"]
    assert english["launcher_open"] == "Chat with us"
    for lang in LANGUAGES:
        assert set(config["strings"][lang]) == set(english), lang
    assert config["strings"]["de"]["send"] == "Senden"
    assert config["strings"]["sv"]["launcher_open"] == "Chatta med oss"


def test_config_without_a_brand_is_the_first_brand(client: TestClient) -> None:
    assert client.get("/api/v1/widget/config").json()["brand"]["slug"] == "demo"


@pytest.mark.parametrize(("brand", "status"), [("nope", 404), ("x" * 65, 422), ("", 422)])
def test_config_for_a_bad_brand_is_a_problem(client: TestClient, brand: str, status: int) -> None:
    r = client.get("/api/v1/widget/config", params={"brand": brand})
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"


def test_brand_without_widget_settings_gets_defaults(client: TestClient, demo_db: Engine) -> None:
    with transaction(make_sessionmaker(demo_db)) as session:
        session.execute(delete(WidgetSettings))
    config = client.get("/api/v1/widget/config").json()
    assert config["colours"]["accent"] != DEMO_ACCENT
    assert config["position"] == "right"
    assert "Fjord & Finch" in config["greeting"]["en"]


def test_stored_greeting_and_position_win(client: TestClient, demo_db: Engine) -> None:
    with transaction(make_sessionmaker(demo_db)) as session:
        stored = session.scalars(select(WidgetSettings)).one()
        stored.greetings = {"nl": "Hallo daar!"}
        stored.position = "left"
    config = client.get("/api/v1/widget/config").json()
    assert config["greeting"]["nl"] == "Hallo daar!"
    assert config["greeting"]["de"].startswith("Hallo! Ich bin")
    assert config["position"] == "left"


@pytest.mark.parametrize("accent", ["#2f6b4f", "#ffd400", "#ffffff", "#000000", "#1F5FBF"])
def test_colours_stay_readable_for_any_accent(accent: str) -> None:
    c = colours_for(accent)
    assert contrast(c.accent, c.on_accent) >= 3  # large text and icons on the accent
    assert contrast(c.accent_text, "#ffffff") >= 4.5  # links and chips on white
    assert re.fullmatch(r"#[0-9a-f]{6}", c.accent_soft)


# -- the script --------------------------------------------------------------------------------


def test_widget_script_is_served_cacheable_with_an_etag(client: TestClient) -> None:
    r = client.get("/widget.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "public, max-age=300"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "customElements.define" in r.text
    assert "innerHTML" not in r.text  # server text only ever becomes text nodes
    again = client.get("/widget.js", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


# -- cross-origin ------------------------------------------------------------------------------


def test_public_api_answers_a_shop_origins_preflight(client: TestClient) -> None:
    r = client.options(
        "/api/v1/conversations/abc/messages",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    created = client.post(
        "/api/v1/conversations",
        json={"channel": "webchat"},
        headers={"Origin": "https://shop.example"},
    )
    assert created.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/api/v1/dev/outbox", "/hub/sign-in", "/", "/demo/shop"])
def test_other_paths_stay_same_origin(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"Origin": "https://shop.example"})
    assert "access-control-allow-origin" not in r.headers


# -- the demo shop -----------------------------------------------------------------------------


def test_demo_shop_embeds_the_one_script_tag(client: TestClient) -> None:
    r = client.get("/demo/shop")
    assert r.status_code == 200
    tags = re.findall(r"<script[^>]*>", r.text)
    assert tags == ['<script src="http://testserver/widget.js" data-brand="demo" async>']
    assert "/demo/shop/products/trail-jacket" in r.text


def test_demo_product_page_exposes_its_product_id(client: TestClient) -> None:
    r = client.get("/demo/shop/products/trail-jacket")
    assert '<meta name="deskhand:product-id" content="trail-jacket">' in r.text
    assert "<title>Trail Jacket – Fjord &amp; Finch</title>" in r.text
    assert client.get("/demo/shop/products/nothing").status_code == 404


@pytest.fixture
def production_client(settings: Settings, demo_db: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"demo": False}))) as c:
        yield c


def test_demo_shop_is_gone_outside_demo_mode(production_client: TestClient) -> None:
    assert production_client.get("/demo/shop").status_code == 404
    assert production_client.get("/widget.js").status_code == 200
