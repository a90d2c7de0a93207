"""What a message refers to, given what the conversation has already shown.

An answer to "which order do you mean?" can be a position ("the second one"), a product in
the shopper's words ("the kettle one", "el del hervidor"), a day ("the one from Monday",
"this morning") or a state ("the one that's on its way"); "the other one" is the order
shown but not in focus; "I just ordered" is the newest. `narrow` applies these cues to a
list of orders; the engine uses it for the answer to "which order?" and for follow-ups
("and the socks?"), `skills/orders.choose_order` for a first request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from deskhand.agent.products import ProductIndex, product_index
from deskhand.agent.skills.context import SkillContext
from deskhand.agent.understand.cues import Cues, placed_on, placed_on_weekday, read_cues
from deskhand.db.product_synonyms import synonyms_of
from deskhand.domain.orders import Order


@dataclass(frozen=True)
class Narrowed:
    """The orders a message can mean; `cued` when it pointed at all."""

    orders: tuple[Order, ...]
    cued: bool

    @property
    def one(self) -> Order | None:
        return self.orders[0] if self.cued and len(self.orders) == 1 else None


def cues_of(ctx: SkillContext) -> Cues:
    return read_cues(ctx.text, ctx.now.astimezone(ctx.words.tz).date())


def index_of(ctx: SkillContext) -> ProductIndex:
    """The brand's product index for its current catalogue and synonyms (built once per
    version of them)."""
    synonyms = synonyms_of(ctx.session, ctx.brand.id)
    return product_index(ctx.brand.id, ctx.store.products(), synonyms)


def _on_its_way(order: Order) -> bool:
    return any(s.status != "delivered" for s in order.shipments)


def _arrived(order: Order) -> bool:
    return bool(order.shipments) and all(s.status == "delivered" for s in order.shipments)


def narrow(ctx: SkillContext, pool: Sequence[Order], cues: Cues | None = None) -> Narrowed:
    """The orders of `pool` (newest first) the message points at."""
    cues = cues or cues_of(ctx)
    shown = [n for n in ctx.state.shown_orders if any(o.number == n for o in pool)]
    by_number = {o.number: o for o in pool}
    focus = ctx.state.focus_order
    if cues.other and focus in shown and len(shown) == 2:  # "the other one", "den andra"
        return Narrowed((by_number[next(n for n in shown if n != focus)],), True)
    if cues.position is not None and cues.position < len(shown):
        return Narrowed((by_number[shown[cues.position]],), True)
    if cues.other and focus:
        others = tuple(o for o in pool if o.number != focus)
        if len(others) == 1:
            return Narrowed(others, True)
    kept, cued = tuple(pool), False
    index = index_of(ctx) if ctx.text else None
    filters: list[Callable[[Order], bool]] = []
    if index is not None:
        filters.append(lambda o: bool(index.lines_named(ctx.text, o)))
    day = cues.day
    if day is not None:
        filters.append(
            lambda o: placed_on(o.placed_at, day, ctx.words.tz, cues.morning, now=ctx.now)
        )
    weekday, today = cues.weekday, ctx.now.astimezone(ctx.words.tz).date()
    if weekday is not None:
        filters.append(lambda o: placed_on_weekday(o.placed_at, weekday, today, ctx.words.tz))
    if cues.on_its_way:
        filters.append(_on_its_way)
    if cues.arrived:
        filters.append(_arrived)
    for wanted in filters:
        matching = tuple(o for o in kept if wanted(o))
        if matching:
            kept, cued = matching, True
    if cues.newest and kept:
        kept, cued = kept[:1], True
    return Narrowed(kept, cued)


def shown_pool(ctx: SkillContext) -> list[Order]:
    """The orders of the last "which order?" question (or last summary), newest first."""
    assert ctx.customer_id is not None
    shown = set(ctx.state.shown_orders)
    return [o for o in ctx.store.orders_of(ctx.customer_id) if o.number in shown]


def order_meant(ctx: SkillContext) -> str | None:
    """The number of the one order the message points at among those shown, else None."""
    if ctx.customer_id is None or not ctx.state.shown_orders:
        return None
    chosen = narrow(ctx, shown_pool(ctx)).one
    return chosen.number if chosen else None


def order_named(ctx: SkillContext) -> str | None:
    """The one order of the shopper's that the message points at (a follow-up), else None."""
    if ctx.customer_id is None:
        return None
    orders = ctx.store.orders_of(ctx.customer_id)
    chosen = narrow(ctx, orders).one
    return chosen.number if chosen else None
