"""Greetings, thanks and goodbyes."""

from __future__ import annotations

from deskhand.agent.skills.context import SkillContext
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.vocabulary import Intent, Outcome, Skill

WORDING = {
    Intent.GREETING: "smalltalk.greeting",
    Intent.THANKS: "smalltalk.thanks",
    Intent.GOODBYE: "smalltalk.goodbye",
}


def smalltalk(ctx: SkillContext, intent: Intent) -> Reply:
    return Reply(
        intent=intent,
        skill=Skill.SMALLTALK,
        outcome=Outcome.ANSWERED,
        blocks=[blocks.text(ctx.words.t(WORDING[intent], brand=ctx.brand.name))],
    )


def anything_else(ctx: SkillContext) -> Reply:
    """A message of discourse words only ("hmm", "ah ok"): ask what else, never hand off."""
    return Reply(
        intent=Intent.OTHER,
        skill=Skill.SMALLTALK,
        outcome=Outcome.ANSWERED,
        blocks=[blocks.text(ctx.words.t("smalltalk.anything_else"))],
    )
