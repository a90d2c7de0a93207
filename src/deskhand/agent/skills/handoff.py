"""Offering a person, and acting on the shopper's answer.

Every place that would offer a person goes through `offer_blocks`, which follows the brand's
handoff setting: the "Yes, connect me" prompt, or in "don't hand off" mode the brand's message
and links instead, or, while the team already has the conversation's request, a note saying
so (never a second offer). The "yes" hands over (`handing_over.py`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.agent.skills import handing_over
from deskhand.agent.skills.context import SkillContext
from deskhand.db import models
from deskhand.domain import blocks
from deskhand.domain.blocks import Block, Reply
from deskhand.domain.vocabulary import Intent, Outcome, Skill
from deskhand.helpdesk.ownership import active_ticket
from deskhand.helpdesk.settings import handoff_config

YES, NO = "handoff:yes", "handoff:no"
HANDOFF_REQUESTED = "handoff_requested"  # the conversation's status while the email is asked
HANDED_OFF = "handed_off"  # the conversation's status once the team has it


def offer_blocks(ctx: SkillContext, body: str | None = None) -> list[Block]:
    """The offer of a person as the brand allows it (see the module's docstring)."""
    return offer_for(ctx.session, ctx.brand, ctx.conversation_id, ctx.words, body)


def offer_for(
    session: Session,
    brand: models.Brand,
    conversation_id: str,
    words: Wording,
    body: str | None = None,
) -> list[Block]:
    """`offer_blocks` for a channel that answers without the agent (no skill context)."""
    config = handoff_config(session, brand)
    if not config.hands_off:
        return handing_over.instead_of_a_person(words, config)
    if conversation_id and active_ticket(session, conversation_id) is not None:
        return [blocks.text(words.t("handoff.already"))]
    return [
        blocks.handoff_prompt(
            body or words.t("handoff.offer"),
            blocks.button(words.t("handoff.yes"), YES),
            blocks.button(words.t("handoff.no"), NO),
        )
    ]


def offers_a_person(found: list[Block]) -> bool:
    return any(b["type"] == "handoff_prompt" for b in found)


def offer_handoff(
    ctx: SkillContext,
    intent: Intent,
    skill: Skill,
    reason: str,
    outcome: Outcome = Outcome.HANDOFF_OFFERED,
) -> Reply:
    """Say why the agent cannot resolve this and offer a person (as the brand allows)."""
    remember_offer(ctx, intent, reason)
    offer = offer_blocks(ctx)
    if not offers_a_person(offer) and outcome == Outcome.HANDOFF_OFFERED:
        outcome = Outcome.NO_ANSWER  # nothing was offered: the agent had no answer
    return Reply(intent=intent, skill=skill, outcome=outcome, blocks=[blocks.text(reason), *offer])


def remember_offer(ctx: SkillContext, intent: Intent, reason: str) -> None:
    """What the ticket will say was asked and why the agent could not resolve it."""
    ctx.state.handoff_intent, ctx.state.handoff_reason = intent, reason


def cannot_help(ctx: SkillContext, intent: Intent) -> Reply:
    return offer_handoff(ctx, intent, Skill.FALLBACK, ctx.words.t("fallback.cannot_help"))


def ask_for_human(ctx: SkillContext, intent: Intent) -> Reply:
    """The shopper asked for a person: the same prompt, consent before handing over."""
    st = ctx.state
    if YES not in (st.live_actions or []) or st.handoff_reason is None:
        # Asked straight away (no offer standing): the request itself is what the team gets.
        remember_offer(ctx, intent, ctx.text or ctx.words.t("handoff.asked"))
    offer = offer_blocks(ctx)
    if not offers_a_person(offer):  # "Of course" would promise what follows does not give
        return Reply(intent, Skill.HANDOFF, Outcome.NO_ANSWER, offer)
    return Reply(
        intent,
        Skill.HANDOFF,
        Outcome.HANDOFF_OFFERED,
        [blocks.text(ctx.words.t("handoff.asked")), *offer],
    )


def answer_handoff_choice(
    ctx: SkillContext, conv: models.Conversation, accepted: bool
) -> tuple[Reply, str | None]:
    """The shopper's answer to the offer: (reply, new conversation status or None)."""
    w = ctx.words
    ctx.state.handoff_email_pending = False
    if not accepted:
        return Reply(
            intent=Intent.HUMAN_HANDOFF,
            skill=Skill.HANDOFF,
            outcome=Outcome.HANDOFF_DECLINED,
            blocks=[blocks.text(w.t("handoff.declined"))],
        ), "open" if conv.status == HANDOFF_REQUESTED else None
    config = handoff_config(ctx.session, ctx.brand)
    if not config.hands_off:  # switched off since the offer was shown
        reply = Reply(
            Intent.HUMAN_HANDOFF,
            Skill.HANDOFF,
            Outcome.NO_ANSWER,
            handing_over.instead_of_a_person(ctx.words, config),
        )
        return reply, None
    email = handing_over.known_email(ctx, conv)
    if handing_over.needs_email(conv, config, email):
        return handing_over.ask_for_email(ctx), HANDOFF_REQUESTED
    return handing_over.hand_over(ctx, conv, config, email), HANDED_OFF


def answer_email(
    ctx: SkillContext, conv: models.Conversation, text: str
) -> tuple[Reply, str | None]:
    """The shopper typed while the agent waits for their email address to hand over."""
    config = handoff_config(ctx.session, ctx.brand)
    if not config.hands_off:
        ctx.state.handoff_email_pending = False
        return answer_handoff_choice(ctx, conv, True)
    reply = handing_over.email_given(ctx, conv, config, text)
    return reply, HANDED_OFF if reply.outcome == Outcome.HANDED_OFF else None
