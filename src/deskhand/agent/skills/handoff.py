"""Offering a human, and recording the shopper's answer (the helpdesk itself comes later)."""

from __future__ import annotations

from deskhand.agent.skills.context import SkillContext
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.vocabulary import Intent, Outcome, Skill

YES, NO = "handoff:yes", "handoff:no"
HANDOFF_REQUESTED = "handoff_requested"  # the conversation's status once the shopper accepts


def offer_handoff(
    ctx: SkillContext,
    intent: Intent,
    skill: Skill,
    reason: str,
    outcome: Outcome = Outcome.HANDOFF_OFFERED,
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


def cannot_help(ctx: SkillContext, intent: Intent) -> Reply:
    return offer_handoff(ctx, intent, Skill.FALLBACK, ctx.words.t("fallback.cannot_help"))


def ask_for_human(ctx: SkillContext, intent: Intent) -> Reply:
    """The shopper asked for a person: confirm before handing over."""
    return offer_handoff(ctx, intent, Skill.HANDOFF, ctx.words.t("handoff.asked"))


def answer_handoff_choice(ctx: SkillContext, accepted: bool) -> tuple[Reply, str | None]:
    """The shopper's answer to the offer: (reply, new conversation status or None)."""
    w = ctx.words
    if accepted:
        return Reply(
            intent=Intent.HUMAN_HANDOFF,
            skill=Skill.HANDOFF,
            outcome=Outcome.HANDOFF_REQUESTED,
            blocks=[blocks.text(w.t("handoff.requested"))],
        ), HANDOFF_REQUESTED
    return Reply(
        intent=Intent.HUMAN_HANDOFF,
        skill=Skill.HANDOFF,
        outcome=Outcome.HANDOFF_DECLINED,
        blocks=[blocks.text(w.t("handoff.declined"))],
    ), None
