"""One turn of a conversation, as a pipeline a newcomer can follow from top to bottom:

    read the message -> resolve the context (brand, rules, store, language, dialogue state)
    -> the verification dialogue, when it is under way -> choose the skill from the registry
    (`skills/registry.py`) -> the skill -> the reply, with the second request of a two-part
    message answered too.

Button presses take the same road from "choose the skill" on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.agent.followups import remember, resolve
from deskhand.agent.replies.wording import Wording
from deskhand.agent.routing import answer, then_also
from deskhand.agent.skills import clarify, hub_news
from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.handoff import (
    NO,
    YES,
    answer_email,
    answer_handoff_choice,
    cannot_help,
)
from deskhand.agent.skills.smalltalk import anything_else
from deskhand.agent.state import DialogueState
from deskhand.agent.understand.language import detect_language
from deskhand.agent.understand.reading import Reading, read_message
from deskhand.agent.understand.typed_answers import typed_choice
from deskhand.agent.verification import Verifier
from deskhand.agent.verifying import VerificationDialogue, Verified
from deskhand.commerce.registry import store_for
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.brand_look import brand_look
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.policy import PolicyRules
from deskhand.domain.vocabulary import Intent

# Below this, with no request worth a clarifying button, the classifier is guessing: a wrong
# skill is worse than an honest "can't help". Above it the unsure band (placed by
# cross-validation when the head is trained) decides whether to ask before acting.
CONFIDENCE_FLOOR = 0.40
OFFERED_ACTIONS_KEPT = 20
ORDER_BUTTON = "order:"  # "which order?" buttons: order:<number>


class UnknownAction(ValueError):
    """The action id was not offered by the agent in this conversation."""


class RetiredAction(UnknownAction):
    """The button was offered once but no longer applies (a newer reply replaced it)."""


# Buttons that answer a yes/no question: a typed "oui" or "nein danke" presses them.
YES_NO = {YES: True, NO: False}


@dataclass
class Agent:
    settings: Settings
    secret: str

    def take_turn(
        self,
        session: Session,
        conversation: models.Conversation,
        *,
        text: str | None,
        action: str | None,
        client_key: str,
        now: datetime,
        base_url: str,
        reading: Reading | None = None,
    ) -> Reply:
        """Answer one shopper message or button press; updates the conversation in place."""
        # Resolve the context: who is asking whom, in which language, where the dialogue is.
        brand = session.get_one(models.Brand, conversation.brand_id)
        state = DialogueState.from_json(conversation.state)
        if text is not None and not state.handoff_email_pending:  # an address says no language
            conversation.language = detect_language(
                text, tuple(brand.languages), conversation.language, brand.default_language
            )
        ctx = SkillContext(
            session=session,
            brand=brand,
            rules=PolicyRules.from_json(brand.policy),
            store=store_for(session, brand),
            words=Wording(
                conversation.language,
                brand.timezone,
                brand.currency,
                portal=brand_look(session, brand).portal(conversation.language),
            ),
            now=now,
            base_url=base_url,
            customer_id=conversation.customer_id,
            state=state,
            conversation_id=conversation.id,
            settings=self.settings,
        )
        verifier = Verifier(session, self.settings, self.secret, brand, now)
        dialogue = VerificationDialogue(ctx, verifier, conversation, self.settings, client_key)
        live = state.live_actions if state.live_actions is not None else state.offered_actions
        if action is not None:
            if action not in state.offered_actions:
                raise UnknownAction(action)
            if action not in live:
                raise RetiredAction(action)
        elif text is not None and state.live_actions:
            # "oui", "nein danke", "2", a button's label: the answer to the buttons shown.
            buttons = list(zip(state.live_actions, state.live_labels, strict=False))
            action = typed_choice(text, buttons, YES_NO)
        if action is not None:
            reply = _on_action(ctx, dialogue, conversation, action)
        elif state.handoff_email_pending and text is not None:
            # The email address the team should answer to, asked for after the "yes".
            ctx.text = text
            reply, status = answer_email(ctx, conversation, text)
            if status:
                conversation.status = status
        else:
            assert text is not None, "a turn is a text or an action"
            reading = reading if reading is not None else read_message(text)
            ctx.text, ctx.embedded = reading.said or reading.text, reading.embedded
            reply = _on_text(ctx, dialogue, reading)
            remember(ctx, reply)
        # The buttons offered lately: one of them pressed again is retired (409), not unknown.
        recent = [a for a in state.offered_actions if a not in reply.actions()]
        state.offered_actions = (reply.actions() + recent)[:OFFERED_ACTIONS_KEPT]
        # Only the newest buttons still apply: older ones are refused, and greyed out.
        state.live_actions, state.live_labels = reply.actions(), blocks.labels_of(reply.blocks)
        conversation.state = state.to_json()
        return reply


def _on_text(ctx: SkillContext, dialogue: VerificationDialogue, reading: Reading) -> Reply:
    st = ctx.state
    intent = about_one_order(ctx, reading, intent_of(reading))
    number, latest = reading.number, reading.latest
    # Verify when needed: a code or an email while the dialogue waits for one.
    step = dialogue.on_text(reading, intent)
    if isinstance(step, Verified):
        return _resume(ctx, dialogue, step)
    if step is not None:
        return step
    verified = ctx.customer_id is not None
    news = hub_news.answer_if_asked(ctx, intent, number)  # "is the size changed now?"
    if news is not None:
        return news
    if reading.discourse_only and not st.pending_intent:  # "hmm", "ah ok": nothing asked
        return anything_else(ctx)
    # What the message refers to from earlier turns: "the kettle one", "and to Belgium?".
    resolved = resolve(ctx, reading, intent)
    if resolved is not None:
        if resolved.resumed:
            st.unpark()
        if resolved.text:
            ctx.text = resolved.text
        return then_also(
            ctx, dialogue, answer(ctx, dialogue, resolved.intent, resolved.number, False)
        )
    if intent is None:  # only a number: the order the last request was about
        if number and (st.pending_intent or st.focus_order) and verified:
            parked, _, _ = st.unpark()
            chosen = parked or st.focus_intent or Intent.ORDER_STATUS
            return answer(ctx, dialogue, chosen, number, False)
        if number and not verified:
            return dialogue.ask(Intent.ORDER_STATUS, number, False)
        return cannot_help(ctx, Intent.OTHER)
    if (
        verified
        and number
        and st.pending_intent
        and intent in (Intent.ORDER_STATUS, Intent.OTHER, st.pending_intent)
    ):
        # "la commande 1006" answers "which order do you mean?": resume the parked request.
        parked, _, _ = st.unpark()
        reply = answer(ctx, dialogue, parked or intent, number, latest)
        return then_also(ctx, dialogue, reply)
    # Unsure what is asked: ask back with a button per likely request.
    choices = clarify.choices_for(reading)
    if choices:
        return clarify.ask_to_clarify(ctx, reading, choices)
    st.also_intent = reading.also if reading.also != intent else None
    reply = answer(ctx, dialogue, intent, number, latest)
    return then_also(ctx, dialogue, reply, number, latest, reading.also_text)


def _resume(ctx: SkillContext, dialogue: VerificationDialogue, done: Verified) -> Reply:
    """Verified: answer the request that waited for it, greeting the shopper first."""
    if done.intent is None:
        return dialogue.verified_reply(done)
    ctx.text = done.asked  # the resumed request answers the message that made it
    reply = then_also(ctx, dialogue, answer(ctx, dialogue, done.intent, done.number, done.latest))
    reply.blocks.insert(0, blocks.text(done.greeting))
    return reply


def _on_action(
    ctx: SkillContext,
    dialogue: VerificationDialogue,
    conversation: models.Conversation,
    action: str,
) -> Reply:
    st = ctx.state
    step = dialogue.on_action(action)
    if step is not None:
        return step
    if action.startswith(ORDER_BUTTON):  # the answer to "which order?"
        intent, _, _ = st.unpark()
        number = action.removeprefix(ORDER_BUTTON)
        reply = answer(ctx, dialogue, intent or Intent.ORDER_STATUS, number, False)
        return then_also(ctx, dialogue, reply)
    if action.startswith(clarify.ACTION_PREFIX):
        # A button of the clarifying question: carry on as if the shopper had said so.
        chosen = Intent(action.removeprefix(clarify.ACTION_PREFIX))
        named, latest = st.clarify_order, st.clarify_latest
        st.clarify_order, st.clarify_latest = None, False
        ctx.text, st.clarify_text = st.clarify_text or "", None  # answer what was asked about
        if chosen == Intent.OTHER:
            return cannot_help(ctx, Intent.OTHER)
        return answer(ctx, dialogue, chosen, named, latest)
    if action in (YES, NO):
        reply, status = answer_handoff_choice(ctx, conversation, action == YES)
        if status:
            conversation.status = status
        return reply
    raise UnknownAction(action)


def intent_of(reading: Reading) -> Intent | None:
    """The request to act on: None for a bare number/code/email, "other" when guessing."""
    guess = reading.guess
    if guess is None:
        return None
    if guess.intent in reading.refused or guess.confidence < CONFIDENCE_FLOOR:
        return Intent.OTHER
    return guess.intent


def about_one_order(ctx: SkillContext, reading: Reading, intent: Intent | None) -> Intent | None:
    """A question about the change rules that names an order ("can I still change order
    1012?"), or asks of "my order" while the conversation is about one of a verified
    shopper's orders, is about that order: its answer says what of it can still change, and
    what the warehouse already packs."""
    if intent != Intent.POLICY_CHANGES or reading.also is not None:
        return intent
    in_focus = ctx.customer_id is not None and ctx.state.focus_order is not None
    return Intent.CHANGE_ITEM if reading.entities.order_numbers or in_focus else intent
