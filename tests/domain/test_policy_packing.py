"""Items the warehouse is already packing: neither changeable nor cancellable, the rest is."""

from __future__ import annotations

from datetime import timedelta

from tests.domain.test_policy import NOW, RULES, order_at, shipped_item, unfulfilled_item

from deskhand.domain.policy import (
    CancelVerdict,
    EditVerdict,
    Why,
    cancellation_terms,
    editability_of,
    item_editability,
)

PLACED = NOW - timedelta(minutes=20)  # well inside the change and free cancellation windows


def test_an_item_being_packed_cannot_change_and_says_why() -> None:
    packing = unfulfilled_item(in_fulfilment=True)
    free = unfulfilled_item()
    order = order_at(PLACED, (packing, free))
    assert item_editability(packing, order, RULES, NOW).why == Why.IN_FULFILMENT
    ed = editability_of(order, RULES, NOW)
    assert ed.verdict == EditVerdict.PARTIALLY_EDITABLE
    assert ed.editable_items == (free,)
    assert ed.items_because(Why.IN_FULFILMENT) == (packing,)
    assert order.in_fulfilment_items == (packing,)


def test_being_packed_wins_over_personalised_as_the_reason() -> None:
    item = unfulfilled_item(in_fulfilment=True, personalised=True)
    order = order_at(PLACED, (item,))
    assert item_editability(item, order, RULES, NOW).why == Why.IN_FULFILMENT


def test_only_the_items_not_being_packed_can_be_cancelled() -> None:
    packing = unfulfilled_item(in_fulfilment=True, unit_price=7900)
    free = unfulfilled_item(unit_price=2900)
    terms = cancellation_terms(order_at(PLACED, (packing, free)), RULES, NOW)
    assert terms.verdict == CancelVerdict.PARTIAL  # never the whole order
    assert terms.cancellable_items == (free,)
    assert terms.packing_items == (packing,)
    assert terms.shipped_items == ()
    assert terms.refund.amount == 2900


def test_an_order_entirely_being_packed_cannot_be_cancelled() -> None:
    order = order_at(PLACED, (unfulfilled_item(in_fulfilment=True), shipped_item()))
    terms = cancellation_terms(order, RULES, NOW)
    assert terms.verdict == CancelVerdict.IN_FULFILMENT
    assert not terms.allowed
    assert len(terms.packing_items) == 1
    assert editability_of(order, RULES, NOW).verdict == EditVerdict.NOT_EDITABLE


def test_a_shipped_item_is_never_counted_as_being_packed() -> None:
    shipped = shipped_item(in_fulfilment=True)  # a stale flag on an item already sent
    free = unfulfilled_item()
    order = order_at(PLACED, (shipped, free))
    assert order.in_fulfilment_items == ()
    assert item_editability(shipped, order, RULES, NOW).why == Why.SHIPPED
    assert cancellation_terms(order, RULES, NOW).cancellable_items == (free,)
