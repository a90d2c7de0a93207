"""Order Editing: change or cancel an order, by guiding the shopper into the Customer Hub.

The agent never changes an order itself; it decides with the policy rules what is still
possible for *this* order right now and links to the Hub tab where the shopper does it.
"""

from __future__ import annotations

from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.orders import hub_action, order_card
from deskhand.domain import blocks
from deskhand.domain.blocks import Button, HubLink, Reply
from deskhand.domain.orders import LineItem, Order, OrderStatus
from deskhand.domain.policy import (
    CancelVerdict,
    EditVerdict,
    Why,
    cancellation_terms,
    editability_of,
)
from deskhand.domain.vocabulary import Intent, Outcome, Skill
from deskhand.returns.starting import lines_of

SKILL = Skill.ORDER_EDITING
CHANGE_WORDS = {
    "size": "change.size",
    "colour": "change.colour",
    "quantity": "change.quantity",
    "address": "change.address",
}


def _names(ctx: SkillContext, items: tuple[LineItem, ...] | list[LineItem]) -> str:
    return ctx.words.items([f"{i.title} ({i.variant})" for i in items])


def after_shipping(ctx: SkillContext, order: Order) -> tuple[str, Outcome, list[HubLink | Button]]:
    """What a shipped or delivered order can still do: (text, outcome, hub actions)."""
    w = ctx.words
    days = ctx.rules.return_window_days
    if order.status != OrderStatus.DELIVERED:
        return (
            w.t("returns.once_arrived", days=days),
            Outcome.ROUTED_TO_RETURNS,
            [hub_action(ctx, order, "track"), hub_action(ctx, order, "return")],
        )
    # Each delivered item as the returns skill sees it (quantities already on a return too).
    verdicts = [
        v
        for v in lines_of(ctx.session, ctx.brand.id, order, ctx.rules, ctx.now)
        if v.item.status.value == "delivered"
    ]
    ok = [v for v in verdicts if v.ok]
    excluded = [
        v.item for v in verdicts if v.why in (Why.FINAL_SALE, Why.GIFT_CARD, Why.PERSONALISED)
    ]
    returned = [v.item for v in verdicts if v.why == Why.ALREADY_RETURNED]
    parts: list[str] = []
    if ok:
        until = max(v.window_ends_at for v in ok if v.window_ends_at)
        parts.append(
            w.t("returns.until", items=_names(ctx, [v.item for v in ok]), date=w.day(until))
        )
    else:
        ended = [v.window_ends_at for v in verdicts if v.why == Why.RETURN_WINDOW_PASSED]
        if ended:
            parts.append(
                w.t("returns.window_ended", days=days, date=w.day(max(e for e in ended if e)))
            )
    if excluded:
        parts.append(w.t("returns.excluded", items=_names(ctx, excluded)))
    parts.extend(w.t("returns.why.already_returned", item=i.title) for i in returned)
    if ok:
        return " ".join(parts), Outcome.ROUTED_TO_RETURNS, [hub_action(ctx, order, "return")]
    return " ".join(parts), Outcome.NOT_ELIGIBLE, []


def change_order(ctx: SkillContext, order: Order, intent: Intent) -> Reply:
    """Say what of this order can still change, why the rest cannot, and link to the Hub."""
    w, rules = ctx.words, ctx.rules
    ed = editability_of(order, rules, ctx.now)
    ago = w.duration(ctx.now - order.placed_at)
    number = order.number
    reply = Reply(intent=intent, skill=SKILL, outcome=Outcome.HUB_LINK)
    text: list[str] = []
    actions: list[HubLink | Button] = []

    if ed.verdict == EditVerdict.CANCELLED:
        assert order.cancelled_at is not None
        reply.outcome = Outcome.NOT_ELIGIBLE
        text.append(w.t("edit.cancelled", number=number, date=w.day(order.cancelled_at)))
    elif ed.verdict == EditVerdict.SHIPPED:
        key = "edit.delivered" if order.status == OrderStatus.DELIVERED else "edit.shipped"
        text.append(w.t(key, number=number))
        more, reply.outcome, actions = after_shipping(ctx, order)
        text.append(more)
    elif ed.verdict == EditVerdict.WINDOW_PASSED:
        reply.outcome = Outcome.NOT_ELIGIBLE
        text.append(
            w.t("edit.window_passed", number=number, ago=ago, window=w.span(rules.change_window))
        )
        terms = cancellation_terms(order, rules, ctx.now)
        if terms.allowed:
            text.append(
                w.t("edit.can_still_cancel_fee", fee=w.money(terms.fee))
                if terms.fee.amount
                else w.t("edit.can_still_cancel_free")
            )
            actions.append(hub_action(ctx, order, "cancel"))
    else:
        changes = w.items(
            [
                w.t(CHANGE_WORDS[c])
                for c in ("size", "colour", "quantity", "address")
                if c in rules.allowed_changes
            ]
        )
        left, until = w.duration(ed.time_left), w.clock(ed.window_ends_at)
        if ed.verdict == EditVerdict.EDITABLE:
            text.append(
                w.t(
                    "edit.editable", number=number, ago=ago, left=left, until=until, changes=changes
                )
            )
        elif ed.verdict == EditVerdict.PARTIALLY_EDITABLE:
            text.append(
                w.t(
                    "edit.partial",
                    number=number,
                    items=_names(ctx, ed.editable_items),
                    left=left,
                    until=until,
                    changes=changes,
                )
            )
        else:
            reply.outcome = Outcome.NOT_ELIGIBLE
        shipped = ed.items_because(Why.SHIPPED) + ed.items_because(Why.DELIVERED)
        if shipped:
            text.append(w.t("edit.already_shipped", items=_names(ctx, shipped)))
        stuck_keys: tuple[tuple[Why, str], ...] = (
            (Why.IN_FULFILMENT, "edit.in_fulfilment"),
            (Why.PERSONALISED, "edit.personalised"),
            (Why.PREORDER, "edit.preorder"),
        )
        packing = ed.items_because(Why.IN_FULFILMENT)
        if packing and all(v.why in (Why.IN_FULFILMENT, Why.CANCELLED) for v in ed.items):
            # the warehouse has all that is left of it: say so of the order
            text.append(w.t("edit.order_in_fulfilment", number=number, items=_names(ctx, packing)))
            stuck_keys = stuck_keys[1:]
        for why, key in stuck_keys:
            stuck = ed.items_because(why)
            if stuck:
                text.append(w.t(key, items=_names(ctx, stuck)))
        if ed.verdict == EditVerdict.NOT_EDITABLE:
            terms = cancellation_terms(order, rules, ctx.now)
            if terms.allowed:
                text.append(
                    w.t("edit.can_still_cancel_free")
                    if not terms.fee.amount
                    else w.t("edit.can_still_cancel_fee", fee=w.money(terms.fee))
                )
                actions.append(hub_action(ctx, order, "cancel"))
        else:
            actions.append(hub_action(ctx, order, "edit"))
            if intent == Intent.CHANGE_ADDRESS and not ed.address_changeable:
                text.append(w.t("edit.address_not_changeable"))
    reply.blocks = [blocks.text(" ".join(text)), order_card(ctx, order, ed, actions)]
    return reply


def cancel_order(ctx: SkillContext, order: Order, intent: Intent = Intent.CANCEL_ORDER) -> Reply:
    """Say what cancelling this order costs right now, or why it cannot be cancelled."""
    w, rules = ctx.words, ctx.rules
    terms = cancellation_terms(order, rules, ctx.now)
    number = order.number
    reply = Reply(intent=intent, skill=SKILL, outcome=Outcome.HUB_LINK)
    actions: list[HubLink | Button] = []
    text: list[str] = []
    if terms.verdict == CancelVerdict.ALREADY_CANCELLED:
        assert order.cancelled_at is not None
        reply.outcome = Outcome.NOT_ELIGIBLE
        text.append(w.t("cancel.already", number=number, date=w.day(order.cancelled_at)))
    elif terms.verdict == CancelVerdict.SHIPPED:
        key = "cancel.delivered" if order.status == OrderStatus.DELIVERED else "cancel.shipped"
        text.append(w.t(key, number=number))
        more, reply.outcome, actions = after_shipping(ctx, order)
        text.append(more)
    elif terms.verdict == CancelVerdict.IN_FULFILMENT:
        reply.outcome = Outcome.NOT_ELIGIBLE
        text.append(
            w.t(
                "cancel.in_fulfilment",
                number=number,
                items=_names(ctx, terms.packing_items),
                days=rules.return_window_days,
            )
        )
    else:
        refund = w.money(terms.refund)
        if terms.free_until is not None:
            left, until = w.duration(terms.free_until - ctx.now), w.clock(terms.free_until)
            fee_clause = w.t("cancel.clause_free", left=left, until=until)
        else:
            fee_clause = w.t(
                "cancel.clause_fee",
                fee=w.money(terms.fee),
                window=w.span(rules.free_cancellation_window),
            )
        if terms.verdict == CancelVerdict.PARTIAL and not terms.shipped_items:
            text.append(
                w.t(
                    "cancel.partial_packing",
                    number=number,
                    packing=_names(ctx, terms.packing_items),
                    items=_names(ctx, terms.cancellable_items),
                    clause=fee_clause,
                    refund=refund,
                )
            )
        elif terms.verdict == CancelVerdict.PARTIAL:
            text.append(
                w.t(
                    "cancel.partial",
                    number=number,
                    shipped=_names(ctx, terms.shipped_items),
                    items=_names(ctx, terms.cancellable_items),
                    clause=fee_clause,
                    refund=refund,
                )
            )
        else:
            text.append(w.t("cancel.possible", number=number, clause=fee_clause, refund=refund))
        if terms.shipped_items and terms.packing_items:
            text.append(w.t("cancel.packing_too", items=_names(ctx, terms.packing_items)))
        text.append(w.t("cancel.confirm_in_hub"))
        actions.append(hub_action(ctx, order, "cancel"))
    reply.blocks = [
        blocks.text(" ".join(text)),
        order_card(ctx, order, editability_of(order, rules, ctx.now), actions),
    ]
    return reply


def add_item(ctx: SkillContext, intent: Intent = Intent.ADD_ITEM) -> Reply:
    """Adding to an existing order is not supported: say so and suggest a new order."""
    w = ctx.words
    return Reply(
        intent=intent,
        skill=SKILL,
        outcome=Outcome.NOT_SUPPORTED,
        blocks=[
            blocks.text(w.t("add_item.not_supported")),
            blocks.link(
                w.t("link.shop"),
                ctx.brand.shop_url
                if ctx.brand.shop_url.startswith("http")
                else f"{ctx.base_url}{ctx.brand.shop_url}",
            ),
        ],
    )
