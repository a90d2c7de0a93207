"""Order tracking: fulfilment status, carrier, tracking link and delivery estimate."""

from __future__ import annotations

from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.orders import hub_action, order_card
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.orders import ItemStatus, Order, OrderStatus
from deskhand.domain.policy import EditVerdict, editability_of
from deskhand.domain.vocabulary import Intent, Outcome, Skill


def track_order(ctx: SkillContext, order: Order, intent: Intent = Intent.ORDER_STATUS) -> Reply:
    """Where each shipment is, what has not shipped yet, and the Hub's tracking page."""
    w = ctx.words
    text: list[str] = []
    if order.status == OrderStatus.CANCELLED:
        assert order.cancelled_at is not None
        text.append(w.t("cancel.already", number=order.number, date=w.day(order.cancelled_at)))
    elif order.status == OrderStatus.DELIVERED and order.delivered_at:
        text.append(w.t("track.delivered", number=order.number, date=w.day(order.delivered_at)))
    else:
        text.append(w.t("track.intro", number=order.number))
        for s in order.shipments:
            items = w.items([i.title for i in order.items if i.shipment_id == s.id])
            if s.status == "delivered" and s.delivered_at:
                text.append(
                    w.t(
                        "track.shipment_delivered",
                        items=items,
                        carrier=s.carrier,
                        date=w.day(s.delivered_at),
                    )
                )
            else:
                eta = w.day(s.eta) if s.eta else w.t("track.eta_unknown")
                text.append(
                    w.t(
                        "track.shipment_on_its_way",
                        items=items,
                        carrier=s.carrier,
                        tracking=s.tracking_number,
                        eta=eta,
                    )
                )
        waiting = [i.title for i in order.items if i.status == ItemStatus.UNFULFILLED]
        if waiting:
            text.append(w.t("track.not_shipped", items=w.items(waiting)))
    actions = [hub_action(ctx, order, "track")] if order.shipments else []
    # While the order can still change, the card says which items and offers the change.
    ed = editability_of(order, ctx.rules, ctx.now)
    if ed.verdict in (EditVerdict.EDITABLE, EditVerdict.PARTIALLY_EDITABLE) and (
        ctx.rules.hub_enabled
    ):
        actions.append(hub_action(ctx, order, "edit"))
    return Reply(
        intent=intent,
        skill=Skill.TRACKING,
        outcome=Outcome.ANSWERED,
        blocks=[blocks.text(" ".join(text)), order_card(ctx, order, ed, actions)],
    )
