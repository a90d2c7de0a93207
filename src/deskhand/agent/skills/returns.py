"""Returns: return requests, refund questions and exchanges (the returns portal comes next)."""

from __future__ import annotations

from deskhand.agent.skills import order_editing
from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.handoff import offer_handoff
from deskhand.agent.skills.policy import answer_policy
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.orders import Order
from deskhand.domain.vocabulary import Intent, Outcome, Skill


def start_return(ctx: SkillContext, intent: Intent) -> Reply:
    """The brand's return policy, with a link to start the return in the Hub."""
    reply = answer_policy(ctx, intent, skill=Skill.RETURNS)
    if reply.outcome == Outcome.ANSWERED and ctx.rules.hub_enabled:
        reply.blocks.insert(1, blocks.link(ctx.words.t("returns.start_in_hub"), ctx.hub_url()))
    return reply


def refund_status(ctx: SkillContext, intent: Intent) -> Reply:
    """How long refunds take; a person can look at this one refund."""
    reason = ctx.words.t("returns.refund_status", days=ctx.rules.refund_business_days)
    return offer_handoff(ctx, intent, Skill.RETURNS, reason)


def exchange(ctx: SkillContext, order: Order, intent: Intent) -> Reply:
    """An exchange is decided by the order: before shipping a change, after it a return."""
    reply = order_editing.change_order(ctx, order, intent)
    if reply.outcome != Outcome.HUB_LINK:
        reply.skill = Skill.RETURNS
    return reply
