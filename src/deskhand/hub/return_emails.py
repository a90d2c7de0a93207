"""The emails a shopper gets as their return moves, in their language, through the outbox.

Kept in one small module so it can move onto the general shopper confirmations later; the
idempotency key (brand, RMA, state) means a state is announced once, whoever moves it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.db import models
from deskhand.db.models import ReturnRequest
from deskhand.domain.orders import Money
from deskhand.domain.policy import PolicyRules
from deskhand.domain.returns import ReturnState
from deskhand.hub.i18n import HubWords
from deskhand.jobs.outbox import enqueue
from deskhand.returns.records import refund_due


def compose(ret: ReturnRequest, brand: models.Brand) -> tuple[str, str]:
    """(subject, body) of the email for the return's current state."""
    words = HubWords(ret.language, brand.timezone, brand.currency)
    rules = PolicyRules.from_json(brand.policy)
    state = ReturnState(ret.state)
    due = refund_due(ret, rules)
    amount = ret.store_credit if ret.resolution == "store_credit" else ret.refund_amount
    params = {
        "rma": ret.rma,
        "number": ret.order_number,
        "brand": brand.name,
        "amount": words.money(Money(amount, ret.currency)),
        "days": rules.refund_business_days,
        "due": words.day(due) if due else "",
        "reason": ret.rejection_reason,
        "resolution": words.t(f"returns.resolution.{ret.resolution}"),
        "items": words.items([f"{line.quantity} × {line.title}" for line in ret.lines]),
    }
    subject = words.t(f"returns.email.subject.{state.value}", **params)
    body = "\n\n".join(
        [
            words.t("returns.email.greeting"),
            words.t(f"returns.email.body.{state.value}", **params),
            words.t("returns.email.footer", **params),
        ]
    )
    return subject, body


def email_return_state(session: Session, ret: ReturnRequest, now: datetime) -> None:
    """Queue the email for the state the return just entered (the `Notify` of returns/)."""
    brand = session.get_one(models.Brand, ret.brand_id)
    subject, body = compose(ret, brand)
    enqueue(
        session,
        brand_id=ret.brand_id,
        kind="email",
        recipient=ret.email.strip().lower(),
        subject=subject,
        body=body,
        idempotency_key=f"return:{ret.brand_id}:{ret.rma}:{ret.state}",
        now=now,
    )
