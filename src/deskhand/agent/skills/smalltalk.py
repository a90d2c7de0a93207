"""Greetings, thanks and goodbyes."""

from __future__ import annotations

from deskhand.agent.skills.context import SkillContext
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply


def smalltalk(ctx: SkillContext, intent: str) -> Reply:
    key = {
        "greeting": "smalltalk.greeting",
        "thanks": "smalltalk.thanks",
        "goodbye": "smalltalk.goodbye",
    }[intent]
    return Reply(
        intent=intent,
        skill="smalltalk",
        outcome="answered",
        blocks=[blocks.text(ctx.words.t(key, brand=ctx.brand.name))],
    )
