"""Verifying a shopper inside a conversation with a one-time code sent to their email.

A thin adapter over `deskhand.verification`, which keeps the codes, the wrong tries, the
lockouts and the limits shared with the Hub, SMS and email. The agent adds its own words for
the message; the conversation's pause and its wrong tries in a row are read from the codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.config import Settings
from deskhand.db import models
from deskhand.domain.contact import normalise_email
from deskhand.verification import codes, sending
from deskhand.verification.codes import Channel, Checked, CheckResult, Flow, Issued
from deskhand.verification.sending import Message, Requested


@dataclass(frozen=True)
class Verifier:
    session: Session
    settings: Settings
    secret: str
    brand: models.Brand
    now: datetime

    def paused_for(self, conversation: models.Conversation) -> timedelta | None:
        """How long the conversation may not verify (its wrong tries ran out), or None."""
        until = codes.paused_until(self.session, conversation_id=conversation.id, now=self.now)
        return until - self.now if until is not None else None

    def request_code(
        self, conversation: models.Conversation, email: str, client_key: str, words: Wording
    ) -> Requested:
        """Send a fresh code to `email` if it has an account; same outcome either way."""
        address = normalise_email(email)
        if address is None:
            return Requested.SENT  # no account can have it: the same answer, nothing sent
        minutes, brand = self.settings.code_ttl_minutes, self.brand.name

        def compose(issued: Issued) -> Message:
            return Message(
                subject=words.t("email.code_subject", brand=brand, code=issued.code),
                body=words.t("email.code_body", code=issued.code, minutes=minutes, brand=brand),
            )

        result, _ = sending.request_code(
            self.session,
            brand=self.brand,
            settings=self.settings,
            secret=self.secret,
            flow=Flow.CHAT,
            channel=Channel.EMAIL,
            address=address,
            client_key=client_key,
            compose=compose,
            now=self.now,
            conversation_id=conversation.id,
        )
        return result

    def check_code(self, conversation: models.Conversation, code: str) -> CheckResult:
        """The typed code against the conversation's live one; wrong tries lead to a pause.

        UNKNOWN means no live code (none sent, used, or superseded by a newer one)."""
        if self.paused_for(conversation) is not None:
            return CheckResult(Checked.LOCKED)
        return codes.check_code(
            self.session,
            row=codes.pending_for_conversation(self.session, conversation.id),
            settings=self.settings,
            secret=self.secret,
            code=code,
            now=self.now,
        )
