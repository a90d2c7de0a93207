"""A Loop or AfterShip return mirrored into Deskhand's `returns` table from the provider's
webhooks, so the agent can answer "where is my refund?" for returns run elsewhere.

The provider is the source of truth: its state is taken as it comes (it may skip steps
Deskhand's own portal would take one by one), each change lands on the timeline, and an
event for an order the shopper does not own, or that the store does not know, is ignored.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.commerce.store import Store
from deskhand.db.models import ReturnEvent, ReturnLine, ReturnRequest
from deskhand.domain.returns import Resolution, ReturnState
from deskhand.domain.vocabulary import ReturnsProviderKind
from deskhand.returns.vendors import ProviderReturn

RMA_MAX = 32


class Mirrored(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    UNKNOWN_ORDER = "unknown_order"


def mirror_return(
    session: Session,
    *,
    store: Store,
    brand_id: int,
    kind: ReturnsProviderKind,
    seen: ProviderReturn,
    now: datetime,
) -> Mirrored:
    """Create or update the mirror of one provider return."""
    ret = session.scalar(
        select(ReturnRequest).where(
            ReturnRequest.brand_id == brand_id,
            ReturnRequest.provider == kind.value,
            ReturnRequest.provider_ref == seen.ref,
        )
    )
    if ret is None:
        customer = store.customer_by_email(seen.email) if seen.email else None
        order = store.order_of(customer.id, seen.order_number) if customer else None
        if customer is None or order is None or not seen.ref:
            return Mirrored.UNKNOWN_ORDER
        by_id = {i.id: i for i in order.items}
        value = sum(by_id[i].unit_price * q for i, q in seen.line_items.items() if i in by_id)
        ret = ReturnRequest(
            brand_id=brand_id,
            rma=(seen.rma or f"{kind.value.upper()}-{seen.ref}")[:RMA_MAX],
            order_id=order.id,
            order_number=order.number,
            customer_id=customer.id,
            email=customer.email,
            language="en",
            state=seen.state.value,
            resolution=Resolution.REFUND.value,
            reason="",
            comment="",
            rejection_reason=seen.note if seen.state is ReturnState.REJECTED else "",
            currency=order.currency,
            items_value=value,
            return_shipping=0,
            refund_amount=value,
            store_credit=0,
            exchange_difference=0,
            provider=kind.value,
            provider_ref=seen.ref,
            submit_key=f"{kind.value}:{seen.ref}"[:64],
            created_at=now,
            updated_at=now,
        )
        for item_id, quantity in seen.line_items.items():
            item = by_id.get(item_id)
            if item is not None:
                ret.lines.append(
                    ReturnLine(
                        brand_id=brand_id,
                        line_item_id=item.id,
                        title=item.title,
                        variant=item.variant,
                        quantity=min(quantity, item.quantity),
                        unit_price=item.unit_price,
                    )
                )
        ret.events.append(_event(brand_id, seen.state, seen.note, now))
        session.add(ret)
        session.flush()
        return Mirrored.CREATED
    if ret.state == seen.state.value:
        return Mirrored.UNCHANGED
    ret.state = seen.state.value
    ret.updated_at = now
    if seen.state is ReturnState.REJECTED:
        ret.rejection_reason = seen.note
    ret.events.append(_event(brand_id, seen.state, seen.note, now))
    session.flush()
    return Mirrored.UPDATED


def _event(brand_id: int, state: ReturnState, note: str, now: datetime) -> ReturnEvent:
    return ReturnEvent(
        brand_id=brand_id, state=state.value, actor="provider", note=note[:1000], created_at=now
    )
