"""What the shopper did in the Customer Hub, confirmed when they ask in the chat.

"Ist die Größe jetzt geändert?" after a change in the Hub: the order's history (written by
the Hub, re-checked there) says what changed and when; the agent says so, with the order as
it is now. Nothing in the history yet: the agent says that too, rather than guess.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from deskhand.agent.replies.changes import change_text
from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.orders import hub_action, order_card
from deskhand.agent.understand.typed_answers import asks_if_done
from deskhand.db.models import OrderHistory
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.orders import Money, Order
from deskhand.domain.policy import EditVerdict, editability_of
from deskhand.domain.vocabulary import Intent, Outcome, Skill

RECENT = timedelta(hours=24)  # a change older than this is not "now"
# What the classifier makes of "has it changed?" ("is my refund done?" is the refund skill's).
ABOUT_CHANGES = frozenset(
    (
        Intent.CHANGE_ITEM,
        Intent.CHANGE_ADDRESS,
        Intent.CANCEL_ORDER,
        Intent.ORDER_STATUS,
        Intent.POLICY_CHANGES,
        Intent.EXCHANGE,
        Intent.OTHER,
    )
)


def latest_hub_change(ctx: SkillContext, order: Order | None) -> OrderHistory | None:
    """The shopper's latest change in the Hub (to this order, if given) within a day."""
    query = select(OrderHistory).where(
        OrderHistory.brand_id == ctx.brand.id,
        OrderHistory.actor == "customer",
        OrderHistory.actor_id == ctx.customer_id,
        OrderHistory.via == "hub",
        OrderHistory.created_at >= ctx.now - RECENT,
    )
    if order is not None:
        query = query.where(OrderHistory.order_id == order.id)
    return ctx.session.scalars(
        query.order_by(OrderHistory.created_at.desc(), OrderHistory.id.desc()).limit(1)
    ).first()


def answer_if_asked(ctx: SkillContext, intent: Intent | None, number: str | None) -> Reply | None:
    """The confirmation of a Hub change when the message asks whether it went through."""
    if ctx.customer_id is None or not asks_if_done(ctx.text):
        return None
    if intent is not None and intent not in ABOUT_CHANGES:
        return None
    named = number or ctx.state.focus_order
    order = ctx.store.order_of(ctx.customer_id, named) if named else None
    row = latest_hub_change(ctx, order)
    if row is not None and order is None:
        order = next(
            (o for o in ctx.store.orders_of(ctx.customer_id) if o.id == row.order_id), None
        )
    if order is None:
        return None
    w = ctx.words
    customer = ctx.store.customer(ctx.customer_id)
    ed = editability_of(order, ctx.rules, ctx.now)
    editable = ed.verdict in (EditVerdict.EDITABLE, EditVerdict.PARTIALLY_EDITABLE)
    actions = [hub_action(ctx, order, "edit")] if editable else []
    card = order_card(ctx, order, ed, actions)
    ctx.state.focus_order = order.number
    if row is None:
        text = w.t("done.nothing_yet", number=order.number)
        return Reply(
            intent or Intent.ORDER_STATUS,
            Skill.ORDER_EDITING,
            Outcome.ANSWERED,
            [blocks.text(text), card],
        )
    when = w.clock(row.created_at)
    if row.action == "cancel":
        a = row.after
        text = w.t(
            "done.cancelled",
            number=order.number,
            when=when,
            fee=w.money(Money(a["fee"], a["currency"])),
            refund=w.money(Money(a["refund"], a["currency"])),
            days=ctx.rules.refund_business_days,
        )
    else:
        changes = change_text(row.action, row.before, row.after, w)
        text = w.t("done.changed", number=order.number, when=when, changes=changes)
    if customer is not None:
        text = f"{text} {w.t('done.confirmation_sent', email=customer.email)}"
    done_intent = Intent.CANCEL_ORDER if row.action == "cancel" else Intent.CHANGE_ITEM
    return Reply(
        done_intent, Skill.ORDER_EDITING, Outcome.CHANGE_CONFIRMED, [blocks.text(text), card]
    )
