"""The verification dialogue: ask for an email, send a code, check it, hand back the request.

A request about a shopper's orders waits (parked on the dialogue state) until the shopper
proves the address with a one-time code; the codes themselves, their limits and lockouts
are `agent.verification.Verifier`'s. This module only talks: which question to ask next,
what to answer to a wrong or expired code, and, once verified, which request to resume.
"""

from __future__ import annotations

from dataclasses import dataclass

from deskhand.agent.skills.context import SkillContext
from deskhand.agent.skills.registry import needs_shopper, route_of
from deskhand.agent.state import Awaiting
from deskhand.agent.understand.email_talk import corrects_itself, names_an_action
from deskhand.agent.understand.reading import Reading
from deskhand.agent.verification import Verifier
from deskhand.config import Settings
from deskhand.db import models
from deskhand.domain import blocks
from deskhand.domain.blocks import Reply
from deskhand.domain.vocabulary import SMALLTALK, Intent, Outcome, Skill
from deskhand.verification.codes import Checked
from deskhand.verification.sending import Requested

RESEND, OTHER_EMAIL = "verify:resend", "verify:other_email"
# While an email is awaited, a message with one replaces the parked request only when read
# at least this surely as another request.
NEW_REQUEST_FLOOR = 0.8


@dataclass(frozen=True)
class Verified:
    """The code was right: greet the shopper by name and resume the parked request, if any."""

    greeting: str
    intent: Intent | None
    number: str | None
    latest: bool
    asked: str  # the message that made the parked request


@dataclass
class VerificationDialogue:
    ctx: SkillContext
    verifier: Verifier
    conversation: models.Conversation
    settings: Settings
    client_key: str

    def on_text(self, reading: Reading, intent: Intent | None) -> Reply | Verified | None:
        """The dialogue's answer to a message, or None when the message is not part of it."""
        st, ents = self.ctx.state, reading.entities
        if st.awaiting == Awaiting.CODE and ents.codes:
            return self.check_code(ents.codes[0])
        verified = self.ctx.customer_id is not None
        if ents.emails and not verified and (st.awaiting is not None or needs_shopper(intent)):
            if intent is not None and needs_shopper(intent) and self._replaces_parked(reading):
                st.park(intent, reading.number or st.pending_order, reading.latest)
                st.pending_text = self.ctx.text or st.pending_text
            return self.send_code(ents.emails[0])
        if st.awaiting == Awaiting.EMAIL and (
            intent is None or intent == Intent.OTHER or intent in SMALLTALK
        ):
            return self._reply("verify.bad_email", Outcome.NEEDS_SIGN_IN)
        if st.awaiting == Awaiting.CODE and intent is None:
            return self._reply(
                "verify.code_format", Outcome.NEEDS_CODE, email=st.code_address or ""
            )
        return None

    def _replaces_parked(self, reading: Reading) -> bool:
        """An email sent while one is awaited keeps the parked request ("fel adress, det är
        ava@example.com" is about the email) unless the message is confidently a new one:
        a sure reading that names an action and corrects nothing typed before (or names
        an order)."""
        st, guess = self.ctx.state, reading.guess
        if st.pending_intent is None or st.awaiting is None:
            return True
        if guess is None or guess.unsure or guess.confidence < NEW_REQUEST_FLOOR:
            return False
        text = reading.said or reading.text
        if not names_an_action(text):
            return False
        return not corrects_itself(text) or reading.number is not None

    def on_action(self, action: str) -> Reply | None:
        """The dialogue's buttons ("send it again", "use another address"), else None."""
        st = self.ctx.state
        if action == RESEND and st.code_address:
            return self.send_code(st.code_address)
        if action == OTHER_EMAIL:
            st.awaiting, st.code_address = Awaiting.EMAIL, None
            return self._reply("verify.ask_email", Outcome.NEEDS_SIGN_IN)
        return None

    def ask(self, intent: Intent, number: str | None, latest: bool) -> Reply:
        """Park the request and ask for the shopper's email (or a Hub sign-in)."""
        ctx = self.ctx
        ctx.state.park(intent, number, latest)
        ctx.state.pending_text = ctx.text or None  # "cancel the kettle order": which order
        locked = self._locked()
        if locked:
            return locked
        ctx.state.awaiting = Awaiting.EMAIL
        route = route_of(intent)
        target = f"/hub/orders/{number}/{route.hub_tab}" if number else "/hub"
        url = f"{ctx.base_url}/hub/sign-in?next={target}"
        return Reply(
            intent,
            route.skill,
            Outcome.NEEDS_SIGN_IN,
            [blocks.sign_in(ctx.words.t("verify.ask_email"), url)],
        )

    def send_code(self, email: str) -> Reply:
        locked = self._locked()
        if locked:
            return locked
        ctx = self.ctx
        if (
            self.verifier.request_code(self.conversation, email, self.client_key, ctx.words)
            is Requested.LIMITED
        ):
            return self._reply("verify.rate_limited", Outcome.RATE_LIMITED)
        ctx.state.awaiting, ctx.state.code_address = Awaiting.CODE, email
        reply = self._reply(
            "verify.code_sent",
            Outcome.CODE_SENT,
            email=email,
            minutes=self.settings.code_ttl_minutes,
        )
        w = ctx.words
        reply.blocks.append(
            blocks.buttons(
                blocks.button(w.t("verify.resend"), RESEND),
                blocks.button(w.t("verify.other_email"), OTHER_EMAIL),
            )
        )
        return reply

    def check_code(self, code: str) -> Reply | Verified:
        ctx, st, conv = self.ctx, self.ctx.state, self.conversation
        checked = self.verifier.check_code(conv, code)
        result, customer_id = checked.result, checked.customer_id
        if result is Checked.OK and customer_id is not None:
            conv.customer_id, conv.verified_at, ctx.customer_id = customer_id, ctx.now, customer_id
            st.awaiting = None
            customer = ctx.store.customer(customer_id)
            greeting = ctx.words.t("verify.done", name=customer.first_name if customer else "")
            asked = st.pending_text or ""
            intent, number, latest = st.unpark()
            return Verified(greeting, intent, number, latest, asked)
        if result is Checked.WRONG:
            return self._reply("verify.wrong_code", Outcome.CODE_WRONG, left=checked.tries_left)
        if result is Checked.EXPIRED:
            reply = self._reply("verify.expired", Outcome.CODE_EXPIRED)
            reply.blocks.append(blocks.buttons(blocks.button(ctx.words.t("verify.resend"), RESEND)))
            return reply
        if result is Checked.LOCKED:
            st.awaiting = None
            locked = self._locked()
            assert locked is not None, "the verifier reports a lockout it has recorded"
            return locked
        st.awaiting = Awaiting.EMAIL
        return self._reply("verify.ask_email", Outcome.NEEDS_SIGN_IN)

    def verified_reply(self, done: Verified) -> Reply:
        """Verified with nothing parked: say so and ask what the shopper needs."""
        w = self.ctx.words
        return Reply(
            Intent.VERIFICATION,
            Skill.FALLBACK,
            Outcome.VERIFIED,
            [blocks.text(f"{done.greeting} {w.t('verify.what_next')}")],
        )

    def _locked(self) -> Reply | None:
        left = self.verifier.paused_for(self.conversation)
        if left is None:
            return None
        minutes = max(1, int(left.total_seconds() // 60) + 1)
        return self._reply("verify.locked", Outcome.VERIFICATION_LOCKED, minutes=minutes)

    def _reply(self, key: str, outcome: Outcome, **params: object) -> Reply:
        """A line of the dialogue, filed under the request it is for."""
        pending = self.ctx.state.pending_intent
        return Reply(
            pending or Intent.VERIFICATION,
            route_of(pending).skill if pending else Skill.FALLBACK,
            outcome,
            [blocks.text(self.ctx.words.t(key, **params))],
        )
