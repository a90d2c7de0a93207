"""Reading returns back: an order's returns, what of it is already on its way back, one RMA."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from deskhand.db.models import ReturnLine, ReturnRequest
from deskhand.domain.policy import PolicyRules
from deskhand.domain.returns import ReturnState, add_business_days


def _returns(brand_id: int) -> Select[ReturnRequest]:
    return (
        select(ReturnRequest)
        .where(ReturnRequest.brand_id == brand_id)
        .options(selectinload(ReturnRequest.lines), selectinload(ReturnRequest.events))
    )


def returns_of_order(session: Session, brand_id: int, order_id: int) -> list[ReturnRequest]:
    """The order's returns, newest first."""
    query = _returns(brand_id).where(ReturnRequest.order_id == order_id)
    return list(session.scalars(query.order_by(ReturnRequest.id.desc())))


def returns_of_customer(session: Session, brand_id: int, customer_id: int) -> list[ReturnRequest]:
    """The customer's returns, newest first."""
    query = _returns(brand_id).where(ReturnRequest.customer_id == customer_id)
    return list(session.scalars(query.order_by(ReturnRequest.id.desc())))


def by_rma(session: Session, brand_id: int, rma: str) -> ReturnRequest | None:
    return session.scalar(_returns(brand_id).where(ReturnRequest.rma == rma.strip().upper()))


def returned_quantities(session: Session, brand_id: int, order_id: int) -> dict[int, int]:
    """Line item id -> quantity on this order's returns that were not rejected."""
    rows = session.execute(
        select(ReturnLine.line_item_id, ReturnLine.quantity)
        .join(ReturnRequest, ReturnLine.return_id == ReturnRequest.id)
        .where(
            ReturnRequest.brand_id == brand_id,
            ReturnRequest.order_id == order_id,
            ReturnRequest.state != ReturnState.REJECTED.value,
        )
    )
    done: dict[int, int] = {}
    for item_id, quantity in rows:
        done[item_id] = done.get(item_id, 0) + quantity
    return done


def entered(ret: ReturnRequest, state: ReturnState) -> date | None:
    """The day (UTC) the return entered a state, if it did."""
    when = [e.created_at for e in ret.events if e.state == state.value]
    return max(when).date() if when else None


def refund_due(ret: ReturnRequest, rules: PolicyRules) -> date | None:
    """When the money should arrive: the refund times counted from receipt (None before)."""
    received = entered(ret, ReturnState.RECEIVED)
    if received is None:
        return None
    return add_business_days(received, rules.refund_business_days)
