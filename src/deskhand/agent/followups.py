"""Resolving a message against the conversation so far: the "resolve context" step's part
that reads what came before.

- An answer to "which order do you mean?" that names no number: "the kettle one", "die
  erste", "the one from Monday" resume the parked request with the order it points at.
- A follow-up about another order ("and the socks?", "what about the other one?") asks what
  the shopper last asked, about that order.
- A follow-up to a knowledge-base answer ("and to Belgium?", "what about Switzerland?")
  asks the last question again about the new place.

Each returns what to answer, or None to let the message be read on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.references import order_meant, order_named
from deskhand.agent.skills.registry import needs_shopper, route_of
from deskhand.agent.understand.cues import follows_on
from deskhand.agent.understand.places import with_country
from deskhand.agent.understand.product_words import words_of
from deskhand.agent.understand.reading import Reading
from deskhand.domain.blocks import Reply
from deskhand.domain.vocabulary import Intent, Skill

# A message this short that carries no confident request of its own continues the last one.
SHORT_WORDS = 6
# A request read with this confidence stands on its own, whatever came before.
OWN_REQUEST = 0.8


@dataclass(frozen=True)
class Resolved:
    intent: Intent
    number: str | None = None
    text: str | None = None  # the question to answer in place of the message
    resumed: bool = False  # the parked request of "which order?" goes on


def _weak(reading: Reading, intent: Intent | None, also_ok: Intent | None = None) -> bool:
    """Whether the message carries no confident request other than `also_ok`."""
    guess = reading.guess
    if intent is None or guess is None or intent in (Intent.OTHER, Intent.GREETING, also_ok):
        return True  # a "greeting" mid-conversation is the head reading a short reply
    return guess.unsure or guess.confidence < OWN_REQUEST


def resolve(ctx: SkillContext, reading: Reading, intent: Intent | None) -> Resolved | None:
    st = ctx.state
    if reading.number or ctx.customer_id is None and st.last_topic is None:
        return None
    verified = ctx.customer_id is not None
    short = len(words_of(reading.text)) <= SHORT_WORDS
    # A short message that points at one of the orders listed answers "which order?".
    if verified and st.pending_intent and (short or _weak(reading, intent, st.pending_intent)):
        meant = order_meant(ctx)
        if meant:
            return Resolved(st.pending_intent, meant, resumed=True)
    opens = follows_on(reading.text)
    # An action on another order needs the shopper to say it follows on ("and the kettle
    # one?"); a short question about where an order is may just name it ("the parka?").
    if (
        verified
        and (opens or short and not route_of(st.focus_intent).needs_hub)
        and needs_shopper(st.focus_intent)
        and st.focus_intent is not None
        and _weak(reading, intent, st.focus_intent)
    ):
        named = order_named(ctx)
        if named and named != st.focus_order:
            return Resolved(st.focus_intent, named)
    # A short question of its own on another topic ("do you ship to Norway?" after the
    # refund rules) is read on its own; one that opens as a follow-on ("and to Norway?")
    # asks the last question again, however the classifier reads it.
    if st.last_topic is not None and st.last_question and (opens or short):
        if _weak(reading, intent, st.last_topic) or opens and route_of(intent).from_kb:
            question = with_country(st.last_question, reading.text)
            if question:
                return Resolved(st.last_topic, text=question)
    return None


def remember(ctx: SkillContext, reply: Reply) -> None:
    """Keep what a follow-up may refer to: the question the knowledge base just answered."""
    if reply.skill == Skill.POLICY and ctx.text:
        ctx.state.last_topic, ctx.state.last_question = reply.intent, ctx.text
