"""The Hub and items the warehouse is already packing: no controls for them, their reason in
the shopper's language, only the free items offered for cancellation, and a crafted or stale
submit refused with nothing changed."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.hub.shopping import Shopper, csrf_in, order_row

from deskhand.db import models

REFUSED = "This item is already being packed, so it can no longer be changed here."
CANNOT = "Cannot be changed: It is already being packed."


@pytest.fixture
def finn(shopper: Shopper) -> Shopper:
    shopper.sign_in("finn@example.com")
    return shopper


def text(response_text: str) -> str:
    return html.unescape(response_text)


def lock(db: Session, number: str, title: str, status: str = "IN_PROGRESS") -> None:
    """The warehouse takes one item of the order (a fulfillment order for it alone)."""
    db.rollback()
    row = order_row(db, number)
    db.add(
        models.FulfillmentOrder(
            brand_id=row.brand_id,
            order_id=row.id,
            status=status,
            location="Warehouse",
            line_item_ids=[i.id for i in row.items if i.title == title],
        )
    )
    db.commit()


def item_id(db: Session, number: str, title: str) -> str:
    return str(next(i.id for i in order_row(db, number).items if i.title == title))


def history(db: Session) -> list[models.OrderHistory]:
    db.rollback()
    return list(db.scalars(select(models.OrderHistory)))


def test_the_order_being_packed_offers_no_change_and_no_cancellation(finn: Shopper) -> None:
    edit = text(finn.get("/hub/orders/1012/edit").text)
    assert "/edit/variant" not in edit
    assert "/edit/quantity" not in edit
    assert edit.count(CANNOT) == 2
    assert edit.count('class="badge in_fulfilment">Being packed<') == 2
    overview = text(finn.get("/hub/orders/1012").text)
    assert overview.count("Already being packed, so it can no longer be changed or cancelled.") == 2
    cancel = text(finn.get("/hub/orders/1012/cancel").text)
    assert "This order is already being packed, so it can no longer be cancelled." in cancel
    assert 'name="terms"' not in cancel
    assert '/hub/orders/1012/cancel"' not in cancel.split("<nav", 1)[1].split("</nav>", 1)[1]


@pytest.mark.parametrize(
    ("lang", "why"),
    [
        ("de", "Nicht änderbar: Der Artikel wird bereits verpackt."),
        ("nl", "Kan niet worden gewijzigd: Het wordt al ingepakt."),
        ("sv", "Kan inte ändras: Den packas redan."),
        ("fr", "Modification impossible : Il est déjà en cours de préparation."),
        ("es", "No se puede modificar: Ya se está preparando."),
    ],
)
def test_the_reason_is_in_the_shoppers_language(finn: Shopper, lang: str, why: str) -> None:
    assert why in text(finn.get(f"/hub/orders/1012/edit?lang={lang}").text)


def test_crafted_posts_for_an_item_being_packed_are_refused_and_change_nothing(
    finn: Shopper, db: Session
) -> None:
    pullover = item_id(db, "1012", "Fleece Pullover")
    other = str(
        db.scalar(select(models.Variant.id).where(models.Variant.sku == "FP-L-GRY"))
    )  # same product, same price, in stock
    page = finn.get("/hub/orders/1012/edit").text
    token = csrf_in(page)
    for action, data in (
        ("/hub/orders/1012/edit/variant", {"item": pullover, "variant": other}),
        ("/hub/orders/1012/edit/quantity", {"item": pullover, "quantity": "2"}),
    ):
        r = finn.client.post(action, data={"csrf": token, **data}, follow_redirects=False)
        assert r.status_code == 422, r.text
        assert REFUSED in text(r.text)
        assert "Traceback" not in r.text
    r = finn.client.post(
        "/hub/orders/1012/cancel",
        data={"csrf": token, "terms": "0:10800"},  # what a whole cancellation would have cost
        follow_redirects=False,
    )
    assert r.status_code == 409, r.text
    assert REFUSED in text(r.text)
    order = order_row(db, "1012")
    assert [(i.sku, i.quantity, i.status) for i in order.items] == [
        ("FP-M-GRY", 1, "unfulfilled"),
        ("RH-NVY", 1, "unfulfilled"),
    ]
    assert order.cancelled_at is None
    assert history(db) == []


def test_a_page_opened_before_the_warehouse_took_the_item_is_refused_on_submit(
    ava: Shopper, db: Session
) -> None:
    page = ava.get("/hub/orders/1001/edit").text
    assert "/edit/quantity" in page  # offered while nobody packed it
    jacket = item_id(db, "1001", "Trail Jacket")
    lock(db, "1001", "Trail Jacket")
    r = ava.client.post(
        "/hub/orders/1001/edit/quantity",
        data={"csrf": csrf_in(page), "item": jacket, "quantity": "2"},
        follow_redirects=False,
    )
    assert r.status_code == 422
    assert REFUSED in text(r.text)
    assert order_row(db, "1001").items[0].quantity == 1
    assert history(db) == []


def test_only_the_items_not_being_packed_are_offered_for_cancellation(
    ava: Shopper, db: Session
) -> None:
    lock(db, "1001", "Trail Jacket", "ON_HOLD")
    edit = text(ava.get("/hub/orders/1001/edit").text)
    jacket, beanie = edit.split("<h3>Trail Jacket</h3>", 1)[1].split("<h3>Merino Beanie</h3>", 1)
    assert CANNOT in jacket
    assert "<form" not in jacket
    assert f'value="{item_id(db, "1001", "Merino Beanie")}"' in beanie  # its forms are there
    cancel = text(ava.get("/hub/orders/1001/cancel").text)
    assert (
        "Already being packed and can no longer be cancelled: Trail Jacket. "
        "You can return it once it arrives." in cancel
    )
    offered = cancel.split("<h3>", 1)[1].split("</ul>", 1)[0]
    assert "Merino Beanie (Charcoal) × 1" in offered
    assert "Trail Jacket" not in offered
    r = ava.client.post(
        "/hub/orders/1001/cancel",
        data={"csrf": csrf_in(cancel), "terms": "0:3500"},  # free, the beanie's price back
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    order = order_row(db, "1001")
    assert [(i.title, i.status) for i in order.items] == [
        ("Trail Jacket", "unfulfilled"),
        ("Merino Beanie", "cancelled"),
    ]
    assert order.cancelled_at is None
    [row] = history(db)
    assert (row.after["whole_order"], row.after["packing_left"]) == (False, True)
    done = text(ava.get(r.headers["location"]).text)
    assert "The items of order #1001 that were not being packed yet are cancelled." in done
