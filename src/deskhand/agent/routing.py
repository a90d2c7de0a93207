"""From a request to its answer: the registry's route, its preconditions, then the skill.

Before a skill runs, its route's needs are met in order: the Customer Hub must be on for
requests finished there; a request about orders needs a verified shopper (else the
verification dialogue asks) and one order (named, the latest, the one in focus, or asked).
"""

from __future__ import annotations

from deskhand.agent.skills import clarify
from deskhand.agent.skills.availability import switched_off
from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.handoff import cannot_help, offer_handoff
from deskhand.agent.skills.orders import choose_order, which_order_buttons
from deskhand.agent.skills.registry import Route, needs_shopper, route_of
from deskhand.agent.skills.tracking_several import track_several
from deskhand.agent.verifying import VerificationDialogue
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.vocabulary import Intent, Outcome, Skill


def answer(
    ctx: SkillContext,
    dialogue: VerificationDialogue,
    intent: Intent,
    number: str | None,
    latest: bool,
) -> Reply:
    """Answer one request with the skill its route names, once the route's needs are met."""
    route = route_of(intent)
    if route.skill in switched_off(ctx.session, ctx.brand.id):  # the brand switched it off
        return cannot_help(ctx, intent)
    if route.unavailable is not None:
        limited = route.unavailable(ctx, intent)
        if limited is not None:
            return limited
    if route.needs_hub and not ctx.rules.hub_enabled:
        return offer_handoff(ctx, intent, route.skill, ctx.words.t("edit.hub_off"))
    if route.answer_order is not None:
        if ctx.customer_id is None:
            return dialogue.ask(intent, number, latest)
        return _answer_for_order(ctx, route, intent, number, latest)
    if route.answer is not None:
        return route.answer(ctx, intent)
    return cannot_help(ctx, intent)


def _answer_for_order(
    ctx: SkillContext, route: Route, intent: Intent, number: str | None, latest: bool
) -> Reply:
    assert route.answer_order is not None
    w = ctx.words
    prefer = route.prefer
    choice = choose_order(
        ctx, number, latest, route.candidates, (lambda o: prefer(ctx, o)) if prefer else None
    )
    if choice.not_found:
        text = w.t("orders.not_found", number=choice.not_found)
        return Reply(intent, route.skill, Outcome.ORDER_NOT_FOUND, [blocks.text(text)])
    if choice.candidates and intent == Intent.ORDER_STATUS:
        return track_several(ctx, choice.candidates, intent)  # nothing to guess: answer all
    if choice.candidates:
        ctx.state.park(intent, None, False)
        buttons = which_order_buttons(ctx, choice.candidates)
        return Reply(intent, route.skill, Outcome.ASKED_WHICH_ORDER, buttons)
    if choice.order is None:
        return Reply(intent, route.skill, Outcome.NO_ORDERS, [blocks.text(w.t("orders.none"))])
    ctx.state.focus_order, ctx.state.focus_intent = choice.order.number, intent
    return route.answer_order(ctx, choice.order, intent)


def then_also(
    ctx: SkillContext,
    dialogue: VerificationDialogue,
    reply: Reply,
    number: str | None = None,
    latest: bool = False,
    also_text: str | None = None,
) -> Reply:
    """Answer the second request of a two-part message too, once nothing is in the way."""
    st = ctx.state
    also = st.also_intent
    # The knowledge base already answers every question of the message it is given.
    answered_from_kb = reply.skill == Skill.POLICY or route_of(reply.intent).from_kb
    if also is None or also == reply.intent or (route_of(also).from_kb and answered_from_kb):
        st.also_intent = None
        return reply
    # An order request waits while the first one waits for sign-in or "which order?".
    if needs_shopper(also) and reply.outcome in clarify.WAITING:
        return reply
    st.also_intent = None
    whole, ctx.text = ctx.text, also_text or ctx.text  # the second answer reads its own part
    try:
        second = answer(ctx, dialogue, also, number or st.focus_order, latest)
    finally:
        ctx.text = whole
    return clarify.join(reply, second)
