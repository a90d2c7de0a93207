"""Changing and cancelling an order in the Hub, re-checked against the policy at submit time.

What the page offered is never trusted: every submit reloads the order, asks the policy rules
again with the current clock (the window may have closed while the page was open), checks the
form's values against the order and the catalogue, and only then asks the Store to change it.
Each change comes back as a `Change` for the order's history.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from deskhand.commerce.store import Store, StoreRefused
from deskhand.db.models import OrderHistory
from deskhand.domain.orders import Address, LineItem, Order, Variant
from deskhand.domain.policy import (
    CancellationTerms,
    CancelVerdict,
    Editability,
    PolicyRules,
    Why,
    cancellation_terms,
    editability_of,
    item_editability,
)

MAX_QUANTITY = 10


class Refusal(Exception):
    """The change is not made, and the page says why; nothing of it may stay."""


class EditRefused(Refusal):
    """The change is not made; `key` words why for the shopper."""

    def __init__(self, key: str, why: Why | None = None) -> None:
        super().__init__(key)
        self.key, self.why = key, why


class AddressInvalid(Refusal):
    """The address form has mistakes: field -> error key."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("invalid address")
        self.errors = errors


class TermsChanged(Refusal):
    """Cancelling now costs something else than the page showed: confirm again."""

    def __init__(self, terms: CancellationTerms) -> None:
        super().__init__("terms changed")
        self.terms = terms


@dataclass(frozen=True)
class VariantChoice:
    variant: Variant
    in_stock: bool


@dataclass(frozen=True)
class ItemEdit:
    item: LineItem
    ok: bool
    why: Why | None
    current: Variant | None
    choices: tuple[VariantChoice, ...]  # other variants the policy allows, sold out or not
    can_swap: bool
    can_change_quantity: bool
    max_quantity: int


@dataclass(frozen=True)
class EditView:
    editability: Editability
    items: tuple[ItemEdit, ...]
    address_changeable: bool

    @property
    def anything_editable(self) -> bool:
        return any(i.can_swap or i.can_change_quantity for i in self.items) or (
            self.address_changeable
        )


@dataclass(frozen=True)
class Change:
    action: str  # "swap_variant" | "change_quantity" | "change_address" | "cancel"
    item_id: int | None
    before: dict[str, Any]
    after: dict[str, Any]


def _allowed(rules: PolicyRules, current: Variant, other: Variant) -> bool:
    """A swap may change only what the brand allows (size, colour) and never the price."""
    if other.id == current.id or other.price != current.price:
        return False
    if other.size != current.size and "size" not in rules.allowed_changes:
        return False
    return not (other.colour != current.colour and "colour" not in rules.allowed_changes)


def _item_edit(
    store: Store, order: Order, item: LineItem, rules: PolicyRules, now: datetime
) -> ItemEdit:
    verdict = item_editability(item, order, rules, now)
    current = store.variant(item.variant_id) if item.variant_id is not None else None
    choices: tuple[VariantChoice, ...] = ()
    if verdict.ok and current is not None:
        choices = tuple(
            VariantChoice(v, v.stock >= item.quantity)
            for v in store.variants_of(current.product_id)
            if _allowed(rules, current, v)
        )
    max_quantity = min(MAX_QUANTITY, item.quantity + (current.stock if current else 0))
    return ItemEdit(
        item=item,
        ok=verdict.ok,
        why=verdict.why,
        current=current,
        choices=choices,
        can_swap=any(c.in_stock for c in choices),
        can_change_quantity=verdict.ok
        and "quantity" in rules.allowed_changes
        and max(max_quantity, item.quantity) > 1,
        max_quantity=max(max_quantity, item.quantity),
    )


def edit_view(*, store: Store, order: Order, rules: PolicyRules, now: datetime) -> EditView:
    """What each item of this order can still become, and why the others cannot change."""
    ed = editability_of(order, rules, now)
    items = tuple(_item_edit(store, order, i, rules, now) for i in order.items)
    return EditView(ed, items, ed.address_changeable)


def _number(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def _editable_item(order: Order, rules: PolicyRules, now: datetime, raw_id: str) -> LineItem:
    item_id = _number(raw_id)
    item = next((i for i in order.items if i.id == item_id), None)
    if item is None:
        raise EditRefused("hub.error.item_unknown")
    verdict = item_editability(item, order, rules, now)
    if verdict.why == Why.IN_FULFILMENT:  # the store's own words for it (a stale page)
        raise EditRefused("hub.error.in_fulfilment")
    if not verdict.ok:
        raise EditRefused("hub.error.cannot_change", verdict.why)
    return item


def swap_variant(
    *,
    store: Store,
    order: Order,
    rules: PolicyRules,
    now: datetime,
    item_id: str,
    variant_id: str,
) -> Change:
    """Swap one item for another size or colour of the same product, if in stock."""
    item = _editable_item(order, rules, now, item_id)
    current = store.variant(item.variant_id) if item.variant_id is not None else None
    wanted_id = _number(variant_id)
    wanted = store.variant(wanted_id) if wanted_id is not None else None
    if current is None or wanted is None or wanted.product_id != current.product_id:
        raise EditRefused("hub.error.variant_unknown")
    if wanted.id == current.id:
        raise EditRefused("hub.error.same_variant")
    if not _allowed(rules, current, wanted):
        raise EditRefused("hub.error.not_allowed")
    if wanted.stock < item.quantity:
        raise EditRefused("hub.error.out_of_stock")
    try:
        store.swap_variant(order.id, item.id, wanted.id)
    except StoreRefused as exc:
        raise EditRefused(f"hub.error.{exc.reason}") from None
    return Change(
        "swap_variant",
        item.id,
        {"title": item.title, "variant": current.title, "sku": current.sku},
        {"title": item.title, "variant": wanted.title, "sku": wanted.sku},
    )


def change_quantity(
    *,
    store: Store,
    order: Order,
    rules: PolicyRules,
    now: datetime,
    item_id: str,
    quantity: str,
) -> Change:
    """Change how many of one item, between 1 and what the stock allows."""
    item = _editable_item(order, rules, now, item_id)
    if "quantity" not in rules.allowed_changes:
        raise EditRefused("hub.error.not_allowed")
    raw = quantity.strip()
    wanted = int(raw) if raw.lstrip("-").isdigit() and len(raw) <= 6 else None
    if wanted is None:
        raise EditRefused("hub.error.quantity_invalid")
    current = store.variant(item.variant_id) if item.variant_id is not None else None
    most = max(min(MAX_QUANTITY, item.quantity + (current.stock if current else 0)), item.quantity)
    if wanted < 1 or wanted > most:
        raise EditRefused("hub.error.quantity_range")
    if wanted == item.quantity:
        raise EditRefused("hub.error.same_quantity")
    try:
        store.change_quantity(order.id, item.id, wanted)
    except StoreRefused as exc:
        raise EditRefused(f"hub.error.{exc.reason}") from None
    return Change(
        "change_quantity",
        item.id,
        {"title": item.title, "quantity": item.quantity, "total": item.quantity * item.unit_price},
        {"title": item.title, "quantity": wanted, "total": wanted * item.unit_price},
    )


def change_address(
    *, store: Store, order: Order, rules: PolicyRules, now: datetime, address: Address
) -> Change:
    """Send the order's unshipped items to another address (already validated)."""
    ed = editability_of(order, rules, now)
    if not ed.address_changeable:
        live = [v for v in ed.items if v.why != Why.CANCELLED]
        why = live[0].why if live else Why.CANCELLED
        raise EditRefused("hub.error.address_locked", why)
    before = asdict(order.shipping_address) if order.shipping_address else {}
    if before == asdict(address):
        raise EditRefused("hub.error.same_address")
    try:
        store.change_address(order.id, address)
    except StoreRefused as exc:
        raise EditRefused(f"hub.error.{exc.reason}") from None
    return Change("change_address", None, before, asdict(address))


def terms_stamp(terms: CancellationTerms) -> str:
    """What the confirmation page showed (fee and refund), sent back with the form."""
    return f"{terms.fee.amount}:{terms.refund.amount}"


def cancel_order(
    *, store: Store, order: Order, rules: PolicyRules, now: datetime, shown_terms: str
) -> Change:
    """Cancel what can still be cancelled, at the fee the shopper saw and agreed to."""
    terms = cancellation_terms(order, rules, now)
    if not terms.allowed:
        packing = terms.verdict == CancelVerdict.IN_FULFILMENT
        raise EditRefused("hub.error.in_fulfilment" if packing else "hub.error.cannot_cancel")
    if shown_terms.strip() != terms_stamp(terms):
        raise TermsChanged(terms)
    ids = [i.id for i in terms.cancellable_items]
    try:
        store.cancel(order.id, ids, now)
    except StoreRefused as exc:
        raise EditRefused(f"hub.error.{exc.reason}") from None
    return Change(
        "cancel",
        None,
        {"items": [f"{i.title} ({i.variant})" for i in terms.cancellable_items]},
        {
            "fee": terms.fee.amount,
            "refund": terms.refund.amount,
            "currency": order.currency,
            "whole_order": not terms.shipped_items and not terms.packing_items,
            "packing_left": bool(terms.packing_items),
        },
    )


def record_change(
    db: Session,
    *,
    order: Order,
    change: Change,
    brand_id: int,
    customer_id: int,
    hub_session_id: int | None,
    now: datetime,
) -> OrderHistory:
    """Write the change on the order's history: who, through what, before and after, when."""
    row = OrderHistory(
        brand_id=brand_id,
        order_id=order.id,
        line_item_id=change.item_id,
        actor="customer",
        actor_id=customer_id,
        via="hub",
        hub_session_id=hub_session_id,
        action=change.action,
        before=change.before,
        after=change.after,
        created_at=now,
    )
    db.add(row)
    return row
