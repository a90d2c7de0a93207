"""Verifying a shopper inside a conversation with a one-time code sent to their email.

Codes are stored hashed, expire, are single-use; wrong tries lock the conversation out
for a while; requests are rate limited per address and per client. An address without an
account gets the same answer as one with (no code is sent), so nobody can probe which
addresses are customers.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deskhand.agent.replies.wording import Wording
from deskhand.agent.state import DialogueState
from deskhand.config import Settings
from deskhand.db import models
from deskhand.jobs.outbox import enqueue


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

    def _hash(self, conversation_id: str, code: str) -> str:
        msg = f"{self.brand.id}:{conversation_id}:{code}".encode()
        return hmac.new(self.secret.encode(), msg, hashlib.sha256).hexdigest()

    def locked_for(self, state: DialogueState) -> timedelta | None:
        if state.locked_until is None:
            return None
        left = datetime.fromisoformat(state.locked_until) - self.now
        return left if left > timedelta(0) else None

    def _recent(self, column: object, value: str) -> int:
        since = self.now - timedelta(hours=1)
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(models.VerificationCode)
                .where(
                    models.VerificationCode.brand_id == self.brand.id,
                    column == value,  # type: ignore[operator]
                    models.VerificationCode.created_at >= since,
                )
            )
            or 0
        )

    def request_code(
        self, conversation: models.Conversation, email: str, client_key: str, words: Wording
    ) -> CodeRequest:
        """Send a fresh code to `email` if it has an account; same outcome either way."""
        s = self.settings
        if (
            self._recent(models.VerificationCode.address, email) >= s.codes_per_address_per_hour
            or self._recent(models.VerificationCode.client_key, client_key)
            >= s.codes_per_client_per_hour
        ):
            return CodeRequest.LIMITED
        customer = self.session.scalar(
            select(models.Customer).where(
                models.Customer.brand_id == self.brand.id, models.Customer.email == email
            )
        )
        code = f"{secrets.randbelow(1_000_000):06d}"
        row = models.VerificationCode(
            brand_id=self.brand.id,
            conversation_id=conversation.id,
            customer_id=customer.id if customer else None,
            address=email,
            client_key=client_key,
            code_hash=self._hash(conversation.id, code),
            expires_at=self.now + timedelta(minutes=s.code_ttl_minutes),
            consumed_at=None,
            created_at=self.now,
        )
        self.session.add(row)
        self.session.flush()
        if customer is not None:
            enqueue(
                self.session,
                brand_id=self.brand.id,
                kind="email",
                recipient=email,
                subject=words.t("email.code_subject", brand=self.brand.name, code=code),
                body=words.t(
                    "email.code_body", code=code, minutes=s.code_ttl_minutes, brand=self.brand.name
                ),
                idempotency_key=f"verification:{row.id}",
                now=self.now,
            )
        return CodeRequest.SENT

    def check_code(
        self, conversation: models.Conversation, state: DialogueState, code: str
    ) -> tuple[CodeCheck, int | None]:
        """(result, customer id when verified); wrong tries count towards the lockout."""
        if self.locked_for(state):
            return CodeCheck.LOCKED, None
        row = self.session.scalar(
            select(models.VerificationCode)
            .where(
                models.VerificationCode.conversation_id == conversation.id,
                models.VerificationCode.consumed_at.is_(None),
            )
            .order_by(models.VerificationCode.id.desc())
            .limit(1)
        )
        if row is None:
            return CodeCheck.NONE_PENDING, None
        if not hmac.compare_digest(row.code_hash, self._hash(conversation.id, code)):
            state.failures += 1
            if state.failures >= self.settings.code_max_failures:
                lock = self.now + timedelta(minutes=self.settings.code_lockout_minutes)
                state.locked_until = lock.isoformat()
                state.failures = 0
                state.awaiting = None
                row.consumed_at = self.now  # the code dies with the lockout
                return CodeCheck.LOCKED, None
            return CodeCheck.WRONG, None
        if row.expires_at <= self.now:
            return CodeCheck.EXPIRED, None
        row.consumed_at = self.now
        state.failures = 0
        return CodeCheck.OK, row.customer_id
