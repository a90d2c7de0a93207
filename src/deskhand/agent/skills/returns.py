"""Returns & Exchanges: whether this order's items can go back, why not, and the refund.

Policy questions are the policy skill's (no sign-in). An order-specific request ("I want to
return the boots", "exchange for a bigger size" after delivery, "where is my refund?")
comes here once the shopper is verified and the order is picked: eligibility per line item
(the window from delivery, excluded categories, quantities already on a return, the
provider's own verdict) and the concrete reason for each item that cannot go back; the
action is the returns portal's tab of the order. Without the Hub or a returns provider the
skill is unavailable: order requests get a soft handoff (`unavailable`).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from deskhand.agent.skills import order_editing
from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.handoff import offer_blocks, offer_handoff, remember_offer
from deskhand.agent.skills.orders import hub_action, order_card
from deskhand.agent.skills.policy import answer_policy
from deskhand.analytics.events import record
from deskhand.domain import blocks
from deskhand.domain.blocks import HubLink, Reply
from deskhand.domain.orders import Order, OrderStatus
from deskhand.domain.policy import Why
from deskhand.domain.returns import LineReturnability, ReturnState
from deskhand.domain.vocabulary import Intent, Outcome, Skill
from deskhand.knowledge.consistency import findings_for
from deskhand.knowledge.facts import TOPIC_OF_FACET
from deskhand.returns.providers import Availability, returns_availability
from deskhand.returns.records import entered, refund_due, returns_of_order
from deskhand.returns.starting import lines_of
from deskhand.returns.vendors import ProviderError

SKILL = Skill.RETURNS
TROUBLE = "returns.troubleshooting"  # the analytics event the brand's console lists


def troubleshooting(ctx: SkillContext, case: str, **props: object) -> None:
    """Record a case the brand should be able to look into later, with its reason."""
    record(
        ctx.session,
        ctx.brand.id,
        ctx.conversation_id or None,
        TROUBLE,
        {"case": case, **props},
        ctx.now,
    )


def _availability(ctx: SkillContext) -> Availability:
    email = ""
    if ctx.customer_id is not None:
        customer = ctx.store.customer(ctx.customer_id)
        email = customer.email if customer else ""
    assert ctx.settings is not None, "the engine hands every skill the settings"
    return returns_availability(ctx.session, ctx.brand, ctx.rules, ctx.settings, email)


def unavailable(ctx: SkillContext, intent: Intent) -> Reply | None:
    """Limited mode: no Hub or no returns provider means a soft handoff, before any sign-in.

    Also records a request that must wait for sign-in (the brand sees why no order was
    looked at)."""
    availability = _availability(ctx)
    if availability.why_not is not None:
        troubleshooting(ctx, "handoff_unavailable", reason=availability.why_not.value)
        return offer_handoff(ctx, intent, SKILL, ctx.words.t("returns.unavailable"))
    if ctx.customer_id is None:
        troubleshooting(ctx, "not_signed_in", intent=intent.value)
    return None


def policy_question(ctx: SkillContext, intent: Intent) -> Reply:
    """A return policy question, answered by the policy skill; when an article it cites
    contradicts the brand's rules (the last consistency check says so), the brand is told
    the answer came from an outdated policy."""
    reply = answer_policy(ctx, intent)
    cited = {a["title"] for b in reply.blocks if b["type"] == "sources" for a in b["articles"]}
    outdated = sorted(
        {
            f.facet
            for f in findings_for(ctx.session, ctx.brand.id)
            if f.kind == "contradiction"
            and TOPIC_OF_FACET.get(f.facet) == "returns"
            and f.article_title in cited
        }
    )
    if outdated:
        troubleshooting(ctx, "outdated_policy", facets=outdated, articles=sorted(cited))
    return reply


def has_returnable_item(ctx: SkillContext, order: Order) -> bool:
    return any(line.ok for line in lines_of(ctx.session, ctx.brand.id, order, ctx.rules, ctx.now))


def has_a_return(ctx: SkillContext, order: Order) -> bool:
    return bool(returns_of_order(ctx.session, ctx.brand.id, order.id))


def _reason(ctx: SkillContext, order: Order, line: LineReturnability) -> str:
    """Why this item cannot go back, concretely for this order."""
    w, item = ctx.words, line.item.title
    why = line.why or Why.NOT_DELIVERED
    if why is Why.RETURN_WINDOW_PASSED:
        shipment = order.shipment_of(line.item)
        delivered = shipment.delivered_at if shipment else None
        days_ago = (ctx.now - delivered).days if delivered else ctx.rules.return_window_days
        return w.t(
            "returns.why.window",
            item=item,
            ago=days_ago,
            days=ctx.rules.return_window_days,
        )
    if why is Why.ALREADY_RETURNED:
        return w.t("returns.why.already_returned", item=item)
    if why in (Why.FINAL_SALE, Why.GIFT_CARD, Why.PERSONALISED):
        return w.t(f"returns.why.{why.value}", item=item)
    return w.t("returns.why.not_delivered", item=item, days=ctx.rules.return_window_days)


def _eligibility(
    ctx: SkillContext, order: Order
) -> tuple[list[str], list[HubLink | blocks.Button], Outcome, bool]:
    """(sentences, card actions, outcome, link missing): which items can go back, why the
    others cannot, and where the return starts (the Hub's portal or the provider's)."""
    w = ctx.words
    lines = lines_of(ctx.session, ctx.brand.id, order, ctx.rules, ctx.now)
    provider = _availability(ctx).provider
    verdicts: Mapping[int, bool] = {}
    if provider is not None:
        try:
            verdicts = provider.verdicts(order, ctx.now)
        except ProviderError as exc:  # decide by the rules alone, and tell the brand
            troubleshooting(ctx, "provider_unreachable", reason=exc.reason, order=order.number)
    refused = [line for line in lines if line.ok and verdicts.get(line.item.id) is False]
    ok = [line for line in lines if line.ok and line not in refused]
    not_ok = [line for line in lines if not line.ok]
    text: list[str] = []
    actions: list[HubLink | blocks.Button] = []
    if order.status == OrderStatus.CANCELLED or not lines:
        return [w.t("returns.cancelled", number=order.number)], [], Outcome.NOT_ELIGIBLE, False
    missing = False
    if ok:
        until = min(line.window_ends_at for line in ok if line.window_ends_at)
        names = w.items([line.item.title for line in ok])
        key = "returns.eligible" if not not_ok and not refused else "returns.mixed"
        text.append(w.t(key, number=order.number, items=names, date=w.day(until)))
        try:
            url = provider.portal_url(order) if provider is not None else None
        except ProviderError as exc:
            troubleshooting(ctx, "start_link_missing", reason=exc.reason, order=order.number)
            missing = True
        else:
            label = w.t("action.return")
            actions.append(blocks.hub_link(label, url) if url else hub_action(ctx, order, "return"))
    else:
        text.append(w.t("returns.not_eligible", number=order.number))
    text.extend(_reason(ctx, order, line) for line in not_ok)
    text.extend(w.t("returns.why.provider", item=line.item.title) for line in refused)
    if not ok:
        reasons = {(line.why or Why.NOT_DELIVERED).value for line in not_ok}
        if refused:
            reasons.add("provider")
        troubleshooting(ctx, "not_eligible", order=order.number, reasons=sorted(reasons))
        return text, actions, Outcome.NOT_ELIGIBLE, False
    if missing:
        text.append(w.t("returns.link_missing"))
        return text, actions, Outcome.HANDOFF_OFFERED, True
    return text, actions, Outcome.ROUTED_TO_RETURNS, False


def start_return(ctx: SkillContext, order: Order, intent: Intent) -> Reply:
    """Which items of this order can go back and until when; why the others cannot."""
    text, actions, outcome, missing = _eligibility(ctx, order)
    reply = Reply(
        intent=intent,
        skill=SKILL,
        outcome=outcome,
        blocks=[blocks.text(" ".join(text)), order_card(ctx, order, None, actions)],
    )
    if missing:  # eligible, but the provider gave no link: a person takes it from here
        remember_offer(ctx, intent, ctx.words.t("returns.link_missing"))
        reply.blocks.extend(offer_blocks(ctx))
    return reply


def _status_text(ctx: SkillContext, session: Session, order: Order) -> str | None:
    """The newest return of the order and its refund, or None when there is none."""
    found = returns_of_order(session, ctx.brand.id, order.id)
    if not found:
        return None
    ret = found[0]
    w = ctx.words
    state = ReturnState(ret.state)
    since = entered(ret, state)
    amount = ret.store_credit if ret.resolution == "store_credit" else ret.refund_amount
    params: dict[str, object] = {
        "rma": ret.rma,
        "number": order.number,
        "date": w.day(since) if since else "",
        "amount": w.money_of(amount),
        "days": ctx.rules.refund_business_days,
    }
    if state is ReturnState.RECEIVED:
        due = refund_due(ret, ctx.rules)
        params["due"] = w.day(due) if due else ""
        key = {
            "refund": "returns.status.received",
            "store_credit": "returns.status.received_credit",
        }.get(ret.resolution, "returns.status.received_exchange")
        if ret.resolution == "exchange" and ret.exchange_difference < 0:
            key = "returns.status.received"
        return w.t(key, **params)
    if state is ReturnState.REJECTED:
        params["reason"] = ret.rejection_reason
    return w.t(f"returns.status.{state.value}", **params)


def refund_status(ctx: SkillContext, order: Order, intent: Intent) -> Reply:
    """Where this order's return is, and when the money arrives."""
    said = _status_text(ctx, ctx.session, order)
    if said is None:  # no return yet: say so, and whether one can be started
        text, actions, _, _ = _eligibility(ctx, order)
        said = " ".join([ctx.words.t("returns.status.none", number=order.number), *text])
    else:
        actions = [
            blocks.hub_link(ctx.words.t("returns.view"), ctx.hub_url(order.number, "return"))
        ]
    return Reply(
        intent=intent,
        skill=SKILL,
        outcome=Outcome.ANSWERED,
        blocks=[blocks.text(said), order_card(ctx, order, None, actions)],
    )


def exchange(ctx: SkillContext, order: Order, intent: Intent) -> Reply:
    """Before shipping an exchange is a change of the order; after delivery, a return."""
    if order.status == OrderStatus.DELIVERED:
        return start_return(ctx, order, intent)
    reply = order_editing.change_order(ctx, order, intent)
    if reply.outcome != Outcome.HUB_LINK:
        reply.skill = SKILL
    return reply
