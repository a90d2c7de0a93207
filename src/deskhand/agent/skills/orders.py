"""Finding the order a shopper means, and showing it as an order card."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.references import narrow
from deskhand.domain import blocks
from deskhand.domain.orders import Order, OrderStatus
from deskhand.domain.policy import Editability

IN_PROGRESS = (OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED)
ON_THE_WAY = (OrderStatus.UNFULFILLED, OrderStatus.PARTIALLY_FULFILLED, OrderStatus.FULFILLED)
ANY_LIVE = (*ON_THE_WAY, OrderStatus.DELIVERED)
DELIVERED_OR_SHIPPED = (
    OrderStatus.DELIVERED,
    OrderStatus.FULFILLED,
    OrderStatus.PARTIALLY_FULFILLED,
)


@dataclass(frozen=True)
class OrderChoice:
    """Either the order meant, or the candidates to ask about, or nothing found."""

    order: Order | None = None
    candidates: tuple[Order, ...] = ()
    not_found: str | None = None  # the number the shopper typed that is not theirs


def choose_order(
    ctx: SkillContext,
    number: str | None,
    latest: bool,
    wanted: tuple[OrderStatus, ...],
    prefer: Callable[[Order], bool] | None = None,
) -> OrderChoice:
    """The order numbered, the latest, the one the message points at (by product, day, state
    or place in the list shown), the one in focus, the only one in progress (the only one
    `prefer`red: with a return, say), or ask."""
    assert ctx.customer_id is not None
    if number:
        order = ctx.store.order_of(ctx.customer_id, number)
        return OrderChoice(order=order) if order else OrderChoice(not_found=number)
    orders = ctx.store.orders_of(ctx.customer_id)
    if not orders:
        return OrderChoice()
    if latest:
        return OrderChoice(order=orders[0])
    relevant = tuple(o for o in orders if o.status in wanted)
    # "the kettle one", "I just ordered", "the one from Monday": the order it points at.
    pointed = narrow(ctx, relevant or orders)
    if pointed.one:
        return OrderChoice(order=pointed.one)
    if ctx.state.focus_order:
        focused = next((o for o in orders if o.number == ctx.state.focus_order), None)
        if focused:
            return OrderChoice(order=focused)
    if prefer is not None:
        preferred = tuple(o for o in relevant if prefer(o))
        relevant = preferred or relevant
    if len(relevant) == 1:
        return OrderChoice(order=relevant[0])
    if not relevant:
        return OrderChoice(order=orders[0])
    return OrderChoice(candidates=(pointed.orders if pointed.cued else relevant)[:5])


def which_order_buttons(ctx: SkillContext, candidates: tuple[Order, ...]) -> list[blocks.Block]:
    """ "Which order do you mean?" with one button per candidate."""
    w = ctx.words
    ctx.state.shown_orders = [o.number for o in candidates]
    return [
        blocks.text(w.t("orders.which")),
        blocks.buttons(
            *[
                blocks.button(
                    w.t(
                        "orders.button",
                        number=o.number,
                        date=w.day(o.placed_at),
                        items=w.items([i.title for i in o.items]),
                    ),
                    f"order:{o.number}",
                )
                for o in candidates
            ]
        ),
    ]


def order_card(
    ctx: SkillContext,
    order: Order,
    editability: Editability | None,
    actions: Sequence[blocks.HubLink | blocks.Button],
) -> blocks.OrderCardBlock:
    """The order as the API's order card, items marked editable where the rules allow."""
    editable_ids = {i.id for i in editability.editable_items} if editability else set()
    return blocks.order_card(
        {
            "number": order.number,
            "status": order.status.value,
            "placed_at": order.placed_at.isoformat(),
            "items": [
                {
                    "title": i.title,
                    "variant": i.variant,
                    "quantity": i.quantity,
                    "status": i.status.value,
                    "editable": i.id in editable_ids,
                }
                for i in order.items
            ],
            "shipments": [
                {
                    "carrier": s.carrier,
                    "tracking_number": s.tracking_number,
                    "tracking_url": s.tracking_url,
                    "status": s.status,
                    "eta": s.eta.isoformat() if s.eta else None,
                }
                for s in order.shipments
            ],
        },
        actions,
    )


def hub_action(ctx: SkillContext, order: Order, tab: str) -> blocks.HubLink:
    """A card action opening one Hub tab of the order (signed in when verified)."""
    labels = {
        "edit": "action.edit",
        "cancel": "action.cancel",
        "return": "action.return",
        "track": "action.track",
    }
    return blocks.hub_link(ctx.words.t(labels[tab]), ctx.hub_url(order.number, tab))
