"""Which skill answers which request: the one table the agent dispatches from.

Adding a skill is one module in `agent/skills/` plus one line per intent here. A route says
what the skill needs before it runs: a verified shopper and one of their orders (the agent
asks for sign-in and "which order?" itself), or the Customer Hub switched on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deskhand.agent.skills import order_editing, returns, tracking
from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.handoff import ask_for_human
from deskhand.agent.skills.orders import ANY_LIVE, DELIVERED_OR_SHIPPED, IN_PROGRESS, ON_THE_WAY
from deskhand.agent.skills.policy import answer_other, answer_policy
from deskhand.agent.skills.smalltalk import smalltalk
from deskhand.domain.blocks import Reply
from deskhand.domain.orders import Order, OrderStatus
from deskhand.domain.vocabulary import Intent, Skill

AnswerRequest = Callable[[SkillContext, Intent], Reply]
AnswerForOrder = Callable[[SkillContext, Order, Intent], Reply]


@dataclass(frozen=True)
class Route:
    """How one intent is answered."""

    skill: Skill
    answer: AnswerRequest | None = None  # a request about no particular order
    # A request about one order of a verified shopper: which orders are candidates when the
    # message names none, and the Hub tab a sign-in link leads to.
    answer_order: AnswerForOrder | None = None
    candidates: tuple[OrderStatus, ...] = ()
    hub_tab: str = ""
    needs_hub: bool = False  # the shopper finishes it in the Customer Hub
    from_kb: bool = False  # answered from the knowledge base, every question of the message
    # Asked before anything else: a reply when the skill cannot serve this brand now.
    unavailable: Callable[[SkillContext, Intent], Reply | None] | None = None
    # Among candidate orders, the ones this request is most likely about.
    prefer: Callable[[SkillContext, Order], bool] | None = None

    @property
    def needs_shopper(self) -> bool:
        """Whether only a verified shopper may be answered."""
        return self.answer_order is not None


def _order_route(
    skill: Skill, answer: AnswerForOrder, candidates: tuple[OrderStatus, ...], tab: str
) -> Route:
    return Route(
        skill, answer_order=answer, candidates=candidates, hub_tab=tab, needs_hub=tab != "track"
    )


def _returns_route(answer: AnswerForOrder, prefer: Callable[[SkillContext, Order], bool]) -> Route:
    return Route(
        Skill.RETURNS,
        answer_order=answer,
        candidates=DELIVERED_OR_SHIPPED,
        hub_tab="return",
        unavailable=returns.unavailable,
        prefer=prefer,
    )


def _kb_route(skill: Skill, answer: AnswerRequest) -> Route:
    return Route(skill, answer=answer, from_kb=True)


ROUTES: dict[Intent, Route] = {
    Intent.ORDER_STATUS: _order_route(Skill.TRACKING, tracking.track_order, ON_THE_WAY, "track"),
    Intent.CHANGE_ITEM: _order_route(
        Skill.ORDER_EDITING, order_editing.change_order, IN_PROGRESS, "edit"
    ),
    Intent.CHANGE_ADDRESS: _order_route(
        Skill.ORDER_EDITING, order_editing.change_order, IN_PROGRESS, "edit"
    ),
    Intent.CANCEL_ORDER: _order_route(
        Skill.ORDER_EDITING, order_editing.cancel_order, IN_PROGRESS, "cancel"
    ),
    Intent.EXCHANGE: Route(
        Skill.RETURNS,
        answer_order=returns.exchange,
        candidates=ANY_LIVE,
        hub_tab="return",
        unavailable=returns.unavailable,
        # No preference: an exchange may mean a swap before shipping as well as a return
        # after delivery, so with several live orders the shopper is asked which one.
    ),
    Intent.ADD_ITEM: Route(Skill.ORDER_EDITING, answer=order_editing.add_item),
    Intent.RETURN_REQUEST: _returns_route(returns.start_return, returns.has_returnable_item),
    Intent.REFUND_STATUS: _returns_route(returns.refund_status, returns.has_a_return),
    Intent.POLICY_CHANGES: _kb_route(Skill.POLICY, answer_policy),
    Intent.POLICY_RETURNS: _kb_route(Skill.POLICY, returns.policy_question),
    Intent.POLICY_SHIPPING: _kb_route(Skill.POLICY, answer_policy),
    Intent.POLICY_PAYMENT: _kb_route(Skill.POLICY, answer_policy),
    Intent.HUMAN_HANDOFF: Route(Skill.HANDOFF, answer=ask_for_human),
    Intent.GREETING: Route(Skill.SMALLTALK, answer=smalltalk),
    Intent.THANKS: Route(Skill.SMALLTALK, answer=smalltalk),
    Intent.GOODBYE: Route(Skill.SMALLTALK, answer=smalltalk),
    # The knowledge base may answer what no skill claims.
    Intent.OTHER: Route(Skill.FALLBACK, answer=answer_other),
}
# What no route claims: say so and offer a person.
UNROUTED = Route(Skill.FALLBACK)


def route_of(intent: Intent | None) -> Route:
    return ROUTES.get(intent, UNROUTED) if intent is not None else UNROUTED


def needs_shopper(intent: Intent | None) -> bool:
    return route_of(intent).needs_shopper
