"""The demo's one return: ava's Hiking Boots (#1011) arrived back 2 days ago, refund pending."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from deskhand.commerce.registry import store_for
from deskhand.db import models
from deskhand.db.models import ReturnEvent, ReturnLine, ReturnRequest
from deskhand.domain.returns import PATH, Resolution, ReturnState


def seed_demo_returns(session: Session, brand: models.Brand, now: datetime) -> None:
    """Write #1011's return as if it went requested -> … -> received over ten days."""
    store = store_for(session, brand)
    ava = store.customer_by_email("ava@example.com")
    order = store.order_of(ava.id, "1011") if ava else None
    if ava is None or order is None:
        return
    boots = order.items[0]
    ret = ReturnRequest(
        brand_id=brand.id,
        rma="RMA-1011-1",
        order_id=order.id,
        order_number=order.number,
        customer_id=ava.id,
        email=ava.email,
        language="en",
        state=ReturnState.RECEIVED.value,
        resolution=Resolution.REFUND.value,
        reason="too_small",
        comment="",
        rejection_reason="",
        currency=order.currency,
        items_value=boots.unit_price,
        return_shipping=0,
        refund_amount=boots.unit_price,
        store_credit=0,
        exchange_difference=0,
        provider="builtin",
        submit_key="demo-1011",
        created_at=now - timedelta(days=10),
        updated_at=now - timedelta(days=2),
    )
    ret.lines.append(
        ReturnLine(
            brand_id=brand.id,
            line_item_id=boots.id,
            title=boots.title,
            variant=boots.variant,
            quantity=1,
            unit_price=boots.unit_price,
        )
    )
    days_ago = {
        ReturnState.REQUESTED: 10,
        ReturnState.APPROVED: 9,
        ReturnState.IN_TRANSIT: 6,
        ReturnState.RECEIVED: 2,
    }
    for state in PATH[:4]:
        ret.events.append(
            ReturnEvent(
                brand_id=brand.id,
                state=state.value,
                actor="customer" if state is ReturnState.REQUESTED else "staff",
                note="",
                created_at=now - timedelta(days=days_ago[state]),
            )
        )
    session.add(ret)
    session.flush()
