"""Offering a human, and recording the shopper's answer (the helpdesk itself comes later)."""

from __future__ import annotations

from deskhand.agent.skills.context import SkillContext
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply

YES, NO = "handoff:yes", "handoff:no"


def offer_handoff(
    ctx: SkillContext, intent: str, skill: str, reason: str, outcome: str = "handoff_offered"
) -> Reply:
    """Say why the agent cannot resolve this and ask whether the shopper wants a person."""
    w = ctx.words
    return Reply(
        intent=intent,
        skill=skill,
        outcome=outcome,
        blocks=[
            blocks.text(reason),
            blocks.handoff_prompt(
                w.t("handoff.offer"),
                blocks.button(w.t("handoff.yes"), YES),
                blocks.button(w.t("handoff.no"), NO),
            ),
        ],
    )


def cannot_help(ctx: SkillContext, intent: str) -> Reply:
    return offer_handoff(ctx, intent, "fallback", ctx.words.t("fallback.cannot_help"))


def answer_handoff_choice(ctx: SkillContext, accepted: bool) -> tuple[Reply, str | None]:
    """The shopper's answer to the offer: (reply, new conversation status or None)."""
    w = ctx.words
    if accepted:
        return Reply(
            intent="human_handoff",
            skill="handoff",
            outcome="handoff_requested",
            blocks=[blocks.text(w.t("handoff.requested"))],
        ), "handoff_requested"
    return Reply(
        intent="human_handoff",
        skill="handoff",
        outcome="handoff_declined",
        blocks=[blocks.text(w.t("handoff.declined"))],
    ), None
