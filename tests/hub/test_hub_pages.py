"""The Hub's pages: languages, tracking, returns, the Hub switched off, headers, wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.hub.shopping import Shopper

from deskhand.agent.replies.wording import LANGUAGES, catalogue
from deskhand.db import models
from deskhand.domain.orders import ItemStatus, OrderStatus
from deskhand.domain.policy import Why

SOURCES = Path(__file__).parents[2] / "src" / "deskhand"


def test_orders_list_shows_every_order_newest_first(ava: Shopper) -> None:
    page = ava.get("/hub").text
    assert [int(n) for n in re.findall(r'href="/hub/orders/(\d+)"', page)] == [
        1001,
        1002,
        1003,
        1011,
    ]
    assert "€224.00" in page
    assert "Partly shipped" in page


def test_order_page_shows_items_and_shipments(ava: Shopper) -> None:
    page = ava.get("/hub/orders/1002").text
    for text in ("Trail Jacket", "L / Olive", "Wool Socks", "EU 39-42 / Grey", "€19.00"):
        assert text in page
    assert "Shipped" in page
    assert "Not shipped yet" in page
    assert "PostNL" in page
    assert 'href="/hub/orders/1002/track/1"' in page


def test_tracking_page_per_shipment(ava: Shopper) -> None:
    page = ava.get("/hub/orders/1002/track/1").text
    assert "3SFJF0012345678" in page
    assert 'href="https://jouw.postnl.nl/track-and-trace/3SFJF0012345678-NL-1015CS"' in page
    assert "Expected delivery" in page
    assert ava.get("/hub/orders/1002/track/2").status_code == 404
    assert ava.get("/hub/orders/1002/track/x").status_code == 404
    track = ava.get("/hub/orders/1002/track").text
    assert "Not shipped yet" in track
    assert "Wool Socks" in track


def test_returns_tab_explains_the_policy_per_item(client: TestClient) -> None:
    chloe = Shopper(client)
    chloe.sign_in("chloe@example.com")
    page = chloe.get("/hub/orders/1010/return").text
    assert "within 30 days of delivery" in page
    assert "Final sale: cannot be returned." in page
    assert "Can be returned until" in page
    ben = Shopper(TestClient(client.app))
    ben.sign_in("ben@example.com")
    assert "The 30-day return period ended on" in ben.get("/hub/orders/1005/return").text


@pytest.mark.parametrize(
    ("header", "expected"),
    [("de-DE,de;q=0.9,en;q=0.8", "Deine Bestellungen"), ("sv", "Dina beställningar"),
     ("fr-CH, fr;q=0.9", "Vos commandes"), ("es", "Tus pedidos"), ("nl-BE", "Je bestellingen"),
     ("ja, en;q=0.5", "Your orders"), ("x;q=bad", "Your orders")],
)  # fmt: skip
def test_language_follows_the_browser(ava: Shopper, header: str, expected: str) -> None:
    page = ava.get("/hub", headers={"Accept-Language": header}).text
    assert expected in page


def test_language_from_the_link_sticks(ava: Shopper) -> None:
    assert 'lang="fr"' in ava.get("/hub?lang=fr").text
    page = ava.get("/hub/orders/1001", headers={"Accept-Language": "de"}).text
    assert "Commande #1001" in page


def test_problem_pages_are_html_in_the_shoppers_language(ava: Shopper) -> None:
    r = ava.get("/hub/orders/1004", headers={"Accept-Language": "nl"})
    assert r.status_code == 404
    assert "Bestelling niet gevonden" in r.text
    unknown = ava.get("/hub/no/such/page", headers={"Accept-Language": "es"})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("text/html")


def test_hub_pages_carry_security_headers(ava: Shopper) -> None:
    r = ava.get("/hub")
    assert r.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert "<script" not in r.text


def test_with_the_hub_off_every_page_says_not_available(
    client: TestClient, ava: Shopper, db: Session
) -> None:
    db.rollback()
    brand = db.scalar(select(models.Brand))
    assert brand is not None
    brand.policy = {**brand.policy, "hub_enabled": False}
    db.commit()
    for path in ("/hub", "/hub/sign-in", "/hub/orders/1001/edit", "/hub/whatever"):
        r = ava.get(path)
        assert r.status_code == 404, path
        assert "The Customer Hub is not available" in r.text
    fresh = Shopper(TestClient(client.app))
    assert fresh.get("/hub/sign-in").status_code == 404


def test_forms_are_labelled(ava: Shopper) -> None:
    page = ava.get("/hub/orders/1001/edit").text
    inputs = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', page)
    assert inputs
    for field_id in inputs:
        assert f'for="{field_id}"' in page, field_id


def test_every_hub_key_the_pages_use_is_in_every_catalogue() -> None:
    used: set[str] = set()
    for path in [*SOURCES.glob("hub/*.py"), *SOURCES.glob("web/templates/hub/*.html")]:
        used |= set(re.findall(r"""["'](hub\.[a-z_]+(?:\.[a-z_]*[a-z])+)["']""", path.read_text()))
    used |= {f"hub.status.{s.value}" for s in (*ItemStatus, *OrderStatus)}
    used |= {"hub.status.in_transit"}
    editing_whys = ("shipped", "delivered", "personalised", "preorder", "window_passed")
    used |= {f"hub.why.{w.value}" for w in Why if w.value in (*editing_whys, "cancelled")}
    used |= {f"hub.done.{a}" for a in ("swap_variant", "change_quantity", "change_address")}
    used |= {f"hub.code.sent_{c}" for c in ("email", "sms")} | {"hub.email.body", "hub.sms.body"}
    used |= {f"hub.returns.excluded.{w}" for w in ("final_sale", "gift_card", "personalised")}
    used |= {f"hub.error.{r}" for r in ("out_of_stock", "not_found")}
    for lang in LANGUAGES:
        missing = used - set(catalogue(lang))
        assert not missing, (lang, sorted(missing))
