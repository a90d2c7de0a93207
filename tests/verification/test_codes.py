"""The shared verification module on its own: codes, wrong tries and lockouts, magic links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from deskhand.agent.conversations import start_conversation
from deskhand.config import Settings
from deskhand.db import models
from deskhand.db.brands import find_brand
from deskhand.verification import codes, sending
from deskhand.verification.codes import Channel, Checked, Flow, Issued
from deskhand.verification.links import LINK_TTL, mint_link_token, read_link_token
from deskhand.verification.sending import Message, Requested

SECRET = "test-secret-key-that-is-long-enough-for-hmac"
AVA = "ava@example.com"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


class Outbox:
    """The compose callback: keeps what was issued, words the message."""

    def __init__(self) -> None:
        self.issued: list[Issued] = []

    def __call__(self, issued: Issued) -> Message:
        self.issued.append(issued)
        return Message(subject=f"code {issued.code}", body=f"link {issued.link_token}")


@pytest.fixture
def brand(session: Session) -> models.Brand:
    found = find_brand(session)
    assert found is not None
    return found


def ask(
    session: Session,
    brand: models.Brand,
    settings: Settings,
    outbox: Outbox,
    *,
    flow: Flow = Flow.HUB,
    address: str = AVA,
    client: str = "client-1",
    conversation_id: str | None = None,
    now: datetime = NOW,
) -> tuple[Requested, models.VerificationCode | None]:
    return sending.request_code(
        session,
        brand=brand,
        settings=settings,
        secret=SECRET,
        flow=flow,
        channel=Channel.EMAIL if "@" in address else Channel.SMS,
        address=address,
        client_key=client,
        compose=outbox,
        now=now,
        conversation_id=conversation_id,
        next_path="/hub" if flow is Flow.HUB else None,
    )


def check(
    session: Session,
    settings: Settings,
    row: models.VerificationCode | None,
    code: str,
    now: datetime = NOW,
) -> codes.CheckResult:
    return codes.check_code(session, row=row, settings=settings, secret=SECRET, code=code, now=now)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_code_is_stored_hashed_and_works_once(
    session: Session, brand: models.Brand, settings: Settings
) -> None:
    outbox = Outbox()
    result, row = ask(session, brand, settings, outbox)
    assert result is Requested.SENT
    assert row is not None
    (issued,) = outbox.issued
    assert issued.code not in row.code_hash
    assert row.expires_at == NOW + timedelta(minutes=settings.code_ttl_minutes)
    assert row.link_expires_at == NOW + LINK_TTL
    sent = session.scalar(select(models.OutboxMessage).where(models.OutboxMessage.recipient == AVA))
    assert sent is not None
    assert issued.code in sent.subject
    ok = check(session, settings, row, f" {issued.code[:3]} {issued.code[3:]} ")
    assert ok.result is Checked.OK
    assert ok.customer_id == row.customer_id is not None
    assert check(session, settings, row, issued.code).result is Checked.UNKNOWN


def test_code_expires_after_its_lifetime(
    session: Session, brand: models.Brand, settings: Settings
) -> None:
    outbox = Outbox()
    _, row = ask(session, brand, settings, outbox)
    later = NOW + timedelta(minutes=settings.code_ttl_minutes)
    assert check(session, settings, row, outbox.issued[0].code, later).result is Checked.EXPIRED


def test_five_wrong_tries_kill_the_code_and_pause_for_fifteen_minutes(
    session: Session, brand: models.Brand, settings: Settings
) -> None:
    outbox = Outbox()
    _, row = ask(session, brand, settings, outbox)
    code = outbox.issued[0].code
    left = [check(session, settings, row, wrong(code)).tries_left for _ in range(4)]
    assert left == [4, 3, 2, 1]
    locked = check(session, settings, row, wrong(code))
    assert locked.result is Checked.LOCKED
    assert locked.locked_until == NOW + timedelta(minutes=settings.code_lockout_minutes)
    assert check(session, settings, row, code).result is Checked.UNKNOWN


def test_an_address_without_an_account_gets_a_code_that_never_works(
    session: Session, brand: models.Brand, settings: Settings
) -> None:
    issued = codes.issue_code(
        session,
        brand_id=brand.id,
        settings=settings,
        secret=SECRET,
        flow=Flow.HUB,
        channel=Channel.EMAIL,
        address="nobody@example.com",
        client_key="client-1",
        customer_id=None,
        now=NOW,
    )
    assert check(session, settings, issued.row, issued.code).result is Checked.WRONG
    assert issued.link_token is not None
    read = codes.request_of_link(
        session, brand_id=brand.id, secret=SECRET, token=issued.link_token, now=NOW
    )
    assert read is None
    outbox = Outbox()
    result, row = ask(session, brand, settings, outbox, address="nobody@example.com")
    assert result is Requested.SENT
    assert row is not None
    assert outbox.issued == []


def test_wrong_tries_in_a_conversation_count_in_a_row_across_resent_codes(
    session: Session, brand: models.Brand, settings: Settings
) -> None:
    conv, _ = start_conversation(
        session, brand=brand, channel="webchat", language="en", client_key="c", now=NOW
    )
    outbox = Outbox()
    ask(session, brand, settings, outbox, flow=Flow.CHAT, conversation_id=conv.id)
    first = codes.pending_for_conversation(session, conv.id)
    for _ in range(3):
        check(session, settings, first, wrong(outbox.issued[0].code))
    ask(session, brand, settings, outbox, flow=Flow.CHAT, conversation_id=conv.id)
    second = codes.pending_for_conversation(session, conv.id)
    assert second is not None
    assert second.id != first.id
    assert check(session, settings, first, outbox.issued[0].code).result is Checked.UNKNOWN
    assert check(session, settings, second, wrong(outbox.issued[1].code)).tries_left == 1
    assert check(session, settings, second, "000000").result is Checked.LOCKED
    until = codes.paused_until(session, conversation_id=conv.id, now=NOW)
    assert until == NOW + timedelta(minutes=settings.code_lockout_minutes)
    assert codes.paused_until(session, conversation_id=conv.id, now=until) is None


def test_limits_count_every_flow(session: Session, brand: models.Brand, settings: Settings) -> None:
    outbox = Outbox()
    conv, _ = start_conversation(
        session, brand=brand, channel="webchat", language="en", client_key="c", now=NOW
    )
    results = []
    for n in range(3):
        results.append(ask(session, brand, settings, outbox, client=f"hub-{n}")[0])
        chat = ask(
            session,
            brand,
            settings,
            outbox,
            flow=Flow.CHAT,
            conversation_id=conv.id,
            client=f"chat-{n}",
        )
        results.append(chat[0])
    assert results == [Requested.SENT] * 5 + [Requested.LIMITED]
    assert len(outbox.issued) == 5
    an_hour_later = NOW + timedelta(hours=1, seconds=1)
    assert ask(session, brand, settings, outbox, now=an_hour_later)[0] is Requested.SENT


def test_magic_link_is_signed_fresh_and_single_use(
    session: Session, brand: models.Brand, settings: Settings
) -> None:
    outbox = Outbox()
    _, row = ask(session, brand, settings, outbox)
    token = outbox.issued[0].link_token
    assert token is not None
    assert row is not None

    def read(token: str, now: datetime = NOW) -> models.VerificationCode | None:
        return codes.request_of_link(
            session, brand_id=brand.id, secret=SECRET, token=token, now=now
        )

    assert read(token) is row
    assert read(token, NOW + LINK_TTL + timedelta(seconds=1)) is None
    assert read(token[:-2] + ("AA" if token[-2:] != "AA" else "BB")) is None
    other = codes.request_of_link(
        session,
        brand_id=brand.id,
        secret="another-secret-that-is-long-enough",
        token=token,
        now=NOW,
    )
    assert other is None
    assert codes.consume(session, row, NOW)
    assert read(token) is None
    assert not codes.consume(session, row, NOW)  # of two racing uses, one wins


def test_link_tokens_refuse_tampering_and_age() -> None:
    token = mint_link_token(SECRET, public_id="req", nonce="n0nce", now=NOW)
    assert read_link_token(SECRET, token, NOW) == ("req", "n0nce")
    assert read_link_token(SECRET, token, NOW + LINK_TTL + timedelta(seconds=1)) is None
    assert read_link_token(SECRET, token.replace("req", "rex", 1), NOW) is None
    assert read_link_token(SECRET, "x" * 301, NOW) is None
