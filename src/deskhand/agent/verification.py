"""Verifying a shopper inside a conversation with a one-time code sent to their email.

A thin adapter over `deskhand.verification`, which keeps the codes, the wrong tries, the
lockouts and the limits shared with the Hub, SMS and email. The agent's part: its own words
for the message, and the conversation's copy of the pause (`state.locked_until`, so the
engine can say how long it lasts) and of the wrong tries in a row (`state.failures`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.agent.state import DialogueState
from deskhand.config import Settings
from deskhand.db import models
from deskhand.domain.contact import normalise_email
from deskhand.verification import codes, sending
from deskhand.verification.codes import Channel, Checked, Flow, Issued
from deskhand.verification.sending import Message, Requested


class CodeRequest(StrEnum):
    SENT = "sent"
    LIMITED = "limited"


class CodeCheck(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"
    NONE_PENDING = "none_pending"


@dataclass(frozen=True)
class Verifier:
    session: Session
    settings: Settings
    secret: str
    brand: models.Brand
    now: datetime

    def locked_for(self, state: DialogueState) -> timedelta | None:
        if state.locked_until is None:
            return None
        left = datetime.fromisoformat(state.locked_until) - self.now
        return left if left > timedelta(0) else None

    def request_code(
        self, conversation: models.Conversation, email: str, client_key: str, words: Wording
    ) -> CodeRequest:
        """Send a fresh code to `email` if it has an account; same outcome either way."""
        address = normalise_email(email)
        if address is None:
            return CodeRequest.SENT  # no account can have it: the same answer, nothing sent
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
        return CodeRequest.LIMITED if result is Requested.LIMITED else CodeRequest.SENT

    def check_code(
        self, conversation: models.Conversation, state: DialogueState, code: str
    ) -> tuple[CodeCheck, int | None]:
        """(result, customer id when verified); wrong tries count towards the lockout."""
        paused = codes.paused_until(self.session, conversation_id=conversation.id, now=self.now)
        if paused is not None:
            state.locked_until = paused.isoformat()
        if self.locked_for(state):
            return CodeCheck.LOCKED, None
        row = codes.pending_for_conversation(self.session, conversation.id)
        if row is None:
            return CodeCheck.NONE_PENDING, None
        checked = codes.check_code(
            self.session,
            row=row,
            settings=self.settings,
            secret=self.secret,
            code=code,
            now=self.now,
        )
        if checked.result is Checked.OK:
            state.failures = 0
            return CodeCheck.OK, checked.customer_id
        if checked.result is Checked.WRONG:
            state.failures = row.failures
            return CodeCheck.WRONG, None
        if checked.result is Checked.LOCKED:
            assert checked.locked_until is not None
            state.locked_until = checked.locked_until.isoformat()
            state.failures, state.awaiting = 0, None
            return CodeCheck.LOCKED, None
        if checked.result is Checked.EXPIRED:
            return CodeCheck.EXPIRED, None
        return CodeCheck.NONE_PENDING, None
