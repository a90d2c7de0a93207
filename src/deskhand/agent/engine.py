"""One turn of a conversation: understand the message, pick a skill, answer with blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.agent.skills import clarify, order_editing, tracking
from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.handoff import (
    NO,
    YES,
    answer_handoff_choice,
    cannot_help,
    offer_handoff,
)
from deskhand.agent.skills.orders import (
    ANY_LIVE,
    IN_PROGRESS,
    ON_THE_WAY,
    choose_order,
    which_order_buttons,
)
from deskhand.agent.skills.policy import answer_other, answer_policy
from deskhand.agent.skills.smalltalk import smalltalk
from deskhand.agent.state import DialogueState
from deskhand.agent.understand.language import detect_language
from deskhand.agent.understand.reading import Reading, read_message
from deskhand.agent.verification import CodeCheck, CodeRequest, Verifier
from deskhand.commerce.registry import store_for
from deskhand.config import Settings
from deskhand.db import models
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.policy import PolicyRules

# "exchange" is decided by the order: before shipping it is a change, after it a return.
ORDER_INTENTS = ("change_item", "change_address", "cancel_order", "order_status", "exchange")
POLICY_INTENTS = ("policy_changes", "policy_returns", "policy_shipping", "policy_payment")
SMALLTALK = ("greeting", "thanks", "goodbye")
KB_ANSWERED = (*POLICY_INTENTS, "return_request")  # answered from the knowledge base
# Below this, with no request worth a clarifying button, the classifier is guessing: a wrong
# skill is worse than an honest "can't help". Above it the unsure band (placed by
# cross-validation when the head is trained) decides whether to ask before acting.
CONFIDENCE_FLOOR = 0.40
OFFERED_ACTIONS_KEPT = 20


class UnknownAction(ValueError):
    """The action id was not offered by the agent in this conversation."""


def skill_of(intent: str | None) -> str:
    if intent == "order_status":
        return "tracking"
    if intent in ("change_item", "change_address", "cancel_order", "add_item"):
        return "order_editing"
    if intent in ("exchange", "return_request", "refund_status"):
        return "returns"
    return "fallback"


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
        brand = session.get_one(models.Brand, conversation.brand_id)
        state = DialogueState.from_json(conversation.state)
        if text is not None:
            conversation.language = detect_language(
                text, tuple(brand.languages), conversation.language, brand.default_language
            )
        ctx = SkillContext(
            session=session,
            brand=brand,
            rules=PolicyRules.from_json(brand.policy),
            store=store_for(session, brand),
            words=Wording(conversation.language, brand.timezone, brand.currency),
            now=now,
            base_url=base_url,
            customer_id=conversation.customer_id,
            state=state,
        )
        verifier = Verifier(session, self.settings, self.secret, brand, now)
        if action is not None:
            if action not in state.offered_actions:
                raise UnknownAction(action)
            reply = self._on_action(ctx, verifier, conversation, action, client_key)
        else:
            assert text is not None
            reading = reading if reading is not None else read_message(text)
            ctx.text, ctx.embedded = text, reading.embedded
            reply = self._on_text(ctx, verifier, conversation, reading, client_key)
        # Buttons stay pressable a while: a widget shows them in the history.
        recent = [a for a in state.offered_actions if a not in reply.actions()]
        state.offered_actions = (reply.actions() + recent)[:OFFERED_ACTIONS_KEPT]
        conversation.state = state.to_json()
        return reply

    # -- text ---------------------------------------------------------------------------

    def _on_text(
        self,
        ctx: SkillContext,
        verifier: Verifier,
        conv: models.Conversation,
        reading: Reading,
        client_key: str,
    ) -> Reply:
        st = ctx.state
        ents = reading.entities
        if st.awaiting == "code" and ents.codes:
            return self._check_code(ctx, verifier, conv, ents.codes[0])
        intent = _intent_of(reading)
        number, latest = reading.number, reading.latest
        verified = ctx.customer_id is not None
        if (
            ents.emails
            and not verified
            and (st.awaiting in ("email", "code") or intent in ORDER_INTENTS)
        ):
            if intent in ORDER_INTENTS:
                st.park(intent, number, latest)
            return self._send_code(ctx, verifier, conv, ents.emails[0], client_key)
        if intent is None:
            if st.awaiting == "email":
                return self._reply_verify(ctx, "verify.bad_email", "needs_sign_in")
            if st.awaiting == "code":
                return self._reply_verify(
                    ctx, "verify.code_format", "needs_code", email=st.code_address or ""
                )
            if number and (st.pending_intent or st.focus_order) and verified:
                parked, _, _ = st.unpark()
                return self._dispatch(
                    ctx, parked or st.focus_intent or "order_status", number, False
                )
            if number and not verified:
                return self._ask_to_verify(ctx, verifier, "order_status", number, False)
            return cannot_help(ctx, "other")
        if st.awaiting == "email" and intent in ("other", *SMALLTALK):
            return self._reply_verify(ctx, "verify.bad_email", "needs_sign_in")
        if (
            verified
            and number
            and st.pending_intent
            and intent in ("order_status", "other", st.pending_intent)
        ):
            # "la commande 1006" answers "which order do you mean?": resume the parked request.
            parked, _, _ = st.unpark()
            return self._then_also(ctx, self._dispatch(ctx, parked or intent, number, latest))
        choices = clarify.choices_for(reading)
        if choices:
            return clarify.ask_to_clarify(ctx, reading, choices)
        st.also_intent = reading.also if reading.also != intent else None
        reply = self._dispatch(ctx, intent, number, latest, verifier)
        return self._then_also(ctx, reply, verifier, number, latest, reading.also_text)

    def _then_also(
        self,
        ctx: SkillContext,
        reply: Reply,
        verifier: Verifier | None = None,
        number: str | None = None,
        latest: bool = False,
        also_text: str | None = None,
    ) -> Reply:
        """Answer the second request of a two-part message too, once nothing is in the way."""
        st = ctx.state
        also = st.also_intent
        # The knowledge base already answers every question of the message it is given.
        answered_from_kb = reply.skill == "policy" or reply.intent in KB_ANSWERED
        if also is None or also == reply.intent or (also in KB_ANSWERED and answered_from_kb):
            st.also_intent = None
            return reply
        # An order request waits while the first one waits for sign-in or "which order?".
        if also in ORDER_INTENTS and reply.outcome in clarify.WAITING:
            return reply
        st.also_intent = None
        whole, ctx.text = ctx.text, also_text or ctx.text  # the second answer reads its own part
        try:
            second = self._dispatch(ctx, also, number or st.focus_order, latest, verifier)
        finally:
            ctx.text = whole
        return clarify.join(reply, second)

    def _dispatch(
        self,
        ctx: SkillContext,
        intent: str,
        number: str | None,
        latest: bool,
        verifier: Verifier | None = None,
    ) -> Reply:
        w = ctx.words
        if intent in ORDER_INTENTS:
            if not ctx.rules.hub_enabled and intent != "order_status":
                return offer_handoff(
                    ctx, intent, skill_of(intent), w.t("edit.hub_off"), "handoff_offered"
                )
            if ctx.customer_id is None:
                assert verifier is not None
                return self._ask_to_verify(ctx, verifier, intent, number, latest)
            return self._serve_order(ctx, intent, number, latest)
        if intent == "add_item":
            return order_editing.add_item(ctx)
        if intent in POLICY_INTENTS:
            return answer_policy(ctx, intent)
        if intent == "return_request":
            reply = answer_policy(ctx, intent, skill="returns")
            if reply.outcome == "answered" and ctx.rules.hub_enabled:
                reply.blocks.insert(1, blocks.link(w.t("returns.start_in_hub"), ctx.hub_url()))
            return reply
        if intent == "refund_status":
            return offer_handoff(
                ctx,
                intent,
                "returns",
                w.t("returns.refund_status", days=ctx.rules.refund_business_days),
            )
        if intent == "human_handoff":
            return offer_handoff(ctx, intent, "handoff", w.t("handoff.asked"))
        if intent in SMALLTALK:
            return smalltalk(ctx, intent)
        if intent == "other":  # the knowledge base may answer what no skill claims
            return answer_other(ctx, intent)
        return cannot_help(ctx, intent)

    def _serve_order(
        self, ctx: SkillContext, intent: str, number: str | None, latest: bool
    ) -> Reply:
        w = ctx.words
        wanted = {"order_status": ON_THE_WAY, "exchange": ANY_LIVE}.get(intent, IN_PROGRESS)
        choice = choose_order(ctx, number, latest, wanted)
        if choice.not_found:
            return Reply(
                intent,
                skill_of(intent),
                "order_not_found",
                [blocks.text(w.t("orders.not_found", number=choice.not_found))],
            )
        if choice.candidates:
            ctx.state.park(intent, None, False)
            return Reply(
                intent,
                skill_of(intent),
                "asked_which_order",
                which_order_buttons(ctx, choice.candidates),
            )
        if choice.order is None:
            return Reply(intent, skill_of(intent), "no_orders", [blocks.text(w.t("orders.none"))])
        ctx.state.focus_order, ctx.state.focus_intent = choice.order.number, intent
        if intent == "order_status":
            return tracking.track_order(ctx, choice.order)
        if intent == "cancel_order":
            return order_editing.cancel_order(ctx, choice.order)
        reply = order_editing.change_order(ctx, choice.order, intent)
        if intent == "exchange" and reply.outcome != "hub_link":
            reply.skill = "returns"
        return reply

    # -- verification --------------------------------------------------------------------

    def _reply_verify(self, ctx: SkillContext, key: str, outcome: str, **params: object) -> Reply:
        intent = ctx.state.pending_intent or "verification"
        return Reply(
            intent,
            skill_of(ctx.state.pending_intent),
            outcome,
            [blocks.text(ctx.words.t(key, **params))],
        )

    def _locked_reply(self, ctx: SkillContext, verifier: Verifier) -> Reply | None:
        left = verifier.locked_for(ctx.state)
        if left is None:
            return None
        minutes = max(1, int(left.total_seconds() // 60) + 1)
        return self._reply_verify(ctx, "verify.locked", "verification_locked", minutes=minutes)

    def _ask_to_verify(
        self, ctx: SkillContext, verifier: Verifier, intent: str, number: str | None, latest: bool
    ) -> Reply:
        ctx.state.park(intent, number, latest)
        ctx.state.pending_text = ctx.text or None  # "cancel the kettle order": which order
        locked = self._locked_reply(ctx, verifier)
        if locked:
            return locked
        ctx.state.awaiting = "email"
        tab = {
            "change_item": "edit",
            "change_address": "edit",
            "cancel_order": "cancel",
            "order_status": "track",
            "exchange": "return",
        }[intent]
        target = f"/hub/orders/{number}/{tab}" if number else "/hub"
        url = f"{ctx.base_url}/hub/sign-in?next={target}"
        return Reply(
            intent,
            skill_of(intent),
            "needs_sign_in",
            [blocks.sign_in(ctx.words.t("verify.ask_email"), url)],
        )

    def _send_code(
        self,
        ctx: SkillContext,
        verifier: Verifier,
        conv: models.Conversation,
        email: str,
        client_key: str,
    ) -> Reply:
        locked = self._locked_reply(ctx, verifier)
        if locked:
            return locked
        if verifier.request_code(conv, email, client_key, ctx.words) == CodeRequest.LIMITED:
            return self._reply_verify(ctx, "verify.rate_limited", "rate_limited")
        ctx.state.awaiting, ctx.state.code_address = "code", email
        reply = self._reply_verify(
            ctx,
            "verify.code_sent",
            "code_sent",
            email=email,
            minutes=self.settings.code_ttl_minutes,
        )
        w = ctx.words
        reply.blocks.append(
            blocks.buttons(
                blocks.button(w.t("verify.resend"), "verify:resend"),
                blocks.button(w.t("verify.other_email"), "verify:other_email"),
            )
        )
        return reply

    def _check_code(
        self, ctx: SkillContext, verifier: Verifier, conv: models.Conversation, code: str
    ) -> Reply:
        st = ctx.state
        result, customer_id = verifier.check_code(conv, st, code)
        if result == CodeCheck.OK and customer_id is not None:
            conv.customer_id, conv.verified_at, ctx.customer_id = customer_id, ctx.now, customer_id
            st.awaiting = None
            customer = ctx.store.customer(customer_id)
            done = ctx.words.t("verify.done", name=customer.first_name if customer else "")
            asked = st.pending_text
            intent, number, latest = st.unpark()
            ctx.text = asked or ""  # the resumed request answers the message that made it
            if intent is None:
                return Reply(
                    "verification",
                    "fallback",
                    "verified",
                    [blocks.text(f"{done} {ctx.words.t('verify.what_next')}")],
                )
            reply = self._then_also(ctx, self._dispatch(ctx, intent, number, latest))
            reply.blocks.insert(0, blocks.text(done))
            return reply
        if result == CodeCheck.WRONG:
            left = self.settings.code_max_failures - st.failures
            return self._reply_verify(ctx, "verify.wrong_code", "code_wrong", left=left)
        if result == CodeCheck.EXPIRED:
            reply = self._reply_verify(ctx, "verify.expired", "code_expired")
            reply.blocks.append(
                blocks.buttons(blocks.button(ctx.words.t("verify.resend"), "verify:resend"))
            )
            return reply
        if result == CodeCheck.LOCKED:
            locked = self._locked_reply(ctx, verifier)
            assert locked is not None
            return locked
        st.awaiting = "email"
        return self._reply_verify(ctx, "verify.ask_email", "needs_sign_in")

    # -- buttons -------------------------------------------------------------------------

    def _on_action(
        self,
        ctx: SkillContext,
        verifier: Verifier,
        conv: models.Conversation,
        action: str,
        client_key: str,
    ) -> Reply:
        st = ctx.state
        if action == "verify:resend" and st.code_address:
            return self._send_code(ctx, verifier, conv, st.code_address, client_key)
        if action == "verify:other_email":
            st.awaiting, st.code_address = "email", None
            return self._reply_verify(ctx, "verify.ask_email", "needs_sign_in")
        if action.startswith("order:"):
            intent, _, _ = st.unpark()
            return self._then_also(
                ctx,
                self._dispatch(
                    ctx, intent or "order_status", action.split(":", 1)[1], False, verifier
                ),
                verifier,
            )
        if action.startswith(clarify.ACTION_PREFIX):
            # A button of the clarifying question: carry on as if the shopper had said so.
            chosen = action.removeprefix(clarify.ACTION_PREFIX)
            number, latest = st.clarify_order, st.clarify_latest
            st.clarify_order, st.clarify_latest = None, False
            if chosen == "other":
                return cannot_help(ctx, "other")
            return self._dispatch(ctx, chosen, number, latest, verifier)
        if action in (YES, NO):
            reply, status = answer_handoff_choice(ctx, action == YES)
            if status:
                conv.status = status
            return reply
        raise UnknownAction(action)


def _intent_of(reading: Reading) -> str | None:
    guess = reading.guess
    if guess is None:
        return None
    if guess.intent in reading.refused or guess.confidence < CONFIDENCE_FLOOR:
        return "other"
    return guess.intent
