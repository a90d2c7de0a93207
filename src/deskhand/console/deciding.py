"""Which rule decided a reply, in words, for Agent Preview's diagnostics.

Order requests are decided by the pure policy functions (`domain/policy.py`) on the order in
focus; they are re-run here on the same order, rules and moment, so the preview shows the
verdict and the numbers that made it. Everything else is decided by the pipeline's own rules
(verification first, the knowledge base's threshold, the Hub switch), named by the outcome.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from deskhand.domain.orders import Order
from deskhand.domain.policy import (
    PolicyRules,
    cancellation_terms,
    editability_of,
    return_eligibility,
)
from deskhand.domain.vocabulary import Intent, Outcome, Skill

BY_OUTCOME = {
    Outcome.NEEDS_SIGN_IN: "No order data before verification: the shopper is asked to verify.",
    Outcome.NEEDS_CODE: "Verification: a code is expected.",
    Outcome.CODE_SENT: "Verification: a one-time code went to the address on the account.",
    Outcome.CODE_WRONG: "Verification: the code did not match.",
    Outcome.CODE_EXPIRED: "Verification: the code expired.",
    Outcome.RATE_LIMITED: "Verification: too many codes for this address or client.",
    Outcome.VERIFICATION_LOCKED: "Verification: too many wrong codes; paused.",
    Outcome.VERIFIED: "Verification: the code matched.",
    Outcome.ORDER_NOT_FOUND: "The order number is not one of this shopper's orders.",
    Outcome.NO_ORDERS: "This shopper has no orders to ask about.",
    Outcome.ASKED_WHICH_ORDER: "More than one order fits: the agent asks which.",
    Outcome.ASKED_TO_CLARIFY: "The classifier was unsure between requests: the agent asks.",
    Outcome.NO_ANSWER: "No article scored above the knowledge base's answer threshold: no guess.",
    Outcome.HANDOFF_REQUESTED: "The shopper accepted a person.",
    Outcome.HANDOFF_DECLINED: "The shopper declined a person.",
}


def _span(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes % 1440 == 0:
        return f"{minutes // 1440} days"
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def order_rule(
    skill: Skill, intent: Intent, order: Order, rules: PolicyRules, now: datetime
) -> str:
    """The verdict of the policy function that decides this request for this order."""
    if skill is Skill.ORDER_EDITING and intent is Intent.CANCEL_ORDER:
        terms = cancellation_terms(order, rules, now)
        window = _span(rules.free_cancellation_window)
        return (
            f"cancellation_terms(#{order.number}): {terms.verdict.value}; free for {window} "
            f"after ordering, then a fee of {rules.cancellation_fee / 100:.2f} {order.currency}."
        )
    if skill is Skill.ORDER_EDITING:
        edit = editability_of(order, rules, now)
        return (
            f"editability_of(#{order.number}): {edit.verdict.value}; change window "
            f"{_span(rules.change_window)} after ordering, ends {_stamp(edit.window_ends_at)}."
        )
    if skill is Skill.RETURNS:
        verdicts = [return_eligibility(i, order, rules, now) for i in order.items]
        ok = sum(v.ok for v in verdicts)
        reasons = sorted({v.why.value for v in verdicts if v.why is not None})
        why = f"; not returnable: {', '.join(reasons)}" if reasons else ""
        return (
            f"return_eligibility(#{order.number}): {ok} of {len(verdicts)} items returnable "
            f"within {rules.return_window_days} days of delivery{why}."
        )
    return f"Order #{order.number} as the store has it (status {order.status.value})."


def deciding_rule(
    skill: Skill,
    intent: Intent,
    outcome: Outcome,
    rules: PolicyRules,
    order: Order | None,
    now: datetime,
    switched_off: bool,
) -> str:
    if switched_off:
        return "The brand switched this request's skill off: the agent offers a person."
    if outcome in BY_OUTCOME:
        return BY_OUTCOME[outcome]
    if (
        outcome is Outcome.HANDOFF_OFFERED
        and not rules.hub_enabled
        and skill
        in (
            Skill.ORDER_EDITING,
            Skill.RETURNS,
        )
    ):
        return "The Customer Hub is off: requests finished there are offered to a person."
    if outcome is Outcome.HANDOFF_OFFERED:
        return "No skill can resolve this request: the agent offers a person."
    if order is not None and skill in (Skill.ORDER_EDITING, Skill.RETURNS, Skill.TRACKING):
        return order_rule(skill, intent, order, rules, now)
    if skill is Skill.POLICY or outcome is Outcome.ANSWERED and skill is Skill.RETURNS:
        return "Answered from the knowledge base (an article above the answer threshold)."
    if skill is Skill.SMALLTALK:
        return "Small talk: greeting, thanks or goodbye."
    return f"{skill.value} answered with {outcome.value}."
