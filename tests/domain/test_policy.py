"""The brand's policy rules, decided for one order at one explicit moment (never the clock)."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest

from deskhand.agent.replies.wording import LOCALES, Wording
from deskhand.domain.orders import ItemStatus, LineItem, Money, Order, OrderStatus, Shipment
from deskhand.domain.policy import (
    CancelVerdict,
    EditVerdict,
    PolicyRules,
    ShippingTime,
    Why,
    cancellation_terms,
    editability_of,
    return_eligibility,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
RULES = PolicyRules()
ONE_SECOND = timedelta(seconds=1)
TWO_HOURS = timedelta(hours=2)

_ids = itertools.count(1)


# --- factories ------------------------------------------------------------------------------


def line_item(status: ItemStatus, **fields: object) -> LineItem:
    values: dict[str, object] = {
        "id": next(_ids),
        "title": "Linen shirt",
        "variant": "M / Sand",
        "quantity": 1,
        "unit_price": 4500,
        "status": status,
    }
    values.update(fields)
    return LineItem(**values)  # type: ignore[arg-type]


def unfulfilled_item(**fields: object) -> LineItem:
    return line_item(ItemStatus.UNFULFILLED, **fields)


def shipped_item(shipment_id: int = 1, **fields: object) -> LineItem:
    return line_item(ItemStatus.SHIPPED, shipment_id=shipment_id, **fields)


def delivered_item(shipment_id: int = 1, **fields: object) -> LineItem:
    return line_item(ItemStatus.DELIVERED, shipment_id=shipment_id, **fields)


def cancelled_item(**fields: object) -> LineItem:
    return line_item(ItemStatus.CANCELLED, **fields)


def shipment_in_transit(shipment_id: int = 1, shipped_at: datetime = NOW) -> Shipment:
    return Shipment(
        id=shipment_id,
        carrier="PostNL",
        tracking_number=f"3S{shipment_id:08d}",
        tracking_url=f"https://track.example/3S{shipment_id:08d}",
        status="in_transit",
        shipped_at=shipped_at,
    )


def shipment_delivered(shipment_id: int = 1, *, delivered_at: datetime) -> Shipment:
    return Shipment(
        id=shipment_id,
        carrier="PostNL",
        tracking_number=f"3S{shipment_id:08d}",
        tracking_url=f"https://track.example/3S{shipment_id:08d}",
        status="delivered",
        shipped_at=delivered_at - timedelta(days=2),
        delivered_at=delivered_at,
    )


def order_at(
    placed_at: datetime,
    items: tuple[LineItem, ...] | None = None,
    *,
    shipments: tuple[Shipment, ...] = (),
    cancelled_at: datetime | None = None,
    currency: str = "EUR",
) -> Order:
    return Order(
        id=1001,
        number="1001",
        customer_id=7,
        placed_at=placed_at,
        currency=currency,
        items=items if items is not None else (unfulfilled_item(),),
        shipments=shipments,
        cancelled_at=cancelled_at,
    )


def order_placed(
    minutes_ago: float = 30,
    items: tuple[LineItem, ...] | None = None,
    **kwargs: object,
) -> Order:
    return order_at(NOW - timedelta(minutes=minutes_ago), items, **kwargs)  # type: ignore[arg-type]


def delivered_order(days_ago: float, item: LineItem) -> Order:
    """An order whose one shipment (id 1) was delivered `days_ago` days before NOW."""
    delivered_at = NOW - timedelta(days=days_ago)
    return order_at(
        delivered_at - timedelta(days=3),
        (item,),
        shipments=(shipment_delivered(1, delivered_at=delivered_at),),
    )


# --- 1. the agent's table: what may still be changed ------------------------------------------


def test_unfulfilled_order_in_window_is_editable_with_exact_time_left() -> None:
    order = order_placed(minutes_ago=30, items=(unfulfilled_item(), unfulfilled_item()))

    result = editability_of(order, RULES, NOW)

    assert result.verdict == EditVerdict.EDITABLE
    assert result.window_ends_at == order.placed_at + TWO_HOURS
    assert result.time_left == timedelta(minutes=90)
    assert result.editable_items == order.items
    assert all(v.ok and v.why is None for v in result.items)
    assert result.address_changeable is True


def test_order_placed_this_very_second_has_the_whole_window_left() -> None:
    result = editability_of(order_placed(minutes_ago=0), RULES, NOW)

    assert result.verdict == EditVerdict.EDITABLE
    assert result.time_left == TWO_HOURS


def test_partially_fulfilled_order_lets_only_unshipped_items_change() -> None:
    first, gone, last = unfulfilled_item(), shipped_item(shipment_id=1), unfulfilled_item()
    order = order_placed(
        minutes_ago=30, items=(first, gone, last), shipments=(shipment_in_transit(1),)
    )

    result = editability_of(order, RULES, NOW)

    assert order.status == OrderStatus.PARTIALLY_FULFILLED
    assert result.verdict == EditVerdict.PARTIALLY_EDITABLE
    assert result.editable_items == (first, last)
    assert result.items_because(Why.SHIPPED) == (gone,)
    assert result.address_changeable is True


@pytest.mark.parametrize(
    "items",
    [
        pytest.param((shipped_item(), shipped_item()), id="fulfilled"),
        pytest.param((delivered_item(), delivered_item()), id="delivered"),
        pytest.param((shipped_item(), delivered_item()), id="shipped-and-delivered"),
    ],
)
def test_shipped_order_cannot_be_changed_even_inside_window(items: tuple[LineItem, ...]) -> None:
    order = order_placed(minutes_ago=30, items=items, shipments=(shipment_in_transit(1),))

    result = editability_of(order, RULES, NOW)

    assert result.verdict == EditVerdict.SHIPPED
    assert result.editable_items == ()
    assert result.address_changeable is False


def test_order_outside_window_cannot_be_changed_item_by_item() -> None:
    order = order_placed(minutes_ago=180, items=(unfulfilled_item(), unfulfilled_item()))

    result = editability_of(order, RULES, NOW)

    assert result.verdict == EditVerdict.WINDOW_PASSED
    assert result.items_because(Why.WINDOW_PASSED) == order.items
    assert result.editable_items == ()
    assert result.time_left == timedelta(0)
    assert result.window_ends_at == order.placed_at + TWO_HOURS
    assert result.address_changeable is False


def test_personalised_item_makes_an_editable_order_partially_editable() -> None:
    plain, engraved = unfulfilled_item(), unfulfilled_item(personalised=True)
    order = order_placed(minutes_ago=30, items=(plain, engraved))

    result = editability_of(order, RULES, NOW)

    assert result.verdict == EditVerdict.PARTIALLY_EDITABLE
    assert result.editable_items == (plain,)
    assert result.items_because(Why.PERSONALISED) == (engraved,)
    assert result.address_changeable is True


def test_preorder_only_order_is_not_editable_inside_window() -> None:
    preorder = unfulfilled_item(preorder=True)
    order = order_placed(minutes_ago=30, items=(preorder,))

    result = editability_of(order, RULES, NOW)

    assert result.verdict == EditVerdict.NOT_EDITABLE
    assert result.items_because(Why.PREORDER) == (preorder,)
    assert result.editable_items == ()
    assert result.time_left == timedelta(minutes=90)
    assert result.address_changeable is False


@pytest.mark.parametrize(
    ("items", "cancelled_at"),
    [
        pytest.param((unfulfilled_item(),), NOW - timedelta(minutes=5), id="cancelled-at-set"),
        pytest.param((cancelled_item(), cancelled_item()), None, id="every-item-cancelled"),
    ],
)
def test_cancelled_order_cannot_be_changed(
    items: tuple[LineItem, ...], cancelled_at: datetime | None
) -> None:
    order = order_placed(minutes_ago=30, items=items, cancelled_at=cancelled_at)

    result = editability_of(order, RULES, NOW)

    assert result.verdict == EditVerdict.CANCELLED
    assert result.items_because(Why.CANCELLED) == order.items
    assert result.address_changeable is False


def test_cancelled_item_does_not_stop_the_rest_of_the_order_being_editable() -> None:
    live, dropped = unfulfilled_item(), cancelled_item()
    order = order_placed(minutes_ago=30, items=(live, dropped))

    result = editability_of(order, RULES, NOW)

    assert result.verdict == EditVerdict.EDITABLE
    assert result.editable_items == (live,)
    assert result.items_because(Why.CANCELLED) == (dropped,)


def test_rules_without_address_changes_make_address_unchangeable() -> None:
    rules = PolicyRules(allowed_changes=frozenset({"size", "colour", "quantity"}))

    result = editability_of(order_placed(minutes_ago=30), rules, NOW)

    assert result.verdict == EditVerdict.EDITABLE
    assert result.address_changeable is False


# --- 2. window edges ----------------------------------------------------------------------------

EDGES = [
    pytest.param(-ONE_SECOND, True, id="one-second-before"),
    pytest.param(timedelta(0), False, id="exactly-at"),
    pytest.param(ONE_SECOND, False, id="one-second-after"),
]


@pytest.mark.parametrize(("offset", "inside"), EDGES)
def test_change_window_is_half_open(offset: timedelta, inside: bool) -> None:
    placed_at = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    order = order_at(placed_at)
    now = placed_at + TWO_HOURS + offset

    result = editability_of(order, RULES, now)

    assert result.window_ends_at == placed_at + TWO_HOURS
    if inside:
        assert result.verdict == EditVerdict.EDITABLE
        assert result.time_left == ONE_SECOND
    else:
        assert result.verdict == EditVerdict.WINDOW_PASSED
        assert result.time_left == timedelta(0)


@pytest.mark.parametrize(("offset", "inside"), EDGES)
def test_custom_one_hour_change_window_is_half_open(offset: timedelta, inside: bool) -> None:
    rules = PolicyRules(change_window=timedelta(hours=1))
    placed_at = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    order = order_at(placed_at)

    result = editability_of(order, rules, placed_at + timedelta(hours=1) + offset)

    assert result.window_ends_at == placed_at + timedelta(hours=1)
    expected = EditVerdict.EDITABLE if inside else EditVerdict.WINDOW_PASSED
    assert result.verdict == expected


@pytest.mark.parametrize(("offset", "inside"), EDGES)
def test_free_cancellation_window_is_half_open(offset: timedelta, inside: bool) -> None:
    placed_at = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    order = order_at(placed_at, (unfulfilled_item(unit_price=4500),))

    terms = cancellation_terms(order, RULES, placed_at + TWO_HOURS + offset)

    if inside:
        assert terms.verdict == CancelVerdict.FREE
        assert terms.fee == Money(0, "EUR")
        assert terms.free_until == placed_at + TWO_HOURS
    else:
        assert terms.verdict == CancelVerdict.WITH_FEE
        assert terms.fee == Money(500, "EUR")
        assert terms.free_until is None


@pytest.mark.parametrize(("offset", "inside"), EDGES)
def test_custom_one_hour_free_cancellation_window_is_half_open(
    offset: timedelta, inside: bool
) -> None:
    rules = PolicyRules(free_cancellation_window=timedelta(hours=1))
    placed_at = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    order = order_at(placed_at)

    terms = cancellation_terms(order, rules, placed_at + timedelta(hours=1) + offset)

    expected = CancelVerdict.FREE if inside else CancelVerdict.WITH_FEE
    assert terms.verdict == expected


# --- 3. cancellation terms ----------------------------------------------------------------------


def test_order_inside_free_window_cancels_free_with_full_refund() -> None:
    items = (unfulfilled_item(quantity=2, unit_price=1999), unfulfilled_item(unit_price=2500))
    order = order_placed(minutes_ago=30, items=items)

    terms = cancellation_terms(order, RULES, NOW)

    assert terms.verdict == CancelVerdict.FREE
    assert terms.fee == Money(0, "EUR")
    assert terms.refund == Money(2 * 1999 + 2500, "EUR")
    assert terms.cancellable_items == items
    assert terms.shipped_items == ()
    assert terms.free_until == order.placed_at + TWO_HOURS
    assert terms.allowed is True


def test_order_outside_window_offers_cancellation_with_fee() -> None:
    items = (unfulfilled_item(quantity=2, unit_price=1999), unfulfilled_item(unit_price=2500))
    order = order_placed(minutes_ago=180, items=items)

    terms = cancellation_terms(order, RULES, NOW)

    assert terms.verdict == CancelVerdict.WITH_FEE
    assert terms.fee == Money(500, "EUR")
    assert terms.refund == Money(2 * 1999 + 2500 - 500, "EUR")
    assert terms.cancellable_items == items
    assert terms.free_until is None
    assert terms.allowed is True


def test_fee_never_makes_the_refund_negative() -> None:
    order = order_placed(minutes_ago=180, items=(unfulfilled_item(unit_price=300),))

    terms = cancellation_terms(order, RULES, NOW)

    assert terms.verdict == CancelVerdict.WITH_FEE
    assert terms.fee == Money(500, "EUR")
    assert terms.refund == Money(0, "EUR")


@pytest.mark.parametrize(
    ("minutes_ago", "fee"),
    [
        pytest.param(30, 0, id="inside-free-window"),
        pytest.param(180, 500, id="after-free-window"),
    ],
)
def test_partially_shipped_order_cancels_only_unshipped_items(minutes_ago: int, fee: int) -> None:
    waiting = unfulfilled_item(quantity=2, unit_price=1500)
    gone = shipped_item(shipment_id=1, unit_price=9900)
    order = order_placed(
        minutes_ago=minutes_ago, items=(waiting, gone), shipments=(shipment_in_transit(1),)
    )

    terms = cancellation_terms(order, RULES, NOW)

    assert terms.verdict == CancelVerdict.PARTIAL
    assert terms.cancellable_items == (waiting,)
    assert terms.shipped_items == (gone,)
    assert terms.fee == Money(fee, "EUR")
    assert terms.refund == Money(3000 - fee, "EUR")
    expected_free_until = order.placed_at + TWO_HOURS if fee == 0 else None
    assert terms.free_until == expected_free_until
    assert terms.allowed is True


@pytest.mark.parametrize(
    ("minutes_ago", "items"),
    [
        pytest.param(30, (shipped_item(), shipped_item()), id="shipped-inside-free-window"),
        pytest.param(180, (shipped_item(), delivered_item()), id="shipped-and-delivered"),
        pytest.param(60 * 24 * 5, (delivered_item(),), id="delivered"),
    ],
)
def test_shipped_order_cannot_be_cancelled(minutes_ago: int, items: tuple[LineItem, ...]) -> None:
    order = order_placed(minutes_ago=minutes_ago, items=items, shipments=(shipment_in_transit(1),))

    terms = cancellation_terms(order, RULES, NOW)

    assert terms.verdict == CancelVerdict.SHIPPED
    assert terms.cancellable_items == ()
    assert terms.shipped_items == items
    assert terms.fee == Money(0, "EUR")
    assert terms.refund == Money(0, "EUR")
    assert terms.free_until is None
    assert terms.allowed is False


def test_cancelled_order_is_already_cancelled() -> None:
    order = order_placed(minutes_ago=30, cancelled_at=NOW - timedelta(minutes=10))

    terms = cancellation_terms(order, RULES, NOW)

    assert terms.verdict == CancelVerdict.ALREADY_CANCELLED
    assert terms.cancellable_items == ()
    assert terms.refund == Money(0, "EUR")
    assert terms.free_until is None
    assert terms.allowed is False


def test_already_cancelled_items_are_not_refunded_again() -> None:
    live, dropped = unfulfilled_item(unit_price=2000), cancelled_item(unit_price=7000)
    order = order_placed(minutes_ago=30, items=(live, dropped))

    terms = cancellation_terms(order, RULES, NOW)

    assert terms.verdict == CancelVerdict.FREE
    assert terms.cancellable_items == (live,)
    assert terms.refund == Money(2000, "EUR")


@pytest.mark.parametrize(
    ("minutes_ago", "items", "cancelled"),
    [
        pytest.param(30, (unfulfilled_item(),), False, id="free"),
        pytest.param(180, (unfulfilled_item(),), False, id="with-fee"),
        pytest.param(30, (unfulfilled_item(), shipped_item()), False, id="partial"),
        pytest.param(30, (shipped_item(),), False, id="shipped"),
        pytest.param(30, (unfulfilled_item(),), True, id="already-cancelled"),
    ],
)
def test_cancellation_money_keeps_the_order_currency(
    minutes_ago: int, items: tuple[LineItem, ...], cancelled: bool
) -> None:
    order = order_placed(
        minutes_ago=minutes_ago,
        items=items,
        shipments=(shipment_in_transit(1),),
        cancelled_at=NOW if cancelled else None,
        currency="SEK",
    )

    terms = cancellation_terms(order, RULES, NOW)

    assert terms.fee.currency == "SEK"
    assert terms.refund.currency == "SEK"


# --- 4. returns ---------------------------------------------------------------------------------


def test_item_delivered_ten_days_ago_can_be_returned() -> None:
    order = delivered_order(10, delivered_item(shipment_id=1))

    verdict = return_eligibility(order.items[0], order, RULES, NOW)

    assert verdict.ok is True
    assert verdict.why is None
    assert verdict.window_ends_at == NOW - timedelta(days=10) + timedelta(days=30)


def test_item_delivered_45_days_ago_is_past_the_return_window() -> None:
    order = delivered_order(45, delivered_item(shipment_id=1))

    verdict = return_eligibility(order.items[0], order, RULES, NOW)

    assert verdict.ok is False
    assert verdict.why == Why.RETURN_WINDOW_PASSED
    assert verdict.window_ends_at == NOW - timedelta(days=45) + timedelta(days=30)


@pytest.mark.parametrize(("offset", "inside"), EDGES)
def test_return_window_ends_exactly_30_days_after_delivery(offset: timedelta, inside: bool) -> None:
    delivered_at = datetime(2026, 2, 1, 9, 15, tzinfo=UTC)
    item = delivered_item(shipment_id=1)
    order = order_at(
        delivered_at - timedelta(days=2),
        (item,),
        shipments=(shipment_delivered(1, delivered_at=delivered_at),),
    )
    ends = delivered_at + timedelta(days=30)

    verdict = return_eligibility(item, order, RULES, ends + offset)

    assert verdict.ok is inside
    assert verdict.why == (None if inside else Why.RETURN_WINDOW_PASSED)
    assert verdict.window_ends_at == ends


def test_return_window_counts_from_the_items_own_shipment() -> None:
    early, late = delivered_item(shipment_id=1), delivered_item(shipment_id=2)
    order = order_at(
        NOW - timedelta(days=40),
        (early, late),
        shipments=(
            shipment_delivered(1, delivered_at=NOW - timedelta(days=31)),
            shipment_delivered(2, delivered_at=NOW - timedelta(days=5)),
        ),
    )

    assert return_eligibility(early, order, RULES, NOW).why == Why.RETURN_WINDOW_PASSED
    assert return_eligibility(late, order, RULES, NOW).ok is True


def test_custom_return_window_length_is_respected() -> None:
    rules = PolicyRules(return_window_days=14)
    order = delivered_order(15, delivered_item(shipment_id=1))

    verdict = return_eligibility(order.items[0], order, rules, NOW)

    assert verdict.why == Why.RETURN_WINDOW_PASSED
    assert verdict.window_ends_at == NOW - timedelta(days=1)


@pytest.mark.parametrize(
    ("flag", "why"),
    [
        pytest.param("final_sale", Why.FINAL_SALE, id="final-sale"),
        pytest.param("gift_card", Why.GIFT_CARD, id="gift-card"),
        pytest.param("personalised", Why.PERSONALISED, id="personalised"),
    ],
)
def test_excluded_item_cannot_be_returned_even_inside_window(flag: str, why: Why) -> None:
    order = delivered_order(3, delivered_item(shipment_id=1, **{flag: True}))

    verdict = return_eligibility(order.items[0], order, RULES, NOW)

    assert verdict.ok is False
    assert verdict.why == why


@pytest.mark.parametrize(
    ("item", "shipments"),
    [
        pytest.param(shipped_item(shipment_id=1), (shipment_in_transit(1),), id="in-transit"),
        pytest.param(unfulfilled_item(), (), id="not-shipped-yet"),
    ],
)
def test_item_not_yet_delivered_cannot_be_returned(
    item: LineItem, shipments: tuple[Shipment, ...]
) -> None:
    order = order_placed(minutes_ago=60 * 24, items=(item,), shipments=shipments)

    verdict = return_eligibility(item, order, RULES, NOW)

    assert verdict.ok is False
    assert verdict.why == Why.NOT_DELIVERED
    assert verdict.window_ends_at is None


def test_rules_without_exclusions_make_a_final_sale_item_returnable() -> None:
    rules = PolicyRules(return_excluded=frozenset())
    order = delivered_order(10, delivered_item(shipment_id=1, final_sale=True))

    verdict = return_eligibility(order.items[0], order, rules, NOW)

    assert verdict.ok is True
    assert verdict.why is None


# --- 5. order status derivation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "cancelled", "expected"),
    [
        pytest.param(("unfulfilled", "unfulfilled"), False, "unfulfilled", id="all-unfulfilled"),
        pytest.param(("unfulfilled", "shipped"), False, "partially_fulfilled", id="u+s"),
        pytest.param(("unfulfilled", "delivered"), False, "partially_fulfilled", id="u+d"),
        pytest.param(("shipped", "shipped"), False, "fulfilled", id="all-shipped"),
        pytest.param(("shipped", "delivered"), False, "fulfilled", id="s+d"),
        pytest.param(("delivered", "delivered"), False, "delivered", id="all-delivered"),
        pytest.param(("cancelled", "cancelled"), False, "cancelled", id="all-items-cancelled"),
        pytest.param(("unfulfilled", "shipped"), True, "cancelled", id="cancelled-at-set"),
        pytest.param(("unfulfilled", "cancelled"), False, "unfulfilled", id="u+c"),
        pytest.param(("shipped", "cancelled"), False, "fulfilled", id="s+c"),
        pytest.param(("delivered", "cancelled"), False, "delivered", id="d+c"),
        pytest.param(
            ("unfulfilled", "shipped", "cancelled"), False, "partially_fulfilled", id="u+s+c"
        ),
    ],
)
def test_order_status_is_derived_from_its_items(
    statuses: tuple[str, ...], cancelled: bool, expected: str
) -> None:
    items = tuple(line_item(ItemStatus(s), shipment_id=1) for s in statuses)
    order = order_placed(
        items=items,
        shipments=(shipment_in_transit(1),),
        cancelled_at=NOW if cancelled else None,
    )

    assert order.status == OrderStatus(expected)


# --- 6. rules as JSON ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rules",
    [
        pytest.param(PolicyRules(), id="defaults"),
        pytest.param(
            PolicyRules(
                change_window=timedelta(minutes=45),
                allowed_changes=frozenset({"size", "address"}),
                free_cancellation_window=timedelta(hours=24),
                cancellation_fee=750,
                return_window_days=14,
                return_excluded=frozenset({"gift_card"}),
                refund_business_days=10,
                shipping_times=(ShippingTime("NL", 1, 2), ShippingTime("EU", 3, 7)),
                adding_items_supported=True,
                hub_enabled=False,
            ),
            id="custom",
        ),
    ],
)
def test_rules_survive_a_json_round_trip(rules: PolicyRules) -> None:
    assert PolicyRules.from_json(rules.to_json()) == rules
    assert PolicyRules.from_json(json.loads(json.dumps(rules.to_json()))) == rules


# --- 7. time zones and money through Wording ----------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        pytest.param(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "14:00", id="summer-utc+2"),
        pytest.param(datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "13:00", id="winter-utc+1"),
    ],
)
def test_clock_shows_brand_local_time(moment: datetime, expected: str) -> None:
    assert Wording("en", "Europe/Amsterdam").clock(moment) == f"{expected} Amsterdam time"
    assert Wording("en", "Europe/Amsterdam").bare_clock(moment) == expected


@pytest.mark.parametrize(
    ("lang", "zone", "expected"),
    [
        ("en", "Europe/Lisbon", "13:00 Lisbon time"),
        ("de", "Europe/Amsterdam", "14:00 Uhr Ortszeit Amsterdam"),
        ("nl", "Europe/Amsterdam", "14:00 uur lokale tijd Amsterdam"),
        ("sv", "Europe/Stockholm", "14:00 lokal tid i Stockholm"),
        ("fr", "Europe/Paris", "14:00, heure locale à Paris"),
        ("es", "Europe/Madrid", "14:00, hora de Madrid"),
    ],
)
def test_clock_names_the_brands_zone_in_each_language(lang: str, zone: str, expected: str) -> None:
    assert Wording(lang, zone).clock(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == expected


@pytest.mark.parametrize(
    ("placed_at", "placed_local", "ends_local"),
    [
        pytest.param(
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "02:30", "03:30", id="clocks-go-back"
        ),
        pytest.param(
            datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "01:30", "04:30", id="clocks-go-forward"
        ),
    ],
)
def test_change_window_across_dst_shows_the_right_local_clock(
    placed_at: datetime, placed_local: str, ends_local: str
) -> None:
    wording = Wording("en", "Europe/Amsterdam")
    order = order_at(placed_at)

    result = editability_of(order, RULES, placed_at + timedelta(minutes=10))

    assert result.window_ends_at == placed_at + TWO_HOURS
    assert result.time_left == timedelta(minutes=110)
    assert wording.bare_clock(order.placed_at) == placed_local
    assert wording.bare_clock(result.window_ends_at) == ends_local
    assert wording.clock(result.window_ends_at) == f"{ends_local} Amsterdam time"


def test_money_in_english_is_euro_sign_first() -> None:
    assert Wording("en", "Europe/Amsterdam").money(Money(500, "EUR")) == "€5.00"


def test_money_in_german_uses_decimal_comma() -> None:
    if not (LOCALES / "de").exists():
        pytest.skip("German catalogue (locales/de) does not exist yet")

    text = Wording("de", "Europe/Berlin").money(Money(500, "EUR"))

    assert "5,00" in text
    assert "€" in text
