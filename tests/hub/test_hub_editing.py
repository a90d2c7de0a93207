"""Editing an order in the Hub: swaps, quantities and addresses, re-checked at submit time."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.hub.shopping import Shopper, move_order_back, order_row

from deskhand.db.models import OrderHistory, Variant

EDIT = "/hub/orders/1001/edit"


def item_id(db: Session, number: str, title: str) -> str:
    order = order_row(db, number)
    return str(next(i.id for i in order.items if i.title == title))


def variant_id(db: Session, sku: str) -> str:
    db.rollback()
    return str(db.scalar(select(Variant.id).where(Variant.sku == sku)))


def stock(db: Session, sku: str) -> int:
    db.rollback()
    return int(db.scalar(select(Variant.stock).where(Variant.sku == sku)) or 0)


def history(db: Session) -> list[OrderHistory]:
    db.rollback()
    return list(db.scalars(select(OrderHistory).order_by(OrderHistory.id)))


def swap(
    shopper: Shopper, db: Session, sku: str, number: str = "1001", title: str = "Trail Jacket"
):  # type: ignore[no-untyped-def]
    return shopper.form(
        f"/hub/orders/{number}/edit",
        f"/hub/orders/{number}/edit/variant",
        {"item": item_id(db, number, title), "variant": variant_id(db, sku)},
    )


def test_edit_page_offers_only_in_stock_variants_of_the_same_product(ava: Shopper) -> None:
    page = ava.get(EDIT).text
    assert "You can change this order for another" in page
    jacket = page[page.index("Trail Jacket") : page.index("Merino Beanie")]
    assert re.search(r"<option value=\"\d+\" disabled>L / Navy — sold out</option>", jacket)
    assert re.search(r"<option value=\"\d+\">L / Olive</option>", jacket)
    assert "Charcoal" not in jacket  # no beanie colours among the jacket's choices
    beanie = page[page.index("Merino Beanie") :]
    assert "Mustard — sold out" in beanie


def test_swapping_the_size_moves_stock_records_history_and_confirms(
    ava: Shopper, db: Session
) -> None:
    before = stock(db, "TJ-L-OLV"), stock(db, "TJ-M-NVY")
    r = swap(ava, db, "TJ-L-OLV")
    assert r.status_code == 303
    assert r.headers["location"] == EDIT
    page = ava.get(EDIT).text
    assert "Done: Trail Jacket is now L / Olive (was M / Navy)" in page
    item = next(i for i in order_row(db, "1001").items if i.title == "Trail Jacket")
    assert (item.variant, item.sku) == ("L / Olive", "TJ-L-OLV")
    assert (stock(db, "TJ-L-OLV"), stock(db, "TJ-M-NVY")) == (before[0] - 1, before[1] + 1)
    [row] = history(db)
    assert (row.action, row.actor, row.via) == ("swap_variant", "customer", "hub")
    assert row.before["variant"] == "M / Navy"
    assert row.after["variant"] == "L / Olive"
    assert "Trail Jacket: M / Navy changed to L / Olive." in ava.get("/hub/orders/1001").text


def test_sold_out_variant_is_refused_and_nothing_changes(ava: Shopper, db: Session) -> None:
    r = swap(ava, db, "TJ-L-NVY")
    assert r.status_code == 422
    assert "sold out" in r.text
    assert "Nothing was changed" in r.text
    assert order_row(db, "1001").items[0].variant == "M / Navy"
    assert history(db) == []


def test_variant_of_another_product_is_refused(ava: Shopper, db: Session) -> None:
    r = swap(ava, db, "MB-NVY")  # a beanie colour offered for the jacket
    assert r.status_code == 422
    assert "not a size or colour of this item" in r.text
    assert order_row(db, "1001").items[0].sku == "TJ-M-NVY"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"item": "999999", "variant": "1"}, "not part of this order"),
        ({"item": "abc", "variant": "1"}, "not part of this order"),
        ({"item": "", "variant": ""}, "not part of this order"),
    ],
)
def test_tampered_item_ids_are_refused(
    ava: Shopper, db: Session, fields: dict[str, str], message: str
) -> None:
    r = ava.form(EDIT, f"{EDIT}/variant", fields)
    assert r.status_code == 422
    assert message in r.text
    assert history(db) == []


def test_an_item_of_someone_elses_order_is_refused(ava: Shopper, db: Session) -> None:
    bens_jacket = item_id(db, "1004", "Trail Jacket")
    r = ava.form(EDIT, f"{EDIT}/variant", {"item": bens_jacket, "variant": "1"})
    assert r.status_code == 422
    assert order_row(db, "1004").items[0].sku == "TJ-XL-BLK"


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-1", "between 1 and"),
        ("0", "between 1 and"),
        ("11", "between 1 and"),
        ("two", "whole number"),
        ("1.5", "whole number"),
        ("1", "already the quantity"),
    ],
)
def test_bad_quantities_are_explained_and_change_nothing(
    ava: Shopper, db: Session, quantity: str, message: str
) -> None:
    r = ava.form(
        EDIT,
        f"{EDIT}/quantity",
        {"item": item_id(db, "1001", "Merino Beanie"), "quantity": quantity},
    )
    assert r.status_code == 422
    assert message in r.text
    assert order_row(db, "1001").items[1].quantity == 1


def test_quantity_change_takes_stock_and_is_recorded(ava: Shopper, db: Session) -> None:
    before = stock(db, "MB-CHR")
    r = ava.form(
        EDIT, f"{EDIT}/quantity", {"item": item_id(db, "1001", "Merino Beanie"), "quantity": "3"}
    )
    assert r.status_code == 303
    assert "you now get 3 × Merino Beanie" in ava.get(EDIT).text
    assert order_row(db, "1001").items[1].quantity == 3
    assert stock(db, "MB-CHR") == before - 2
    assert history(db)[0].after["quantity"] == 3


def test_address_change_is_validated_and_recorded(ava: Shopper, db: Session) -> None:
    address = {
        "name": "Ava Jansen",
        "line1": "Prinsengracht 263",
        "city": "Amsterdam",
        "postcode": "1016gv",
        "country": "NL",
    }
    r = ava.form(EDIT, f"{EDIT}/address", address)
    assert r.status_code == 303
    assert "we will deliver to Prinsengracht 263, 1016 GV Amsterdam" in ava.get(EDIT).text
    assert order_row(db, "1001").shipping_address["postcode"] == "1016 GV"
    assert history(db)[0].action == "change_address"


@pytest.mark.parametrize(
    ("country", "postcode"),
    [("NL", "1016"), ("DE", "1011"), ("SE", "1145"), ("FR", "99001"), ("ES", "53001"),
     ("BE", "0999"), ("NL", "1016 SA")],
)  # fmt: skip
def test_postcode_that_does_not_fit_the_country_is_refused(
    ava: Shopper, db: Session, country: str, postcode: str
) -> None:
    fields = {"name": "A", "line1": "B 1", "city": "C", "postcode": postcode, "country": country}
    r = ava.form(EDIT, f"{EDIT}/address", fields)
    assert r.status_code == 422
    assert "This is not a postcode of the country chosen." in r.text
    assert 'id="a-postcode" name="postcode" value="' + postcode in r.text
    assert order_row(db, "1001").shipping_address["postcode"] == "1015 CS"


def test_missing_fields_and_unknown_country_are_refused(ava: Shopper) -> None:
    r = ava.form(EDIT, f"{EDIT}/address", {"name": "", "country": "US", "postcode": "10001"})
    assert r.status_code == 422
    assert r.text.count("Fill this in.") == 3  # name, street, city
    assert "We do not deliver to this country." in r.text


def test_window_that_closed_while_the_page_was_open_refuses_the_change(
    ava: Shopper, db: Session
) -> None:
    page = ava.get(EDIT).text
    assert "Change size or colour" in page
    move_order_back(db, "1001", timedelta(hours=2))  # the page stayed open past the window
    r = swap(ava, db, "TJ-L-OLV")
    assert r.status_code == 409
    assert "The time for changes has passed." in r.text
    assert order_row(db, "1001").items[0].sku == "TJ-M-NVY"
    assert history(db) == []


def test_shipped_item_shows_why_and_cannot_be_changed(ava: Shopper, db: Session) -> None:
    page = ava.get("/hub/orders/1002/edit").text
    assert "It has already shipped." in page
    r = swap(ava, db, "TJ-M-OLV", number="1002", title="Trail Jacket")
    assert r.status_code == 409
    assert "It has already shipped." in r.text
    assert order_row(db, "1002").items[0].sku == "TJ-L-OLV"


def test_personalised_and_preorder_items_say_why(ben: Shopper) -> None:
    page = ben.get("/hub/orders/1006/edit").text
    assert "It is personalised" in page
    assert "Change quantity" in page  # the kettle next to it can still change


def test_window_passed_order_says_so(ben: Shopper) -> None:
    page = ben.get("/hub/orders/1004/edit").text
    assert "Changes are possible for 2 hours after ordering" in page
    assert "Change size or colour" not in page


def test_edit_without_csrf_token_changes_nothing(ava: Shopper, db: Session) -> None:
    r = ava.client.post(
        f"{EDIT}/variant",
        data={"item": item_id(db, "1001", "Trail Jacket"), "variant": variant_id(db, "TJ-L-OLV")},
        follow_redirects=False,
    )
    assert r.status_code == 403
    assert order_row(db, "1001").items[0].sku == "TJ-M-NVY"


def test_another_customers_order_is_the_same_404_as_a_missing_one(ava: Shopper) -> None:
    theirs = ava.get("/hub/orders/1004/edit")
    missing = ava.get("/hub/orders/9999/edit")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.headers["content-type"].startswith("text/html")
    # The same page, but for the number in its own address (the language links).
    assert theirs.text.replace("1004", "N") == missing.text.replace("9999", "N")
    assert "Ben" not in theirs.text
    assert "Trail Jacket" not in theirs.text
    post = ava.form(EDIT, "/hub/orders/1004/cancel", {"terms": "500:20300"})
    assert post.status_code == 404
