"""Erasing a shopper (GDPR art. 17): their words and personal fields go, the metrics stay.

- Every conversation of theirs is redacted (`privacy/redact.py`).
- Codes, mail and texts sent or received, and Hub sessions lose the address; messages still
  waiting to go to them are suppressed; their sessions end.
- The customer and the orders lose name, email, phone and street address through the
  commerce layer (`commerce/privacy.py`); the orders, amounts and items stay.
- Address changes in the order history lose the addresses they recorded.
- Returns keep their items, amounts and states but lose the email and the shopper's comment.
- Not touched: the brand's own agent-test suites (its team's configuration); a test that
  names an erased customer's address then fails and says so.
- Kept on purpose: an SMS/WhatsApp opt-out (STOP), so the number is never texted again,
  and the analytics events, which name no person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from deskhand.commerce.privacy import forget_customer
from deskhand.db import models
from deskhand.privacy.held import ERASED, Held, Reason, find_held
from deskhand.privacy.redact import redact_conversation

WAITING = ("pending", "retry")


@dataclass(frozen=True)
class Erased:
    conversations: int
    messages: int
    customer: bool  # the store's customer record was anonymised here


def erase_shopper(
    session: Session, brand: models.Brand, raw_address: str, now: datetime
) -> Erased | None:
    """Erase the shopper with this email or phone; None when it is neither."""
    held = find_held(session, brand, raw_address)
    if held is None:
        return None
    messages = sum(
        redact_conversation(session, cid, Reason.ERASURE, now) for cid in held.conversation_ids
    )
    _forget_addresses(session, held, now)
    customer = False
    if held.customer is not None:
        _forget_order_changes(session, held)
        _forget_returns(session, held)
        customer = forget_customer(session, brand, held.customer.id)
    session.flush()
    return Erased(len(held.conversation_ids), messages, customer)


def _forget_addresses(session: Session, held: Held, now: datetime) -> None:
    brand_id, addresses = held.brand.id, list(held.addresses)
    outbox = models.OutboxMessage
    session.execute(
        update(outbox)
        .where(
            outbox.brand_id == brand_id, outbox.recipient.in_(addresses), outbox.status.in_(WAITING)
        )
        .values(status="suppressed", last_error="the recipient was erased")
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(outbox)
        .where(
            outbox.brand_id == brand_id, outbox.recipient.in_(addresses), outbox.status != "sending"
        )
        .values(recipient=ERASED, subject="", body="", payload=None)
        .execution_options(synchronize_session=False)
    )
    codes = models.VerificationCode
    session.execute(
        update(codes)
        .where(codes.brand_id == brand_id, codes.address.in_(addresses))
        .values(address=ERASED, customer_id=None, next_path=None)
        .execution_options(synchronize_session=False)
    )
    inbound = models.InboundMessage
    session.execute(
        update(inbound)
        .where(inbound.brand_id == brand_id, inbound.address.in_(addresses))
        .values(address=ERASED, payload={})
        .execution_options(synchronize_session=False)
    )
    if held.customer is not None:
        hub = models.HubSession
        session.execute(
            update(hub)
            .where(
                hub.brand_id == brand_id,
                hub.customer_id == held.customer.id,
                hub.ended_at.is_(None),
            )
            .values(ended_at=now, flash=None)
            .execution_options(synchronize_session=False)
        )
        codes_of_customer = models.VerificationCode
        session.execute(
            update(codes_of_customer)
            .where(
                codes_of_customer.brand_id == brand_id,
                codes_of_customer.customer_id == held.customer.id,
            )
            .values(customer_id=None)
            .execution_options(synchronize_session=False)
        )


def _forget_order_changes(session: Session, held: Held) -> None:
    assert held.customer is not None
    order_ids = [order.id for order in held.store.orders_of(held.customer.id)]
    history = models.OrderHistory
    session.execute(
        update(history)
        .where(history.order_id.in_(order_ids), history.action == "change_address")
        .values(before={}, after={})
        .execution_options(synchronize_session=False)
    )


def _forget_returns(session: Session, held: Held) -> None:
    assert held.customer is not None
    returns = models.ReturnRequest
    session.execute(
        update(returns)
        .where(returns.brand_id == held.brand.id, returns.customer_id == held.customer.id)
        .values(email=ERASED, comment="")
        .execution_options(synchronize_session=False)
    )
