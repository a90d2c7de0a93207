"""Cancelling in the Hub: the fee that applies now, the refund, and a confirmation."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.hub.shopping import Shopper, csrf_in, move_order_back, order_row

from deskhand.db.models import OrderHistory, Variant


def terms_on(html: str) -> str:
    found = re.search(r'name="terms" value="([^"]+)"', html)
    assert found
    return found.group(1)


def confirm(shopper: Shopper, number: str) -> tuple[str, object]:
    page = shopper.get(f"/hub/orders/{number}/cancel").text
    r = shopper.client.post(
        f"/hub/orders/{number}/cancel",
        data={"csrf": csrf_in(page), "terms": terms_on(page)},
        follow_redirects=False,
    )
    return page, r


def test_free_cancellation_within_the_window(ava: Shopper, db: Session) -> None:
    db.rollback()
    beanie_stock = db.scalar(select(Variant.stock).where(Variant.sku == "MB-CHR"))
    page, r = confirm(ava, "1001")
    assert "Cancelling is free for another" in page
    assert "€224.00" in page  # the refund: everything
    assert r.status_code == 303  # type: ignore[attr-defined]
    shown = ava.get("/hub/orders/1001").text
    assert "Order #1001 is cancelled. Cancellation fee: €0.00. We refund €224.00" in shown
    order = order_row(db, "1001")
    assert order.cancelled_at is not None
    assert {i.status for i in order.items} == {"cancelled"}
    assert db.scalar(select(Variant.stock).where(Variant.sku == "MB-CHR")) == beanie_stock + 1
    [row] = db.scalars(select(OrderHistory)).all()
    assert (row.action, row.after["fee"], row.after["refund"]) == ("cancel", 0, 22400)


def test_cancellation_after_the_free_window_shows_and_charges_the_fee(
    ben: Shopper, db: Session
) -> None:
    page, r = confirm(ben, "1004")
    assert "A cancellation fee of €5.00 applies" in page
    assert "€203.00" in page
    assert "Yes, cancel order #1004" in page
    assert r.status_code == 303  # type: ignore[attr-defined]
    assert "Cancellation fee: €5.00. We refund €203.00" in ben.get("/hub/orders/1004").text
    assert order_row(db, "1004").cancelled_at is not None


def test_terms_that_changed_after_the_page_opened_are_shown_again(
    ava: Shopper, db: Session
) -> None:
    page = ava.get("/hub/orders/1001/cancel").text
    assert "free" in page
    move_order_back(db, "1001", timedelta(hours=2))  # the free window closed meanwhile
    r = ava.client.post(
        "/hub/orders/1001/cancel",
        data={"csrf": csrf_in(page), "terms": terms_on(page)},
        follow_redirects=False,
    )
    assert r.status_code == 409
    assert "The terms have changed" in r.text
    assert "€5.00" in r.text
    assert order_row(db, "1001").cancelled_at is None


def test_partly_shipped_order_cancels_only_what_has_not_shipped(ava: Shopper, db: Session) -> None:
    page, r = confirm(ava, "1002")
    assert "Already shipped and cannot be cancelled: Trail Jacket" in page
    assert r.status_code == 303  # type: ignore[attr-defined]
    order = order_row(db, "1002")
    assert order.cancelled_at is None
    assert [i.status for i in order.items] == ["shipped", "cancelled"]


def test_shipped_order_cannot_be_cancelled(client, db: Session) -> None:  # type: ignore[no-untyped-def]
    chloe = Shopper(client)
    chloe.sign_in("chloe@example.com")
    page = chloe.get("/hub/orders/1009/cancel").text
    assert "has already shipped and can no longer be cancelled" in page
    assert 'name="terms"' not in page
    r = chloe.client.post(
        "/hub/orders/1009/cancel",
        data={"csrf": csrf_in(page), "terms": "0:5400"},
        follow_redirects=False,
    )
    assert r.status_code == 409
    assert order_row(db, "1009").cancelled_at is None


def test_tampered_terms_do_not_cancel(ben: Shopper, db: Session) -> None:
    page = ben.get("/hub/orders/1004/cancel").text
    r = ben.client.post(
        "/hub/orders/1004/cancel",
        data={"csrf": csrf_in(page), "terms": "0:20800"},  # "no fee, please"
        follow_redirects=False,
    )
    assert r.status_code == 409
    assert order_row(db, "1004").cancelled_at is None
