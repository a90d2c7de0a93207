"""Where-is-my-order with several open orders: answer for the parcels on their way.

"Where's my parcel?" from a shopper with a pre-order and a parcel with DHL can only mean the
parcel: it is tracked in full, and each other open order gets one line on its state. With
nothing on its way, every open order gets its line. Nothing is asked: tracking changes
nothing, so answering for all of them guesses nothing.
"""

from __future__ import annotations

from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.orders import hub_action, order_card
from deskhand.agent.skills.tracking import track_order
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.orders import Order
from deskhand.domain.vocabulary import Intent, Outcome, Skill


def on_its_way(order: Order) -> bool:
    return any(s.status != "delivered" for s in order.shipments)


def state_line(ctx: SkillContext, order: Order) -> str:
    """One line on an order that is not on its way: a pre-order, or not shipped yet."""
    w = ctx.words
    items = w.items([i.title for i in order.items])
    preorder = "preorder" in order.tags or any(i.preorder for i in order.items)
    key = "track.preorder" if preorder else "track.waiting"
    return w.t(key, number=order.number, items=items)


def track_several(ctx: SkillContext, orders: tuple[Order, ...], intent: Intent) -> Reply:
    """The parcels on their way in full, one line on each other order."""
    moving = [o for o in orders if on_its_way(o)]
    others = [o for o in orders if not on_its_way(o)]
    ctx.state.shown_orders = [o.number for o in (*moving, *others)]
    ctx.state.focus_intent = intent  # "and the kettle one?" asks the same about another
    if len(moving) == 1:
        ctx.state.focus_order = moving[0].number
    parts: list[blocks.Block] = []
    for order in moving:
        parts.extend(track_order(ctx, order, intent).blocks)
    lines = [state_line(ctx, o) for o in others]
    if not moving:
        lines.insert(0, ctx.words.t("track.none_on_the_way"))
    if lines:
        parts.append(blocks.text(" ".join(lines)))
    if not moving:
        parts.extend(order_card(ctx, o, None, [hub_action(ctx, o, "track")]) for o in others)
    return Reply(intent, Skill.TRACKING, Outcome.ANSWERED, parts)
