"""A change made in the Customer Hub: confirm it to the shopper and tell their conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.agent.replies.changes import change_text
from deskhand.agent.replies.wording import Wording
from deskhand.confirmations.conversation import open_conversation, post_event, sms_number
from deskhand.confirmations.sending import Confirmation, Recipient, send_confirmation
from deskhand.db import models
from deskhand.db.brand_look import BrandLook
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.orders import Customer, Money
from deskhand.domain.policy import PolicyRules
from deskhand.domain.vocabulary import ConfirmationKind, Intent, Outcome, Skill

CANCEL = "cancel"


def words_for(brand: models.Brand, look: BrandLook, lang: str) -> Wording:
    return Wording(lang, brand.timezone, brand.currency, portal=look.portal(lang))


def confirmation_of(
    row: models.OrderHistory, number: str, w: Wording, rules: PolicyRules
) -> Confirmation:
    """The confirmation of one history entry, worded in `w`'s language."""
    if row.action == CANCEL:
        a = row.after
        return Confirmation(
            kind=ConfirmationKind.ORDER_CANCELLED,
            order_number=number,
            happened_at=row.created_at,
            changes=(w.t("confirm.cancelled_items", items=w.items(list(row.before["items"]))),),
            fee=Money(a["fee"], a["currency"]),
            refund=Money(a["refund"], a["currency"]),
            refund_days=rules.refund_business_days,
            hub_path=f"/hub/orders/{number}",
        )
    return Confirmation(
        kind=ConfirmationKind.ORDER_CHANGED,
        order_number=number,
        happened_at=row.created_at,
        changes=(change_text(row.action, row.before, row.after, w),),
        hub_path=f"/hub/orders/{number}",
    )


def event_reply(c: Confirmation, w: Wording, email: str) -> Reply:
    """The news as the conversation shows it, in the conversation's language."""
    when = w.clock(c.happened_at)
    if c.kind is ConfirmationKind.ORDER_CANCELLED:
        assert c.fee is not None
        assert c.refund is not None
        text = w.t(
            "event.order_cancelled",
            number=c.order_number,
            when=when,
            fee=w.money(c.fee),
            refund=w.money(c.refund),
            email=email,
        )
        intent = Intent.CANCEL_ORDER
    else:
        text = w.t(
            "event.order_changed",
            number=c.order_number,
            when=when,
            changes=" ".join(c.changes),
            email=email,
        )
        intent = Intent.CHANGE_ITEM
    return Reply(intent, Skill.ORDER_EDITING, Outcome.CHANGED_IN_HUB, [blocks.text(text)])


def confirm_order_change(
    session: Session,
    *,
    brand: models.Brand,
    look: BrandLook,
    rules: PolicyRules,
    customer: Customer,
    row: models.OrderHistory,
    number: str,
    lang: str,
    base_url: str,
    now: datetime,
) -> list[models.OutboxMessage]:
    """Email (and text) the shopper what changed; post it into their open conversation."""
    session.flush()  # the history row's id keys the confirmation: one per change, ever
    conv = open_conversation(session, brand_id=brand.id, customer_id=customer.id, now=now)
    w = words_for(brand, look, lang)
    confirmation = confirmation_of(row, number, w, rules)
    recipient = Recipient(
        name=customer.first_name,
        email=customer.email or None,
        sms=sms_number(session, conv) if conv is not None else None,
    )
    rows = send_confirmation(
        session,
        brand=brand,
        look=look,
        confirmation=confirmation,
        recipient=recipient,
        words=w,
        base_url=base_url,
        key=f"confirm:{brand.id}:{row.id}",
        now=now,
        conversation_id=conv.id if conv is not None else None,
    )
    if conv is not None:
        said = words_for(brand, look, conv.language)
        told = confirmation_of(row, number, said, rules)
        post_event(
            session, conv, event_reply(told, said, customer.email), order_number=number, now=now
        )
    return rows
