"""When the reading is unsure: ask a short question with a button per likely request.

Also joins the replies to a two-part message ("cancel 1004, and is there a fee?") into one.
"""

from __future__ import annotations

from deskhand.agent.skills.context import SkillContext
from deskhand.agent.understand.combine import ACTIONABLE
from deskhand.agent.understand.reading import Reading
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.vocabulary import Intent, Outcome, Skill

ACTION_PREFIX = "intent:"
SOMETHING_ELSE = "intent:other"
# A candidate worth a button: calibrated, so 0.15 means "right about one time in seven".
CANDIDATE_FLOOR = 0.15
MAX_CHOICES = 3
# What to offer when the shopper only said what they do *not* want.
COMMON_REQUESTS = (Intent.ORDER_STATUS, Intent.CHANGE_ITEM, Intent.RETURN_REQUEST)
# Outcomes that end on a question to the shopper: that reply goes last when two are joined.
WAITING = frozenset(
    (Outcome.NEEDS_SIGN_IN, Outcome.ASKED_WHICH_ORDER, Outcome.CODE_SENT, Outcome.ASKED_TO_CLARIFY)
)


def choices_for(reading: Reading) -> list[Intent]:
    """The requests to offer as buttons, most likely first; empty when asking makes no sense."""
    guess = reading.guess
    if guess is None or not guess.unsure:
        return []
    found = [
        intent
        for intent, p in guess.candidates
        if intent in ACTIONABLE
        and intent not in reading.refused
        and (p >= CANDIDATE_FLOOR or intent == guess.intent)
    ][:MAX_CHOICES]
    if not found and guess.intent in reading.refused:
        found = [i for i in COMMON_REQUESTS if i not in reading.refused]
    return found


def ask_to_clarify(ctx: SkillContext, reading: Reading, choices: list[Intent]) -> Reply:
    """ "Just to be sure: do you want to …?" with one button per choice and "something else"."""
    w = ctx.words
    assert reading.guess is not None
    refused = reading.guess.intent in reading.refused
    question = w.t("clarify.refused" if refused else "clarify.question")
    ctx.state.clarify_order, ctx.state.clarify_latest = reading.number, reading.latest
    ctx.state.clarify_text = ctx.text or None  # its products and cues still point at an order
    buttons = [blocks.button(w.t(f"clarify.{i}"), f"{ACTION_PREFIX}{i}") for i in choices]
    buttons.append(blocks.button(w.t("clarify.something_else"), SOMETHING_ELSE))
    return Reply(
        intent=reading.guess.intent,
        skill=Skill.FALLBACK,
        outcome=Outcome.ASKED_TO_CLARIFY,
        blocks=[blocks.text(question), blocks.buttons(*buttons)],
    )


def join(first: Reply, second: Reply) -> Reply:
    """One message answering both requests; the one waiting for the shopper comes last."""
    if first.outcome in WAITING and second.outcome not in WAITING:
        head, tail = second, first
    else:
        head, tail = first, second
    joined = [*head.blocks, *tail.blocks]
    # One offer of a human is enough: keep the last.
    prompts = [i for i, b in enumerate(joined) if b["type"] == "handoff_prompt"]
    for i in reversed(prompts[:-1]):
        del joined[i]
    return Reply(first.intent, first.skill, first.outcome, joined)
