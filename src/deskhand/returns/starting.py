"""Starting a return, re-checked at submit: the page that offered it is never trusted.

The order is read again, the rules asked again with the current clock (the window may have
closed while the page was open), every quantity checked against what was bought and what is
already on its way back, an exchange's variant against the catalogue and its stock. Only
then is the return written, with its first timeline step, in the caller's transaction. The
same submit key twice (a double click, a reload) finds the first return and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.commerce.store import Store
from deskhand.db.models import ReturnEvent, ReturnLine, ReturnRequest
from deskhand.domain.orders import Customer, LineItem, Order, Variant
from deskhand.domain.policy import PolicyRules, Why
from deskhand.domain.returns import (
    DEFAULT_REASONS,
    LineReturnability,
    RefundPreview,
    Resolution,
    ReturnState,
    refund_preview,
    returnability,
)
from deskhand.domain.vocabulary import ReturnsProviderKind
from deskhand.returns.records import returned_quantities

MAX_COMMENT = 1000


class ReturnRefused(Exception):
    """The return is not started; `key` (a catalogue key) and `params` word why."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class ReturnDraft:
    """What the shopper chose: line item id -> quantity, line item id -> exchange variant."""

    quantities: Mapping[int, int]
    reason: str
    resolution: Resolution
    exchanges: Mapping[int, int] = field(default_factory=dict)
    comment: str = ""


@dataclass(frozen=True)
class CheckedReturn:
    lines: list[tuple[LineItem, int, Variant | None]]  # item, quantity, exchange variant
    preview: RefundPreview


def reasons_of(rules: PolicyRules) -> tuple[str, ...]:
    return rules.return_reasons or DEFAULT_REASONS


def exchange_options(store: Store, item: LineItem) -> list[Variant]:
    """The other variants of the item's product, in catalogue order (in stock or not)."""
    if item.variant_id is None:
        return []
    current = store.variant(item.variant_id)
    if current is None:
        return []
    return [v for v in store.variants_of(current.product_id) if v.id != current.id]


def lines_of(
    session: Session, brand_id: int, order: Order, rules: PolicyRules, now: datetime
) -> list[LineReturnability]:
    return returnability(order, rules, now, returned_quantities(session, brand_id, order.id))


def check_draft(
    session: Session,
    store: Store,
    brand_id: int,
    order: Order,
    rules: PolicyRules,
    now: datetime,
    draft: ReturnDraft,
) -> CheckedReturn:
    """The draft against the order, the rules now and the catalogue; raises ReturnRefused."""
    lines = {line.item.id: line for line in lines_of(session, brand_id, order, rules, now)}
    chosen = {i: q for i, q in draft.quantities.items() if q != 0}
    if not chosen:
        raise ReturnRefused("returns.error.nothing_chosen")
    if draft.reason not in reasons_of(rules):
        raise ReturnRefused("returns.error.reason")
    if len(draft.comment) > MAX_COMMENT:
        raise ReturnRefused("returns.error.comment", limit=MAX_COMMENT)
    checked: list[tuple[LineItem, int, Variant | None]] = []
    prices: dict[int, int] = {}
    for item_id, quantity in chosen.items():
        line = lines.get(item_id)
        if line is None:
            raise ReturnRefused("returns.error.not_in_order")
        title = line.item.title
        if quantity < 0:
            raise ReturnRefused("returns.error.too_many", item=title, max=line.returnable)
        if line.why is Why.RETURN_WINDOW_PASSED:  # it may have closed while the page was open
            raise ReturnRefused("returns.error.window_closed", item=title)
        if not line.ok:
            raise ReturnRefused("returns.error.not_returnable", item=title)
        if quantity > line.returnable:
            raise ReturnRefused("returns.error.too_many", item=title, max=line.returnable)
        new: Variant | None = None
        if draft.resolution is Resolution.EXCHANGE:
            wanted = draft.exchanges.get(item_id)
            options = {v.id: v for v in exchange_options(store, line.item)}
            new = options.get(wanted) if wanted is not None else None
            if new is None:
                raise ReturnRefused("returns.error.exchange_variant", item=title)
            if new.stock < quantity:
                raise ReturnRefused("returns.error.out_of_stock", item=title, variant=new.title)
            prices[item_id] = new.price
        checked.append((line.item, quantity, new))
    preview = refund_preview(order, chosen, draft.resolution, rules, prices)
    return CheckedReturn(checked, preview)


def _next_rma(session: Session, brand_id: int, order: Order) -> str:
    count = session.scalar(
        select(func.count())
        .select_from(ReturnRequest)
        .where(ReturnRequest.brand_id == brand_id, ReturnRequest.order_id == order.id)
    )
    return f"RMA-{order.number}-{int(count or 0) + 1}"


Notify = Callable[[Session, ReturnRequest, datetime], None]


def start_return(
    session: Session,
    *,
    store: Store,
    brand_id: int,
    rules: PolicyRules,
    customer: Customer,
    order: Order,
    draft: ReturnDraft,
    language: str,
    submit_key: str,
    now: datetime,
    notify: Notify,
) -> tuple[ReturnRequest, bool]:
    """(the return, whether it is new): checked, written, and the shopper told."""
    existing = session.scalar(
        select(ReturnRequest).where(
            ReturnRequest.brand_id == brand_id, ReturnRequest.submit_key == submit_key
        )
    )
    if existing is not None:
        if existing.order_id != order.id:
            raise ReturnRefused("returns.error.not_in_order")
        return existing, False
    checked = check_draft(session, store, brand_id, order, rules, now, draft)
    p = checked.preview
    ret = ReturnRequest(
        brand_id=brand_id,
        rma=_next_rma(session, brand_id, order),
        order_id=order.id,
        order_number=order.number,
        customer_id=customer.id,
        email=customer.email,
        language=language,
        state=ReturnState.REQUESTED.value,
        resolution=draft.resolution.value,
        reason=draft.reason,
        comment=draft.comment.strip(),
        rejection_reason="",
        currency=order.currency,
        items_value=p.items_value.amount,
        return_shipping=p.return_shipping.amount,
        refund_amount=p.refund.amount,
        store_credit=p.store_credit.amount,
        exchange_difference=p.exchange_difference.amount,
        provider=rules.returns_provider.value
        if rules.returns_provider is not ReturnsProviderKind.NONE
        else ReturnsProviderKind.BUILTIN.value,
        submit_key=submit_key,
        created_at=now,
        updated_at=now,
    )
    for item, quantity, new in checked.lines:
        ret.lines.append(
            ReturnLine(
                brand_id=brand_id,
                line_item_id=item.id,
                title=item.title,
                variant=item.variant,
                quantity=quantity,
                unit_price=item.unit_price,
                exchange_variant_id=new.id if new else None,
                exchange_variant=new.title if new else None,
            )
        )
    ret.events.append(
        ReturnEvent(
            brand_id=brand_id,
            state=ReturnState.REQUESTED.value,
            actor="customer",
            note="",
            created_at=now,
        )
    )
    session.add(ret)
    session.flush()
    notify(session, ret, now)
    return ret, True
